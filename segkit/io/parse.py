"""Cell text to typed values: numbers, yes/no answers and ids, and the words for "no value".

Numbers are read as people write them (``$1,234.50``, ``1.234,50``, Swiss ``1'234.50``,
accounting negatives ``(3.00)``, ``12.5 %``, ``350k``); ``?``, ``none``, ``(blank)`` and blank
cells are missing in number, date, id and yes/no columns, while ``-`` is never guessed (Excel
writes zero that way) and is an error that says so. Dates and times of day are read by
:mod:`segkit.io.dates`.

Examples
--------
>>> import pandas as pd
>>> to_float(pd.Series(["$1,234.50", "(3.00)", "?"]), label="x.csv", column="Spend", frame=pd.DataFrame()).tolist()
[1234.5, -3.0, nan]
>>> to_flag(pd.Series(["Yes", "n", None]), label="x.csv", column="Response", frame=pd.DataFrame()).tolist()
[1, 0, <NA>]
>>> normalise_ids(pd.Series([17850.0, None])).tolist()
['17850', <NA>]
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from segkit.exceptions import DataError
from segkit.io.messages import first_bad, plural, show
from segkit.io.names import is_id_name
from segkit.schema import FLAG_VALUES

__all__ = ["LARGEST_NUMBER", "MISSING_WORDS", "PLACEHOLDERS", "clean_number_text", "finite_numbers", "has_value", "infer_arrow",
           "id_codes", "infer_types", "is_number", "is_text", "normalise_ids", "role_numbers", "to_flag", "to_float", "without_missing_words"]

#: Other spellings of "no value" (lower case) in cells of number, date, id and yes/no columns.
#: In a text column they stay text: there 'none' may be a real answer.
MISSING_WORDS = frozenset({"?", "??", "none", "null", "nil", "na", "n/a", "#n/a", "#na", "nan", "blank", "(blank)",
                           "(null)", "(none)", "(empty)", "empty", "missing"})
#: Placeholders that may mean "missing" or "zero" (Excel's accounting format shows 0 as '-'):
#: never guessed; a number column holding them is an error that says so.
PLACEHOLDERS = frozenset({"-", "--", "---", "\u2013", "\u2014", ".", "n.a.", "unknown"})
_MISSING_ARRAY = pa.array(sorted(MISSING_WORDS))


def is_text(s: pd.Series) -> bool:
    """Whether a column holds text (strings or Python objects), not numbers, dates or flags."""
    return pd.api.types.is_string_dtype(s) or s.dtype == object


def is_number(s: pd.Series) -> bool:
    """Whether a column is typed as numbers (booleans included)."""
    return pd.api.types.is_numeric_dtype(s)


def infer_types(table: pa.Table) -> pd.DataFrame:
    """Turn fully numeric text columns into numbers; leave ids and zero-padded codes as text."""
    return infer_arrow(table).to_pandas()


def infer_arrow(table: pa.Table) -> pa.Table:
    """:func:`infer_types` without the conversion to pandas: the typed Arrow table."""
    columns = [_infer_column(name, col) for name, col in zip(table.column_names, table.columns, strict=True)]
    return pa.Table.from_arrays(columns, names=table.column_names)


def _infer_column(name: str, col: pa.ChunkedArray) -> pa.ChunkedArray:
    if col.null_count == len(col):
        return col
    fractions = _plain_fractions(name, col)  # in the file's blocks: combining them would copy every cell
    if fractions is not None:
        return fractions
    if col.num_chunks > 1:  # a big file comes in many blocks, and each call below pays per block
        col = pa.chunked_array([col.combine_chunks()], type=col.type)
    values = pc.utf8_trim_whitespace(col)
    blank = pc.fill_null(pc.equal(values, ""), False)
    if pc.any(blank).as_py():  # a cell of spaces holds no value (spreadsheets export " " for empty)
        nothing = pa.scalar(None, pa.string())
        col, values = pc.if_else(blank, nothing, col), pc.if_else(blank, nothing, values)
        if col.null_count == len(col):
            return col
    if is_id_name(name):
        return col
    as_float = _as_number(values)
    if as_float is None:  # maybe numbers with '-', '?' or '(blank)' for missing values
        words = pc.fill_null(pc.is_in(pc.utf8_lower(values), value_set=_MISSING_ARRAY), False)
        if not pc.any(words).as_py() or pc.all(words).as_py():
            return col
        nothing = pa.scalar(None, pa.string())
        kept = pc.if_else(words, nothing, values)
        as_float = _as_number(kept)
        if as_float is None:
            return col
        col, values = pc.if_else(words, nothing, col), kept
    if pc.any(pc.match_substring_regex(values, r"^(\+|-?0\d)")).as_py():
        return col  # zero-padded codes (00042) and phone-like +44... are text
    finite = pc.is_finite(as_float)
    if pc.all(pc.and_(finite, pc.equal(as_float, pc.floor(as_float)))).as_py() \
            and _mostly(pc.greater_equal(pc.abs(as_float), 2**53)):
        return col  # whole numbers beyond what a float holds exactly (20-digit invoice and card numbers): ids
    if col.null_count == 0:
        try:
            return pc.cast(values, pa.int64())
        except pa.ArrowInvalid:
            pass
        whole = pc.and_(pc.is_finite(as_float), pc.equal(as_float, pc.floor(as_float)))
        if pc.all(whole).as_py() and pc.max(pc.abs(as_float)).as_py() < 2**53:
            return pc.cast(as_float, pa.int64())
    if _codes_too_long(values):
        return col  # 20-digit invoice or customer numbers are codes: a float would round them
    return as_float


def _plain_fractions(name: str, col: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """A column of plain numbers with a fraction in at least one cell, as float64, else None.

    The common column of a wide table of measurements, read in three calls instead of the
    twenty of the general path, which gives the same floats for it: a cast that succeeds
    leaves no blank cell or missing word to clear, a fraction rules out whole-number codes and
    ids, and the check for zero-padded codes is the same.
    """
    if is_id_name(name):
        return None
    try:
        as_float = pc.cast(col, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    numbers = as_float.to_numpy(zero_copy_only=False)
    present = numbers[~np.isnan(numbers)] if as_float.null_count else numbers
    if not np.isfinite(present).all() or (present == np.floor(present)).all():
        return None  # infinities and whole numbers take the general path (ids, codes, integers)
    if _padded_codes(col):
        return None  # zero-padded codes
    return as_float


#: The bytes RE2 reads as spaces (and a vertical tab): a cell starting with one takes the regular expression.
_SPACES = np.zeros(256, dtype=bool)
_SPACES[list(b"\t\n\x0b\x0c\r ")] = True
_PADDED_RE = r"^\s*(\+|-?0\d)"
#: A column of fewer bytes than this is looked at in one pass (its blocks combined).
_ONE_PASS_BYTES = 64 << 20


def _padded_codes(col: pa.ChunkedArray) -> bool:
    """Whether a cell of a text column starts like a zero-padded code or a phone number
    (:data:`_PADDED_RE` matches one of them), read on the first
    bytes of its cells: a wide table asks this of thousands of columns, and a regular
    expression over every cell is most of the cost of reading them as numbers.

    Examples
    --------
    >>> _padded_codes(pa.chunked_array([["0.5", "-0.25", "12.5"]])), _padded_codes(pa.chunked_array([["1.5", "007"]]))
    (False, True)
    """
    chunks = col.chunks
    if col.num_chunks > 1 and col.type == pa.string() and sum(c.nbytes for c in chunks) < _ONE_PASS_BYTES:
        chunks = [col.combine_chunks()]  # one column's cells, copied once: one pass instead of one per block
    for chunk in chunks:
        if chunk.type != pa.string() or not len(chunk):
            if len(chunk) and pc.any(pc.match_substring_regex(chunk, _PADDED_RE)).as_py():
                return True
            continue
        _, offsets, data = chunk.buffers()
        bounds = np.frombuffer(offsets, dtype=np.int32)[chunk.offset:chunk.offset + len(chunk) + 1]
        text = np.frombuffer(data, dtype=np.uint8) if data is not None else np.empty(0, dtype=np.uint8)
        text = np.concatenate([text, np.zeros(3, dtype=np.uint8)])  # a cell's next bytes can be read at its end
        starts, lengths = bounds[:-1], np.diff(bounds)
        present = lengths > 0
        if chunk.null_count:
            present &= chunk.is_valid().to_numpy(zero_copy_only=False)
        first, second, third = text[starts], text[starts + 1], text[starts + 2]
        if (present & _SPACES[first]).any():  # spaces before the value: the regular expression
            if pc.any(pc.match_substring_regex(chunk, _PADDED_RE)).as_py():
                return True
            continue
        digit2 = (second >= ord("0")) & (second <= ord("9")) & (lengths >= 2)
        digit3 = (third >= ord("0")) & (third <= ord("9")) & (lengths >= 3)
        padded = (first == ord("+")) | ((first == ord("0")) & digit2) \
            | ((first == ord("-")) & (second == ord("0")) & digit3)
        if (present & padded).any():
            return True
    return False


def _codes_too_long(values: pa.ChunkedArray) -> bool:
    """Whether a column of plain digit strings is mostly of more than 15 digits, which a float
    cannot keep exactly: codes such as 20-digit invoice numbers, kept as text."""
    present = values.drop_null()
    if not len(present) or not pc.all(pc.match_substring_regex(present, r"^\d+$")).as_py():
        return False
    return _mostly(pc.greater(pc.utf8_length(present), 15))


def _mostly(flags: pa.ChunkedArray) -> bool:
    """Whether at least half the present values are flagged. One 19-digit value among incomes
    of five digits is a number too large (refused by :func:`finite_numbers` with its row), not
    a sign that the column holds codes; a column of such values is one of codes."""
    present = flags.drop_null()
    return bool(len(present)) and pc.sum(present).as_py() * 2 >= len(present)


#: A number written for people: an optional currency mark or code (Brazil's 'R$' too),
#: thousands grouped by ',', '.', "'" or a (narrow) non-breaking space, decimals after '.'
#: or ',', an optional '%', and accounting negatives in parentheses, '(1,234.50)'.
_NUMBER_BODY = ("[+-]?(?:[$€£¥₹]|(?i:usd|eur|gbp|chf|brl|r\\$))?[ \u00a0\u202f]?[+-]?"
                "(?:\\d{1,3}(?:[,.'\u00a0\u202f ]\\d{3})+|\\d+)(?:[.,]\\d+)?"
                "[ \u00a0\u202f]?(?:[$€£¥₹%]|(?i:usd|eur|gbp|chf|brl|r\\$))?")
_NUMBER_TEXT_RE = f"^(?:{_NUMBER_BODY}|\\({_NUMBER_BODY}\\))$"


def _as_number(values: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """Text as float64 (plain or written for people), or None unless every value is a number."""
    try:
        return pc.cast(values, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        numbers = _number_text(values)
        return numbers if numbers is not None else _suffixed_numbers(values)


#: Amounts abbreviated for people, '350k', '1.2M', '$3.5bn': the suffix and its multiplier.
_MAGNITUDES = {"k": 1e3, "K": 1e3, "M": 1e6, "MM": 1e6, "mn": 1e6, "B": 1e9, "bn": 1e9}
_SUFFIXED_RE = r"^[$€£]?[ ]?(\d+(?:\.\d+)?)[ ]?(k|K|MM|M|mn|bn|B)?$"


def _suffixed_numbers(values: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """Read '350k', '1.2M' or '3.5bn' as float64; None unless every value is such a number.

    A column qualifies when its suffixes show they are magnitudes: two of them (``950k`` and
    ``1.2M``) or a decimal before one (``1.2M``), so sizes such as ``6M`` and ``12M`` (baby
    clothes in months) stay text.

    Examples
    --------
    >>> _suffixed_numbers(pa.chunked_array([["350k", "1.2M", None, "75"]])).to_pylist()
    [350000.0, 1200000.0, None, 75.0]
    >>> _suffixed_numbers(pa.chunked_array([["6M", "12M", "18M"]])) is None
    True
    """
    if not pc.all(pc.match_substring_regex(values.slice(0, 1000), _SUFFIXED_RE)).as_py():
        return None
    text = pd.Series(values.to_pandas(), dtype="string")
    parts = text.str.extract(_SUFFIXED_RE)
    if parts[0][text.notna()].isna().any():
        return None
    suffixed = parts[1].notna()
    if not suffixed.any():
        return None
    if parts[1][suffixed].map(_MAGNITUDES).nunique() < 2 and not parts[0][suffixed].str.contains(".", regex=False).any():
        return None
    numbers = parts[0].astype("float64") * parts[1].map(_MAGNITUDES).fillna(1.0).astype("float64")
    return pa.chunked_array([pa.array(numbers.to_numpy(dtype="float64", na_value=np.nan), from_pandas=True)])


def _number_text(values: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """Read '$1,234.50', '1.234,5' or '20049,04 €' as float64; None unless every value is such a number.

    Whether a comma is a decimal comma or a thousands separator is decided for the whole
    column, as :func:`to_float` does (``3,50`` is three and a half; ``1,234`` alone is
    one thousand two hundred and thirty-four).
    """
    for part in (values.slice(0, 1000), values):  # most text columns fail on their first rows
        if not pc.all(pc.match_substring_regex(part, _NUMBER_TEXT_RE)).as_py():
            return None
    codes, uniques = pd.factorize(values.to_pandas())
    parsed = pd.to_numeric(clean_number_text(pd.Series(uniques, dtype="string")), errors="coerce")
    if parsed.isna().any():
        return None
    numbers = np.full(len(codes), np.nan)
    numbers[codes >= 0] = parsed.to_numpy(dtype="float64")[codes[codes >= 0]]
    return pa.chunked_array([pa.array(numbers, from_pandas=True)])


#: Every character Python's ``\s`` matches in text, written out: a pattern with ``\s`` or a ``\u``
#: escape makes pandas run Python's regular expressions value by value (RE2's ``\s`` is ASCII
#: only), one spelled out runs in Arrow (0.9 -> 0.1 s per million values).
_WHITESPACE = "".join(map(chr, [*range(0x9, 0xE), *range(0x1C, 0x21), 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B),
                                0x2028, 0x2029, 0x202F, 0x205F, 0x3000]))
_CURRENCY_RE = f"(?i:r\\$)|[$€£¥₹%'{_WHITESPACE}]|(?i:usd|eur|gbp|chf|brl)"


#: The largest magnitude a number of the data may have. Far beyond any amount, count or age,
#: and far below where squares and sums of float64 overflow (about 1e154), so that no scaling,
#: distance or sum downstream turns a number into inf or NaN.
LARGEST_NUMBER = 1e15


def finite_numbers(s: pd.Series, *, label: str, column, frame: pd.DataFrame) -> pd.Series:
    """``s`` as float64 when every value is finite and at most :data:`LARGEST_NUMBER` in size;
    else a DataError naming the column, how many values, one of them and its row.

    The one place where a number of the data becomes a number segkit computes with: every
    number column of a customer table and every amount, quantity and price of a purchase
    log passes here (through :func:`to_float`), so ``inf`` is never made missing in silence
    and ``1e308`` never overflows into NaN inside the clustering.

    Examples
    --------
    >>> finite_numbers(pd.Series([1.5, None]), label="c.csv", column="Spend", frame=pd.DataFrame()).tolist()
    [1.5, nan]
    >>> finite_numbers(pd.Series([1.0, float("inf")]), label="c.csv", column="Spend",
    ...                frame=pd.DataFrame(index=range(2)))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    segkit.exceptions.DataError: c.csv: column 'Spend' has 1 infinite value (e.g. 'inf' at row 2); expected finite numbers
    """
    values = s.astype("float64")
    numbers = values.to_numpy()
    with np.errstate(invalid="ignore"):
        infinite = np.isinf(numbers)
        huge = ~infinite & (np.abs(numbers) > LARGEST_NUMBER)
    for bad, what, expected in ((infinite, ("infinite value", "infinite values"), "finite numbers"),
                                (huge, ("value too large", "values too large"),
                                 f"numbers between -{LARGEST_NUMBER:.0e} and {LARGEST_NUMBER:.0e}")):
        if bad.any():
            value, row = first_bad(frame, bad, s)
            shown = show(str(value)) if isinstance(value, float | np.floating) and np.isinf(value) else show(value)
            n = int(bad.sum())
            raise DataError(f"{label}: column {column!r} has {n} {plural(n, *what)} (e.g. {shown} at {row}); "
                            f"expected {expected}")
    return values


def to_float(s: pd.Series, *, label: str, column, frame: pd.DataFrame) -> pd.Series:
    """Numbers from a column; text such as '$1,234.50' or '3,50' is accepted, anything else is a
    DataError, and so are infinite and absurdly large numbers (:func:`finite_numbers`)."""
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
        return finite_numbers(s, label=label, column=column, frame=frame)
    text = without_missing_words(s)
    numbers = pd.to_numeric(text, errors="coerce").astype("float64")
    bad = (text.notna() & numbers.isna()).to_numpy()
    if bad.any():
        cleaned = clean_number_text(text[bad])
        numbers[bad] = pd.to_numeric(cleaned, errors="coerce").astype("float64")
        bad = (text.notna() & numbers.isna()).to_numpy()
    if bad.any():
        value, row = first_bad(frame, bad, s)
        n = int(bad.sum())
        hint = ""
        if re.fullmatch(r"[-.\u2013\u2014]+", str(value).strip()):
            hint = (f" ({show(str(value).strip())} may mean missing or zero: write an empty cell for missing, "
                    f"0 for zero)")
        raise DataError(
            f"{label}: column {column!r} has {n} non-numeric {plural(n, 'value', 'values')} "
            f"(e.g. {show(value)} at {row}); expected numbers{hint}"
        )
    return finite_numbers(numbers, label=label, column=column, frame=frame)


def without_missing_words(s: pd.Series) -> pd.Series:
    """Stripped text with blanks and the spellings of "no value" ('-', '?', 'none', '(blank)'...) missing.

    Examples
    --------
    >>> without_missing_words(pd.Series([" 3 ", "?", "(blank)", "N/A", "-"])).tolist()
    ['3', <NA>, <NA>, <NA>, '-']
    """
    text = s.astype("string").str.strip()
    return text.mask((text == "") | text.str.lower().isin(MISSING_WORDS))


def clean_number_text(text: pd.Series) -> pd.Series:
    """Strip currency marks, '%' and thousands separators; read a decimal comma as a point and
    an accounting negative '(3.00)' as -3.00.

    Examples
    --------
    >>> clean_number_text(pd.Series(["(1'234.50)", "12.5 %", "$7"], dtype="string")).tolist()
    ['-1234.50', '12.5', '7']
    >>> clean_number_text(pd.Series(["1\u202f234,50\u00a0€", "(3,00 €)"], dtype="string")).tolist()
    ['1234.50', '-3.00']
    """
    text = text.str.strip().str.replace(r"^\((.*)\)$", r"-\1", regex=True)
    text = text.str.replace(_CURRENCY_RE, "", regex=True)
    decimal_comma = text.str.contains(r"\d\.\d{3},\d|^[+-]?\d+,\d{1,2}$|,\d{4,}$", regex=True).any()
    if decimal_comma:
        return text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    return text.str.replace(",", "", regex=False)


def role_numbers(df: pd.DataFrame, column, *, label: str, absent: pd.Series | None = None) -> pd.Series | None:
    """A role's column as float64, or ``absent`` when the table has no such column."""
    if column is None or column not in df.columns:
        return absent
    return to_float(df[column], label=label, column=column, frame=df)


