"""The matrix-form model: columns, named row blocks, COO terms and a cost accumulator, in numpy.

Constraint blocks never touch a solver. Each appends a block of rows (with keys that make
human-readable names such as ``budget[tax,2028]``) and its coefficients as numpy triples, and
adds its objective terms to the model's one ``CostAccumulator`` (as GenX's blocks add to
``eObj``): the objective is the sum of what the blocks contributed, and its parts by kind are
read from the same place. The solve module hands the assembled matrix straight to HiGHS or, for
CBC, to PuLP. Building rows in bulk instead of ``+=`` on expressions is what keeps large models
quick to build (docs/model.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

INF = np.inf


@dataclass
class Block:
    name: str
    start: int
    keys: list[tuple]

    @property
    def stop(self) -> int:
        return self.start + len(self.keys)

    def row_name(self, i: int) -> str:
        return key_name(self.name, self.keys[i])


def key_name(block: str, key: tuple) -> str:
    """``budget[tax,2028]``; an empty key part (the municipality-wide district of a coverage key
    (service, "", year)) is left out, so the name reads ``coverage[library,2030]``."""
    return f"{block}[{','.join(str(k) for k in key if k != '')}]"


@dataclass
class CostTerm:
    kind: str  # capex, opex, shortfall, interest, stability, violation, …
    cols: np.ndarray
    coefs: np.ndarray  # MSEK per unit of the column (present value), as reported by kind
    scale: float = 1.0  # weight in the objective (value mode weighs costs, docs/model.md)


@dataclass
class CostAccumulator:
    """The objective as a sum of contributions: ``cost = Σ_terms scale·coefs`` on their columns.

    ``counted`` limits which kinds make the objective (a diagnosis minimises violations
    alone); every term is kept, so the parts by kind can still be reported.
    """

    terms: list[CostTerm] = field(default_factory=list)
    counted: frozenset[str] | None = None

    def add(self, kind: str, cols: np.ndarray, coefs, scale: float = 1.0) -> None:
        cols = np.asarray(cols, dtype=np.int64)
        coefs = np.broadcast_to(np.asarray(coefs, dtype=float), cols.shape)
        self.terms.append(CostTerm(kind, cols, coefs, scale))

    def vector(self, n_cols: int) -> np.ndarray:
        cost = np.zeros(n_cols)
        for term in self.terms:
            if self.counted is None or term.kind in self.counted:
                np.add.at(cost, term.cols, term.scale * term.coefs)
        return cost

    def parts(self, order: tuple[str, ...] = ()) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """(columns, coefficients) by kind: kinds in ``order`` first, then as contributed."""
        by_kind: dict[str, list[CostTerm]] = {}
        for term in self.terms:
            by_kind.setdefault(term.kind, []).append(term)
        kinds = [k for k in order if k in by_kind] + [k for k in by_kind if k not in order]
        return {
            k: (
                np.concatenate([t.cols for t in by_kind[k]]),
                np.concatenate([t.coefs for t in by_kind[k]]),
            )
            for k in kinds
        }


def _assembled(parts: str, dtype=float) -> property:
    """A read-only view of the model's per-block ``parts`` (``col_lower``, …) as one array."""
    return property(lambda model: model._cat(getattr(model, parts), dtype))


