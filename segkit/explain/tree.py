"""A shallow threshold tree that imitates a segmentation, for :mod:`segkit.explain.rules`.

The tree is grown best first (the leaf whose split lowers Gini impurity most is split next)
on a numeric design matrix: numbers and ordered positions as they are, one 0/1 column per
category level. Each path from the root may use at most ``max_features`` distinct features
(a feature split twice on one path becomes one range: "1,200 < spend <= 3,000"), each leaf
keeps at least ``min_leaf`` rows, and every threshold is the roundest number that splits
the leaf's rows the same way (1,200 rather than 1,187.35). The grown tree is pruned back:
sibling leaves with the same segment are merged, and splits are undone, cheapest first,
while there are more than ``max_leaves`` leaves or a split puts fewer than ``min_gain`` more
rows in their own segment. Same data, same tree: ties go to the earlier column and the
smaller threshold, and nothing is random.

Examples
--------
>>> import numpy as np
>>> D = np.array([[1.0], [2.0], [3.0], [11.0], [12.0], [13.0]])
>>> y = np.array([0, 0, 0, 1, 1, 1])
>>> leaves = grow_tree(D, y, groups=[0], n_classes=2, min_leaf=1)
>>> [(leaf.path, leaf.label) for leaf in leaves]
[(((0, True, 10.0),), 0), (((0, False, 10.0),), 1)]
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Leaf", "grow_tree", "roundest_between"]


@dataclass
class _Node:
    rows: np.ndarray
    path: tuple = ()
    features: frozenset = frozenset()
    split: tuple | None = None  # (gain, column, threshold)
    children: list = field(default_factory=list)
    label: int = 0
    correct: int = 0


@dataclass(frozen=True)
class Leaf:
    """One leaf: its path ``((column, goes_left, threshold), ...)`` (left means ``<=``), the
    majority segment of its rows and the rows themselves (positions in the design)."""

    path: tuple
    label: int
    rows: np.ndarray


def roundest_between(low: float, high: float) -> float:
    """The number with the fewest significant digits in ``[low, high)``.

    Examples
    --------
    >>> roundest_between(1187.35, 1213.5), roundest_between(0.3967, 0.4021), roundest_between(1.0, 2.0)
    (1200.0, 0.4, 1.0)
    >>> roundest_between(-3.7, -3.2)
    -3.5
    """
    if not high > low:
        return float(low)
    span = max(abs(low), abs(high), 1e-300)
    exponent = math.floor(math.log10(span)) + 1
    for e in range(exponent, exponent - 17, -1):
        for mult in (10, 5, 2, 1):
            step = mult * 10.0 ** (e - 1)
            candidate = math.ceil(low / step - 1e-12) * step
            candidate = float(f"{candidate:.15g}")
            if low <= candidate < high:
                return candidate
    return float(low)


def _best_split(D: np.ndarray, y1h: np.ndarray, rows: np.ndarray, columns: list[int], min_leaf: int):
    """(gain, column, threshold) of the split of ``rows`` that lowers Gini impurity most."""
    n = len(rows)
    if n < 2 * min_leaf:
        return None
    counts = y1h[rows]
    total = counts.sum(axis=0)
    parent = n - (total**2).sum() / n
    best = None
    sizes = np.arange(1, n)
    for j in columns:
        values = D[rows, j]
        order = np.argsort(values, kind="stable")
        ordered = values[order]
        left = np.cumsum(counts[order], axis=0)[:-1]
        right = total - left
        ok = (ordered[1:] != ordered[:-1]) & (sizes >= min_leaf) & (n - sizes >= min_leaf)
        if not ok.any():
            continue
        impurity = (sizes - (left**2).sum(axis=1) / sizes) + ((n - sizes) - (right**2).sum(axis=1) / (n - sizes))
        impurity = np.where(ok, impurity, np.inf)
        i = int(np.argmin(impurity))
        gain = parent - impurity[i]
        if gain > 1e-9 and (best is None or gain > best[0] + 1e-9):
            best = (float(gain), j, roundest_between(float(ordered[i]), float(ordered[i + 1])))
    return best


def _majority(y: np.ndarray, rows: np.ndarray, n_classes: int) -> tuple[int, int]:
    counts = np.bincount(y[rows], minlength=n_classes)
    return int(np.argmax(counts)), int(counts.max())


def grow_tree(D: np.ndarray, y: np.ndarray, *, groups, n_classes: int, max_features: int = 3,
              max_leaves: int = 10, min_leaf: int = 10, min_gain: int = 1) -> list[Leaf]:
    """Grow, prune and return the leaves of a threshold tree imitating ``y`` (see the module).

    Parameters
    ----------
    D : ndarray (n_rows, n_columns)
        The design matrix (no missing values).
    y : ndarray of int
        The segment of every row (0..n_classes-1).
    groups : sequence of int
        The feature each design column belongs to (one-hot columns of a category share one).
    max_features : int
        Most distinct features on one path.
    max_leaves : int
        Most leaves (rules) kept after pruning.
    min_leaf : int
        Fewest rows in a leaf.
    min_gain : int
        Fewest rows a split must put in their own segment to be kept.
    """
    y = np.asarray(y, dtype=np.int64)
    y1h = np.eye(n_classes)[y]
    root = _Node(rows=np.arange(len(y)))
    heap: list = []
    counter = 0

    def consider(node: _Node) -> None:
        nonlocal counter
        node.label, node.correct = _majority(y, node.rows, n_classes)
        allowed = [j for j in range(D.shape[1])
                   if len(node.features) < max_features or groups[j] in node.features]
        node.split = _best_split(D, y1h, node.rows, allowed, min_leaf) if node.correct < len(node.rows) else None
        if node.split is not None:
            counter += 1
            heapq.heappush(heap, (-node.split[0], counter, node))

    consider(root)
    budget = max(3 * max_leaves, max_leaves + 8)
    leaves = 1
    while heap and leaves < budget:
        _, _, node = heapq.heappop(heap)
        _, j, threshold = node.split
        goes_left = D[node.rows, j] <= threshold
        for side in (True, False):
            child = _Node(rows=node.rows[goes_left if side else ~goes_left], path=(*node.path, (j, side, threshold)),
                          features=node.features | {groups[j]})
            node.children.append(child)
            consider(child)
        leaves += 1
    _prune(root, max_leaves=max_leaves, min_gain=min_gain)
    return [Leaf(node.path, node.label, node.rows) for node in _leaves(root)]


def _leaves(node: _Node) -> list[_Node]:
    if not node.children:
        return [node]
    return [leaf for child in node.children for leaf in _leaves(child)]


def _prunable(node: _Node) -> list[_Node]:
    """Internal nodes whose children are all leaves."""
    if not node.children:
        return []
    if all(not child.children for child in node.children):
        return [node]
    return [p for child in node.children for p in _prunable(child)]


def _prune(root: _Node, *, max_leaves: int, min_gain: int) -> None:
    """Undo splits, cheapest first, while one costs nothing, gains less than ``min_gain`` rows
    or there are more than ``max_leaves`` leaves."""
    while True:
        candidates = _prunable(root)
        if not candidates:
            return
        cost = [sum(c.correct for c in node.children) - node.correct for node in candidates]
        i = int(np.argmin(cost))
        if cost[i] < min_gain or len(_leaves(root)) > max_leaves:
            candidates[i].children = []
        else:
            return