def normalise_ids(s: pd.Series) -> pd.Series:
    """Ids as pandas strings: whitespace trimmed, blanks missing, '17850.0' -> '17850'."""
    if pd.api.types.is_float_dtype(s):
        values = s.dropna()
        if (values % 1 == 0).all() and (values.abs() < 2**53).all():  # beyond, floats are not whole ids
            return s.astype("Int64").astype("string")
    if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow":
        return pd.Series(pd.array(_arrow_ids(pa.array(s.array)), dtype="string"), index=s.index)
    # a log repeats each id many times: clean the distinct values only
    codes, uniques = pd.factorize(s)
    text = without_missing_words(pd.Series(uniques, dtype="string"))
    text = text.mask(text.str.lower().isin(PLACEHOLDERS))  # an id is never '-' or 'unknown'
    clean = text.str.replace(r"^([+-]?\d+)\.0+$", r"\1", regex=True).to_numpy(dtype=object, na_value=None)
    # Arrow's take builds the column from the distinct ids (a Python object per line took
    # 7 s at 10M lines, this 1.7 s); a missing code is a missing id.
    taken = pa.array(clean, type=pa.string()).take(pa.array(codes, mask=codes < 0))
    return pd.Series(pd.array(taken, dtype="string"), index=s.index)


_NOT_IDS = pa.array(sorted(MISSING_WORDS | PLACEHOLDERS))
_LONGEST_NOT_ID = max(len(word) for word in MISSING_WORDS | PLACEHOLDERS)


