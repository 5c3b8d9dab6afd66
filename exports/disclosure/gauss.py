"""Secondary suppression by Gaussian elimination over one system of linear relations, after
Statistics Norway's GaussSuppression.

Every published figure is a linear combination of *inner cells* (the finest pieces an attacker
could want: one quantity, one leaf geography, one year). A figure is safe while it is not in the
span of the published figures: then some change of the inner cells keeps every published figure
and moves it. The greedy pass keeps that true for every figure of every primary cell: cells are
offered in the order they are most wanted, and a cell is published only if the figures it adds
leave every primary figure outside the span. A cell that would give one back is hidden
(secondary). This always ends with a safe pattern (at worst everything is hidden), so it never
stops publication; a later candidate whose figures are already in the span adds nothing and is
published.

Zeros: a published figure of 0 over inner cells that cannot be negative says each of them is 0
(an interval argument the plain linear algebra would miss), so it adds their unit vectors.
Singletons: a primary cell with one person behind it is known to that person, who may then
subtract it; its figures are therefore also tried as known, and another primary cell that would
then be fixed makes the candidate hidden (the "two singletons in one relation" case).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

TOLERANCE = 1e-9


@dataclass
class Cell:
    """One unit of suppression: the figures a table shows or hides together (value, n, ...).
    figures: {inner_key: coefficient} per figure; values: each figure's true value (for zeros);
    nonnegative: whether the figure's inner cells cannot be negative."""

    key: tuple
    figures: list[dict]
    values: list[float]
    nonnegative: list[bool]
    is_primary: bool = False
    is_singleton: bool = False
    is_forced: bool = False  # shown whatever happens (an empty row: a reader reads it as 0)
    must_hide: bool = False  # hidden as a secondary from the start (a repair: see suppress)
    priority: tuple = ()
    decided_by: str | None = field(default=None)


class _Span:
    """An orthonormal basis of the published figures' span, in the inner cells' coordinates."""

    def __init__(self, dim: int):
        self.basis = np.zeros((dim, 0))

    def residual(self, vectors: np.ndarray) -> np.ndarray:
        for _ in range(2):  # twice: classical Gram-Schmidt loses orthogonality once
            vectors = vectors - self.basis @ (self.basis.T @ vectors)
        return vectors

    def new_directions(self, vectors: np.ndarray) -> np.ndarray:
        """Orthonormal directions that vectors add to the span (none when already inside)."""
        rest = self.residual(vectors)
        norms = np.linalg.norm(vectors, axis=0)
        keep = np.linalg.norm(rest, axis=0) > TOLERANCE * np.maximum(norms, 1.0)
        if not keep.any():
            return np.zeros((vectors.shape[0], 0))
        u, s, _ = np.linalg.svd(rest[:, keep], full_matrices=False)
        return u[:, s > TOLERANCE * max(s.max(), 1.0)]

    def add(self, directions: np.ndarray) -> None:
        self.basis = np.hstack([self.basis, directions])


def _determined(residuals: np.ndarray, norms: np.ndarray, directions: np.ndarray) -> np.ndarray:
    """Which protected figures (columns of residuals, already reduced by the span) the new
    directions would put inside the span."""
    if residuals.shape[1] == 0 or directions.shape[1] == 0:
        return np.zeros(residuals.shape[1], dtype=bool)
    left = residuals - directions @ (directions.T @ residuals)
    return np.linalg.norm(left, axis=0) <= TOLERANCE * np.maximum(norms, 1.0)


def suppress(cells: list[Cell]) -> None:
    """Decide every cell (sets cell.decided_by: None = published, 'primary', 'secondary'), one
    connected component at a time (cells sharing no inner cell do not constrain each other)."""
    for component in _components(cells):
        front: set = set()
        for _ in range(12):
            _suppress_component(component, front)
            known = set(recoverable(component))
            primaries = [c for c in component if c.decided_by == "primary" and c.key in known]
            if primaries:
                # given back through zeros (a relation whose hidden part sums to 0): hide a
                # published cell that adds persons to it, and decide again
                if not any(_hide_a_partner(component, cell) for cell in primaries):
                    break
                continue
            if not known - front:
                break
            # a hidden cell the published ones give away anyway: offer it first next time
            front |= known


def _hide_a_partner(cells: list[Cell], primary: Cell) -> bool:
    """Mark the least wanted published cell that shares pieces with the primary and has persons
    behind it (a positive non-negative figure) to be hidden; False when there is none."""
    pieces = {k for f in primary.figures for k in f}
    partners = [c for c in cells if c.decided_by is None and not c.must_hide and not c.is_forced
                and any(nn and v > 0 and pieces & f.keys() for f, v, nn in zip(c.figures, c.values, c.nonnegative))]
    if not partners:
        return False
    max(partners, key=lambda c: (c.priority, repr(c.key))).must_hide = True
    return True


