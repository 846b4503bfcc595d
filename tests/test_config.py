"""Config loading: defaults, YAML errors, unknown keys with suggestions, --set overrides, validation."""

from __future__ import annotations

import pytest

from segkit.config import DEFAULT_CONFIG, load_config, make_config, parse_override
from segkit.exceptions import ConfigError


def write(tmp_path, text, name="config.yml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_fill_every_key(tmp_path):
    cfg = load_config(write(tmp_path, "data:\n  customers: c.csv\n"))
    assert set(cfg) == set(DEFAULT_CONFIG)
    assert cfg["segmentation"]["n_segments"] == "auto"
    assert cfg["privacy"]["min_cell_size"] == 10
    # relative paths resolve against the config file's folder
    assert cfg["data"]["customers"] == str(tmp_path / "c.csv")


def test_brief_example_config_is_accepted(tmp_path):
    text = """
title: "iFood customers"
data:
  customers: path/to/customers.csv
  transactions: path/to/purchases/
columns:
  customer_id: ID
  date: InvoiceDate
  amount: Sales
  quantity: Quantity
  price: UnitPrice
  invoice: InvoiceNo
  demographics: [Year_Birth, Education, Marital_Status, Income, Kidhome, Teenhome]
  geography: [Country]
  behaviour: [MntWines, NumWebPurchases]
  psychographics: []
  technographics: []
  campaigns: [AcceptedCmp1, AcceptedCmp2, Response]
cleaning:
  drop_duplicates: true
  snapshot_date: 2011-12-10
segmentation:
  basis: [behaviour, value]
  features: []
  n_segments: auto
  algorithm: auto
  random_state: 0
segment_names: {0: "Loyal families"}
campaign:
  response: Response
  cost_per_contact: 3
  revenue_per_response: 11
privacy:
  min_cell_size: 10
"""
    # the brief writes 'behaviour' as a basis name; segkit's basis is 'behavioural'
    with pytest.raises(ConfigError, match="did you mean 'behavioural'"):
        load_config(write(tmp_path, text))
    cfg = load_config(write(tmp_path, text.replace("[behaviour, value]", "[behavioural, value]")))
    assert cfg["segment_names"] == {0: "Loyal families"}
    assert cfg["cleaning"]["snapshot_date"] == "2011-12-10"  # kept JSON-able


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("data: [unclosed\n", r"config.yml: not valid YAML at line 2, column 1: expected ',' or ']'"),
        ("segmentaton:\n  n_segments: 3\n", r"unknown key 'segmentaton'; did you mean 'segmentation'"),
        ("segmentation:\n  n_segment: 3\n", r"unknown key 'segmentation.n_segment'; did you mean 'segmentation.n_segments'"),
        ("segmentation:\n  n_segments: 1\n", r"'segmentation.n_segments' must be an integer >= 2 or 'auto', got 1"),
        ("segmentation:\n  n_segments: many\n", r"must be an integer >= 2 or 'auto', got 'many'"),
        ("segmentation:\n  algorithm: kmean\n", r"must be one of \[.*'kmeans'.*\], but 'kmean' was given"),
        ("segmentation:\n  basis: [value, feelings]\n", r"unknown basis 'feelings'"),
        ("cleaning:\n  snapshot_date: last tuesday\n", r"'cleaning.snapshot_date' must be a date"),
        ("campaign:\n  cost_per_contact: -3\n", r"'campaign.cost_per_contact' must be a number >= 0"),
        ("privacy:\n  min_cell_size: ten\n", r"'privacy.min_cell_size' must be a non-negative integer"),
        ("- just\n- a list\n", r"expected a mapping of keys at the top level"),
        ("privacy:\n  pseudonymise_ids: true\n", r"'privacy.pseudonym_key' is not set"),
        ("privacy:\n  pseudonymise_ids: true\n  pseudonym_key: abc\n",
         r"'privacy.pseudonym_key' must be a secret of at least 8 characters, got 3 characters"),
        ("engine: sparkk\n", r"'engine' must be one of \['duckdb', 'spark'\], got 'sparkk'"),
    ],
    ids=["broken-yaml", "misspelt-section", "misspelt-key", "k-one", "k-text", "algorithm", "basis",
         "snapshot", "negative-cost", "cell-size", "not-a-mapping", "pseudonym-key", "short-pseudonym-key",
         "unknown-engine"],
)
def test_bad_configs_name_the_key(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match=message) as info:
        load_config(path)
    assert "\n" not in str(info.value)


def test_binary_config_is_a_config_error(tmp_path):
    path = tmp_path / "config.yml"
    path.write_bytes(b"\xff\xfe\x00\x01\x02binary")
    with pytest.raises(ConfigError, match="config.yml"):
        load_config(path)


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.yml")