def _arrow_ids(text: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """:func:`normalise_ids` of Arrow text, in Arrow (what the pandas steps run, without
    hashing the ids to clean each distinct one once: cheaper when most ids are new, as
    invoices are, and never dearer)."""
    text = pc.utf8_trim_whitespace(text)
    drop = pc.equal(text, "")
    # Lower-casing maps each character to one, so only text as short as the longest of the words
    # can be one: ids longer than that (most customer ids) skip it.
    if pc.any(pc.less_equal(pc.utf8_length(text), _LONGEST_NOT_ID)).as_py():
        drop = pc.or_(drop, pc.is_in(pc.utf8_lower(text), value_set=_NOT_IDS))
    if pc.any(drop).as_py():
        text = pc.if_else(drop, pa.scalar(None, text.type), text)
    # The expression only changes ids with a dot; finding none costs a tenth of running it.
    if not pc.any(pc.match_substring(text, ".")).as_py():
        return text
    return pc.replace_substring_regex(text, r"^([+-]?\d+)\.0+$", r"\1")


def id_codes(s: pd.Series) -> np.ndarray:
    """An integer per distinct id of ``s`` as :func:`normalise_ids` reads them (-1 for a missing one),
    cleaning the distinct values only."""
    codes, uniques = pd.factorize(s)
    if not len(uniques):
        return np.asarray(codes)
    clean = np.asarray(pd.factorize(normalise_ids(pd.Series(uniques)))[0])
    return np.where(codes >= 0, clean[np.maximum(codes, 0)], -1)


def has_value(s: pd.Series) -> np.ndarray:
    """Which values are there: not missing, not blank and not a word for "no value"."""
    present = s.notna().to_numpy().copy()
    if is_text(s) and present.any():
        present[present] = without_missing_words(s[present]).notna().to_numpy()
    return present


def to_flag(s: pd.Series, *, label: str, column, frame: pd.DataFrame) -> pd.Series:
    """Campaign answers as Int8 0/1 (0/1, true/false, yes/no, y/n); missing stays <NA>."""
    if pd.api.types.is_bool_dtype(s):
        return s.astype("Int8")
    text = without_missing_words(s).str.lower()
    if pd.api.types.is_numeric_dtype(s):
        text = s.astype("float64").map(lambda v: v if pd.isna(v) else f"{v:g}").astype("string")
    flags = text.map(FLAG_VALUES.get, na_action="ignore")
    bad = (text.notna() & flags.isna()).to_numpy()
    if bad.any():
        value, row = first_bad(frame, bad, s)
        n = int(bad.sum())
        raise DataError(
            f"{label}: column {column!r} has {n} {plural(n, 'value that is', 'values that are')} not a yes/no answer "
            f"(e.g. {show(value)} at {row}); expected 0/1, yes/no, y/n or true/false"
        )
    return flags.astype("Int8")