def _components(cells: list[Cell]) -> list[list[Cell]]:
    parent: dict = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, cell in enumerate(cells):
        for figure in cell.figures:
            for inner in figure:
                parent[find(("cell", i))] = find(("inner", inner))
    groups: dict = {}
    for i, cell in enumerate(cells):
        groups.setdefault(find(("cell", i)), []).append(cell)
    return list(groups.values())


def _suppress_component(cells: list[Cell], front: set = frozenset()) -> None:
    index = {k: i for i, k in enumerate(sorted({k for c in cells for f in c.figures for k in f}, key=repr))}
    dim = len(index)

    def columns(cell: Cell, published: bool) -> np.ndarray:
        vectors = []
        for figure, value, nonnegative in zip(cell.figures, cell.values, cell.nonnegative):
            if published and nonnegative and value == 0 and all(c > 0 for c in figure.values()):
                vectors += [{k: 1.0} for k in figure]  # 0 over non-negative pieces: each is 0
            else:
                vectors.append(figure)
        matrix = np.zeros((dim, len(vectors)))
        for j, vector in enumerate(vectors):
            for k, coefficient in vector.items():
                matrix[index[k], j] += coefficient
        return matrix

    span = _Span(dim)
    primaries = [c for c in cells if c.is_primary]
    protected = np.hstack([columns(c, published=False) for c in primaries]) if primaries else np.zeros((dim, 0))
    norms = np.linalg.norm(protected, axis=0)
    residuals = protected.copy()
    # what a singleton's one person knows: their own cell's figures
    singletons = [columns(c, published=False) for c in primaries if c.is_singleton]
    for cell in primaries:
        cell.decided_by = "primary"

    def protect(cell: Cell) -> None:
        # a hidden secondary's figures stay out of the span from now on, as the primaries do
        nonlocal protected, residuals, norms
        own = columns(cell, published=False)
        rest = span.residual(own)
        keep = np.linalg.norm(rest, axis=0) > TOLERANCE * np.maximum(np.linalg.norm(own, axis=0), 1.0)
        protected = np.hstack([protected, own[:, keep]])
        residuals = np.hstack([residuals, rest[:, keep]])
        norms = np.linalg.norm(protected, axis=0)

    for cell in (c for c in cells if c.is_forced):
        directions = span.new_directions(columns(cell, published=True))
        cell.decided_by = None
        span.add(directions)
        residuals = residuals - directions @ (directions.T @ residuals)

    def known_already(cell: Cell) -> bool:
        # a cell whose value the forced cells give away is offered first: hiding it is no use
        own = columns(cell, published=False)[:, :1]
        return np.linalg.norm(span.residual(own)) <= TOLERANCE * max(np.linalg.norm(own), 1.0)

    for cell in (c for c in cells if c.must_hide and not c.is_primary):
        cell.decided_by = "secondary"
        protect(cell)
    candidates = [c for c in cells if not c.is_primary and not c.is_forced and not c.must_hide]
    order = sorted(candidates, key=lambda c: (c.key not in front, not known_already(c), c.priority, repr(c.key)))
    for cell in order:
        directions = span.new_directions(columns(cell, published=True))
        if directions.shape[1] and (_determined(residuals, norms, directions).any() or (
                singletons and _singleton_breaks(span, directions, singletons, protected))):
            cell.decided_by = "secondary"
            protect(cell)
            continue
        cell.decided_by = None
        if directions.shape[1]:
            span.add(directions)
            residuals = residuals - directions @ (directions.T @ residuals)


def _singleton_breaks(span: _Span, directions: np.ndarray, singletons: list, protected: np.ndarray) -> bool:
    """Would a singleton's person, knowing their own cell, fix another primary figure once the
    candidate is published?"""
    trial = _Span(span.basis.shape[0])
    trial.basis = np.hstack([span.basis, directions])
    for own in singletons:
        extended = _Span(trial.basis.shape[0])
        extended.basis = trial.basis
        extra = extended.new_directions(own)
        extended.add(extra)
        others = extended.residual(protected)
        fixed = np.linalg.norm(others, axis=0) <= TOLERANCE * np.maximum(np.linalg.norm(protected, axis=0), 1.0)
        own_fixed = np.linalg.norm(extended.residual(own), axis=0) <= TOLERANCE
        if fixed.sum() > own_fixed.sum() and _fixes_beyond_own(extended, own, protected, fixed):
            return True
    return False