def test_data_is_required_when_asked(tmp_path):
    with pytest.raises(ConfigError, match="no data given"):
        load_config(write(tmp_path, "title: x\n"), require_data=True)


def test_set_overrides_are_yaml_typed(tmp_path):
    cfg = load_config(
        write(tmp_path, "data:\n  transactions: log.csv\n"),
        overrides=[
            "segmentation.n_segments=5",
            "segmentation.features=[recency_days,frequency,monetary]",
            "cleaning.drop_duplicates=false",
            "segment_names.2=Big spenders",
            "title='Spring: 2026'",
        ],
    )
    assert cfg["segmentation"]["n_segments"] == 5
    assert cfg["segmentation"]["features"] == ["recency_days", "frequency", "monetary"]
    assert cfg["cleaning"]["drop_duplicates"] is False
    assert cfg["segment_names"] == {2: "Big spenders"}
    assert cfg["title"] == "Spring: 2026"


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("segmentation.nsegments=4", r"did you mean 'segmentation.n_segments'"),
        ("n_segments", r"expected KEY=VALUE"),
        ("segmentation=3", r"'segmentation' must be a mapping"),
        ("segmentation.n_segments=[1", r"not valid YAML"),
    ],
    ids=["misspelt", "no-equals", "section-scalar", "bad-yaml"],
)
def test_bad_overrides(item, message):
    with pytest.raises(ConfigError, match=message):
        load_config(None, overrides=[item])


def test_parse_override_keeps_equals_in_value():
    assert parse_override("title=a=b") == ("title", "a=b")


# ------------------------------------------------------------------ segmentation: the segmenter's own rules
SEGMENTATION_ERRORS = [
    pytest.param({"n_segments": 12}, r"'segmentation.n_segments' must be an integer from k_min \(2\) to k_max "
                 r"\(10\), or 'auto', got 12", id="k-above-k_max"),
    pytest.param({"n_segments": 5, "k_max": 4},
                 r"'segmentation.n_segments' must be an integer from k_min \(2\) to k_max \(4\)", id="k-above-lowered-k_max"),
    pytest.param({"k_min": 5, "k_max": 3}, r"'segmentation.k_max' must be at least k_min \(5\), got 3",
                 id="k-range-inverted"),
    pytest.param({"k_min": 1}, r"'segmentation.k_min' must be an integer >= 2, got 1", id="k_min-below-2"),
    pytest.param({"k_max": True}, r"'segmentation.k_max' must be an integer >= 2, got True", id="k_max-bool"),
    pytest.param({"random_state": 2**32},
                 r"'segmentation.random_state' must be an integer in \[0, 4294967295\], got 4294967296", id="seed-2**32"),
    pytest.param({"random_state": -1}, r"'segmentation.random_state' must be an integer in \[0, 4294967295\], got -1",
                 id="seed-negative"),
    pytest.param({"random_state": 1.5}, r"'segmentation.random_state' must be an integer in \[0, 4294967295\], got 1.5",
                 id="seed-float"),
    pytest.param({"min_share": 0.5}, r"'segmentation.min_share' must be a number in \[0, 0.5\), got 0.5",
                 id="min_share-half"),
    pytest.param({"n_bootstrap": -2}, r"'segmentation.n_bootstrap' must be an integer in \[0, 1000\], got -2",
                 id="bootstrap-negative"),
    pytest.param({"n_bootstrap": 2**20}, r"'segmentation.n_bootstrap' must be an integer in \[0, 1000\], got 1048576",
                 id="bootstrap-hours-of-refits"),
    pytest.param({"algorithm": "hdbscan", "n_segments": 3}, r"'segmentation.n_segments' must be 'auto' \(algorithm "
                 r"'hdbscan' chooses the number of segments itself\), got 3", id="hdbscan-with-k"),
]


@pytest.mark.parametrize(("segmentation", "message"), SEGMENTATION_ERRORS)
def test_segmentation_keys_are_checked_by_the_segmenters_rules(tmp_path, segmentation, message):
    text = "segmentation:\n" + "".join(f"  {k}: {v}\n" for k, v in segmentation.items())
    with pytest.raises(ConfigError, match=message) as info:
        load_config(write(tmp_path, text))
    assert str(info.value).startswith(f"{tmp_path / 'config.yml'}: ")


@pytest.mark.parametrize(("segmentation", "message"), SEGMENTATION_ERRORS)
def test_what_the_config_refuses_the_segmenter_refuses_too(segmentation, message):
    # the config was once checked by its own rules and let n_segments=12 with k_max=10 through
    # to fail inside the report kernel; both now read segkit.parameters
    from segkit.exceptions import SegmentationError
    from segkit.segment import Segmenter

    with pytest.raises(SegmentationError):
        Segmenter(**segmentation).fit([[0.0], [1.0], [2.0]])


