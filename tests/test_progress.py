"""Progress bars: shown when asked for, and tqdm left unimported when not."""

from __future__ import annotations

from segkit._progress import progress


def test_a_loop_without_a_bar_gets_its_items_back_as_they_are():
    items = [3, 1, 2]
    assert progress(items, desc="choosing k", show=False) is items


def test_a_loop_with_a_bar_gets_every_item_through_tqdm(capsys):
    from tqdm.std import tqdm as base

    bar = progress(range(4), desc="stability", show=True)
    assert isinstance(bar, base) and list(bar) == [0, 1, 2, 3]
    assert "stability" in capsys.readouterr().err