@dataclass
class LinearModel:
    """min cost·x + offset  s.t.  row_lower ≤ A x ≤ row_upper,  col_lower ≤ x ≤ col_upper."""

    col_lower: list[np.ndarray] = field(default_factory=list)
    col_upper: list[np.ndarray] = field(default_factory=list)
    costs: CostAccumulator = field(default_factory=CostAccumulator)
    col_integer: list[np.ndarray] = field(default_factory=list)
    col_blocks: dict[str, Block] = field(default_factory=dict)
    row_lower: list[np.ndarray] = field(default_factory=list)
    row_upper: list[np.ndarray] = field(default_factory=list)
    row_blocks: dict[str, Block] = field(default_factory=dict)
    _rows: list[np.ndarray] = field(default_factory=list)
    _cols: list[np.ndarray] = field(default_factory=list)
    _vals: list[np.ndarray] = field(default_factory=list)
    n_cols: int = 0
    n_rows: int = 0
    offset: float = 0.0
    # (columns, values) of a known plan for the solver to start from (HiGHS only)
    initial_solution: tuple[np.ndarray, np.ndarray] | None = None

    # ---- columns --------------------------------------------------------------------
    def add_columns(
        self, name: str, keys: list[tuple], lower, upper, cost=0.0, integer: bool = False
    ) -> np.ndarray:
        """A block of columns; a non-zero ``cost`` is added to the accumulator as kind ``name``."""
        n = len(keys)
        self.col_blocks[name] = Block(name, self.n_cols, keys)
        self.col_lower.append(np.broadcast_to(np.asarray(lower, float), (n,)).copy())
        self.col_upper.append(np.broadcast_to(np.asarray(upper, float), (n,)).copy())
        self.col_integer.append(np.full(n, integer, dtype=bool))
        cols = np.arange(self.n_cols, self.n_cols + n)
        self.n_cols += n
        if np.any(np.asarray(cost) != 0.0):
            self.costs.add(name, cols, cost)
        return cols

    # ---- rows -----------------------------------------------------------------------
    def add_rows(self, name: str, keys: list[tuple], lower, upper) -> np.ndarray:
        n = len(keys)
        if name in self.row_blocks:
            raise ValueError(f"row block {name} added twice")
        self.row_blocks[name] = Block(name, self.n_rows, keys)
        self.row_lower.append(np.broadcast_to(np.asarray(lower, float), (n,)).copy())
        self.row_upper.append(np.broadcast_to(np.asarray(upper, float), (n,)).copy())
        rows = np.arange(self.n_rows, self.n_rows + n)
        self.n_rows += n
        return rows

    def add_terms(self, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray | float) -> None:
        rows = np.asarray(rows, dtype=np.int64)
        cols = np.asarray(cols, dtype=np.int64)
        vals = np.broadcast_to(np.asarray(vals, dtype=float), rows.shape)
        keep = vals != 0.0
        self._rows.append(rows[keep])
        self._cols.append(cols[keep])
        self._vals.append(vals[keep])

    # ---- lifting rows during the build (years that are history in a replan) ------------
    @staticmethod
    def _merged(parts: list[np.ndarray]) -> np.ndarray:
        """The parts as one array, kept as the only part so that edits stick."""
        if len(parts) != 1:
            parts[:] = [np.concatenate(parts) if parts else np.zeros(0)]
        return parts[0]

    def set_row_bounds(self, rows, lower=None, upper=None) -> None:
        if lower is not None:
            self._merged(self.row_lower)[rows] = lower
        if upper is not None:
            self._merged(self.row_upper)[rows] = upper

    # ---- assembled views ------------------------------------------------------------
    def _cat(self, parts: list[np.ndarray], dtype=float) -> np.ndarray:
        return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype)

    lower = _assembled("col_lower")
    upper = _assembled("col_upper")
    integer = _assembled("col_integer", bool)
    rlower = _assembled("row_lower")
    rupper = _assembled("row_upper")

    @property
    def cost(self) -> np.ndarray:
        return self.costs.vector(self.n_cols)

    def matrix(self, fmt: str = "csc") -> sp.spmatrix:
        """The constraint matrix with duplicate entries summed."""
        coo = sp.coo_matrix(
            (
                self._cat(self._vals),
                (self._cat(self._rows, np.int64), self._cat(self._cols, np.int64)),
            ),
            shape=(self.n_rows, self.n_cols),
        )
        return coo.tocsc() if fmt == "csc" else coo.tocsr()

    @property
    def nnz(self) -> int:
        return int(sum(len(v) for v in self._vals))


def expand_ranges(starts: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ranges [start, start+count): (owner index per element, element value)."""
    counts = np.maximum(np.asarray(counts, dtype=np.int64), 0)
    owner = np.repeat(np.arange(len(counts)), counts)
    if owner.size == 0:
        return owner, owner.copy()
    offsets = np.arange(owner.size) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, np.asarray(starts, dtype=np.int64)[owner] + offsets