def _fixes_beyond_own(span: _Span, own: np.ndarray, protected: np.ndarray, fixed: np.ndarray) -> bool:
    """True when a fixed protected figure is not one of the singleton's own figures."""
    for j in np.flatnonzero(fixed):
        column = protected[:, [j]]
        if not any(np.allclose(column, own[:, [k]]) for k in range(own.shape[1])):
            return True
    return False


def recoverable(cells: list[Cell]) -> list[tuple]:
    """Self-check after suppress(): hidden cells with a figure in the span of the published
    figures (must be none)."""
    found = []
    for component in _components(cells):
        index = {k: i for i, k in enumerate(sorted({k for c in component for f in c.figures for k in f}, key=repr))}
        vectors = []
        for cell in component:
            if cell.decided_by is None:
                for figure, value, nonnegative in zip(cell.figures, cell.values, cell.nonnegative):
                    zero = nonnegative and value == 0 and all(c > 0 for c in figure.values())
                    vectors += [{k: 1.0} for k in figure] if zero else [figure]
        hidden = [c for c in component if c.decided_by is not None]
        if not hidden:
            continue
        vectors += [{k: 1.0} for k in sorted(_forced_zeros(component), key=repr)]
        published = np.zeros((len(index), len(vectors)))
        for j, vector in enumerate(vectors):
            for k, c in vector.items():
                published[index[k], j] += c
        span = _Span(len(index))
        if vectors:
            u, sv, _ = np.linalg.svd(published, full_matrices=False)
            span.basis = u[:, sv > TOLERANCE * max(sv.max(), 1.0)]
        # every figure a hidden cell hides (value, pooled numerator, n): an attacker who fixes
        # any of them has recovered something hidden
        owners = [(cell, figure) for cell in hidden for figure in cell.figures if figure]
        columns = np.zeros((len(index), len(owners)))
        for j, (_, figure) in enumerate(owners):
            for k, c in figure.items():
                columns[index[k], j] += c
        left = np.linalg.norm(span.residual(columns), axis=0)
        norms = np.linalg.norm(columns, axis=0)
        given_back = {id(cell) for (cell, _), r, n in zip(owners, left, norms) if n > 0 and r <= TOLERANCE * max(n, 1.0)}
        found += [c.key for c in hidden if id(c) in given_back]
    return found


def _forced_zeros(cells: list[Cell]) -> set:
    """Pieces every solution of the published figures puts at 0: a hidden figure of 0 over
    non-negative pieces whose largest value the published figures allow is 0 (a relation whose
    hidden part sums to 0 gives each piece away: the interval argument a linear check misses).
    One linear programme per hidden figure of 0; only the non-negative figures are used."""
    from scipy.optimize import linprog

    candidates = [f for c in cells if c.decided_by is not None
                  for f, v, nn in zip(c.figures, c.values, c.nonnegative)
                  if nn and abs(v) < 1e-9 and f and all(x > 0 for x in f.values())]
    rows = [(f, v) for c in cells if c.decided_by is None
            for f, v, nn in zip(c.figures, c.values, c.nonnegative) if nn and f]
    if not candidates or not rows:
        return set()
    index = {k: i for i, k in enumerate(sorted({k for f, _ in rows for k in f} | {k for f in candidates for k in f},
                                              key=repr))}
    nonnegative = {k for c in cells for f, nn in zip(c.figures, c.nonnegative) if nn for k, x in f.items() if x > 0}
    a = np.zeros((len(rows), len(index)))
    b = np.array([v for _, v in rows], dtype=float)
    for i, (f, _) in enumerate(rows):
        for k, x in f.items():
            a[i, index[k]] += x
    slack = 1e-6 * np.maximum(np.abs(b), 1.0)  # sums of weights carry rounding
    bounds = [(0, None) if k in nonnegative else (None, None) for k in index]
    forced: set = set()
    for figure in candidates:
        if figure.keys() <= forced:
            continue
        objective = np.zeros(len(index))
        for k, x in figure.items():
            objective[index[k]] -= x
        result = linprog(objective, A_ub=np.vstack([a, -a]), b_ub=np.concatenate([b + slack, slack - b]),
                         bounds=bounds, method="highs")
        if result.status == 2:  # the published figures disagree beyond rounding: nothing to learn
            return set()
        if result.status == 0 and -result.fun <= 1e-3:  # within the rounding slack: 0
            forced |= figure.keys()
    return forced