def test_a_config_seed_must_be_an_integer_though_the_segmenter_takes_none():
    with pytest.raises(ConfigError, match=r"'segmentation.random_state' must be an integer in \[0, 4294967295\], "
                                          r"got None"):
        load_config(None, overrides=["segmentation.random_state=null"])


@pytest.mark.parametrize(
    "segmentation",
    [{"n_segments": 10}, {"n_segments": 2, "k_min": 2, "k_max": 2}, {"random_state": 2**32 - 1},
     {"random_state": 0}, {"min_share": 0}, {"algorithm": "hdbscan"}, {"n_bootstrap": 0}],
    ids=["k-at-k_max", "k-range-of-one", "seed-largest", "seed-zero", "min_share-zero", "hdbscan-auto", "no-bootstrap"],
)
def test_valid_segmentation_keys_pass(segmentation):
    cfg = load_config(None, overrides=[f"segmentation.{k}={v}" for k, v in segmentation.items()])
    assert all(cfg["segmentation"][k] == v for k, v in segmentation.items())


@pytest.mark.parametrize(
    ("names", "message"),
    [('{0: ""}', r"'segment_names.0' must be a name \(non-empty text\), got ''"),
     ('{1: "   "}', r"'segment_names.1' must be a name \(non-empty text\), got '   '"),
     ("{0: 2024}", r"'segment_names.0' must be a name \(non-empty text\), got 2024"),
     ('{vip: "Big spenders"}', r"'segment_names' must be keyed by segment ids \(integers >= 0\), got 'vip'")],
    ids=["empty", "blank", "number", "not-an-id"],
)
def test_segment_names_are_non_empty_text_keyed_by_segment_id(tmp_path, names, message):
    with pytest.raises(ConfigError, match=message):
        load_config(write(tmp_path, f"segment_names: {names}\n"))


def test_segment_names_from_set_keep_working():
    cfg = load_config(None, overrides=["segment_names.2=Big spenders", "segment_names.0='Loyal'"])
    assert cfg["segment_names"] == {2: "Big spenders", 0: "Loyal"}


def test_the_readme_documents_every_config_key():
    from pathlib import Path

    from segkit.config import DEFAULT_CONFIG

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")

    def keys(tree, prefix=""):
        for key, value in tree.items():
            yield f"{prefix}{key}"
            if isinstance(value, dict) and value and f"{prefix}{key}" not in ("attractiveness.weights",):
                yield from keys(value, f"{prefix}{key}.")

    leaves = [k for k in keys(DEFAULT_CONFIG) if not isinstance(_get(DEFAULT_CONFIG, k), dict) or not _get(
        DEFAULT_CONFIG, k) or k == "attractiveness.weights"]
    undocumented = [k for k in leaves if f"| `{k}` |" not in readme]
    assert undocumented == [], f"README's config key table lacks {undocumented}"


def _get(tree, dotted):
    for part in dotted.split("."):
        tree = tree[part]
    return tree


def test_customer_id_list_is_validated():
    with pytest.raises(ConfigError, match="a list of two"):
        load_config(None, overrides=["columns.customer_id=[a, b, c]"])
    with pytest.raises(ConfigError, match="'columns.date' must be a column name"):
        load_config(None, overrides=["columns.date=[a, b]"])


def test_a_set_written_with_a_colon_suggests_the_equals_sign():
    with pytest.raises(ConfigError, match=r"did you mean 'segmentation.n_segments=4'\?"):
        parse_override("segmentation.n_segments: 4")


@pytest.mark.parametrize("override, message", [
    ("attractiveness.weights=[1, 2]", "'attractiveness.weights' must be a mapping"),
    ("attractiveness.weights.size=.inf", "'attractiveness.weights.size' must be a number >= 0, got inf"),
    ("report.timeout=.inf", "'report.timeout' must be a number of seconds > 0, got inf"),
    ("campaign.cost=3", "did you mean 'campaign.cost_per_contact'"),
    ("campaign.revenue=30", "did you mean 'campaign.revenue_per_response'"),
], ids=["weights-list", "weight-inf", "timeout-inf", "cost-typo", "revenue-typo"])
def test_set_mistakes_around_campaign_keys(override, message):
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace(".", r"\.")):
        make_config({}, overrides=[override])


@pytest.mark.parametrize("value", [pytest.param(True, id="a-boolean"), pytest.param("", id="empty-name"),
                                   pytest.param([1, 2], id="a-list")])
def test_survey_weight_must_name_a_column(value):
    with pytest.raises(ConfigError, match=r"survey\.weight.*the name of the column"):
        make_config({"survey": {"weight": value}})


def test_engine_is_duckdb_by_default_and_set_takes_spark():
    assert load_config(None)["engine"] == "duckdb"
    assert load_config(None, overrides=["engine=spark"])["engine"] == "spark"
