"""OR-Library multi-dimensional knapsack sets (classic capital budgeting) as capplan scenarios.

Beasley's OR-Library (Beasley 1990, JORS 41(11):1069-1072) keeps the classic capital budgeting
problems with published optima: maximise Σ_j p_j x_j subject to Σ_j r_ij x_j ≤ b_i, x_j ∈ {0,1}.
Read as capital budgeting, j is a candidate project with value p_j and i a budget period with
ceiling b_i, r_ij what project j spends in period i. This module parses the files kept in
``benchmarks/data/orlib-mknap/`` (source and checksums in its README.md and SHA256SUMS) and maps
each instance onto capplan's value mode:

* one candidate per item, value p_j, one possible start (the first year: earliest = latest);
* one budget year per constraint row i with ceiling b_i, pool ``tax`` without carry-over;
* the item's spend in year i is r_ij: capex = Σ_i r_ij, spend_profile = r_ij / capex and a lead
  time of m years so the profile fits (an item that spends nothing gets capex 0 and the
  profile [1]: it costs nothing and is always worth taking);
* ``objective = "value"`` with no cost weight, so capplan minimises −Σ p_j x_j; one service with
  a fixed need of 1 and no shortfall cost satisfies the schema without touching the answer.

The published optimum of every instance must come back exactly: objective = −optimum.

Files and formats (all whitespace-separated numbers):

``mknap1.txt``   K, then per problem ``n m opt``, n values, m rows of n coefficients, m capacities.
``mknap2.txt``   Free text, then blocks ``problem NAME.DAT`` with ``m n``, n values, m capacities,
                 the m×n matrix and the optimum; ``+++`` rules and comments sit between blocks.
``mknapcb1.txt`` Chu & Beasley set 5.100 in the mknap1 format (``opt`` is 0); the optima are in
                 ``mkcbres.txt`` (proven optimal for this set) under ``5.100-00`` … ``5.100-29``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FIRST_YEAR = 2026
_PROBLEM = re.compile(r"^\s*problem\s+(\S+)\s*$", re.MULTILINE)
_RESULT = re.compile(r"^\s*(\d+\.\d+-\d+)\s+([-+]?\d+(?:\.\d+)?)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class KnapsackInstance:
    """max values·x s.t. weights @ x ≤ capacities, x binary; ``optimum`` as published."""

    name: str
    values: np.ndarray  # (n,)
    weights: np.ndarray  # (m, n): row i = what each item uses of resource (budget year) i
    capacities: np.ndarray  # (m,)
    optimum: float

    @property
    def n_items(self) -> int:
        return len(self.values)

    @property
    def n_constraints(self) -> int:
        return len(self.capacities)


DATA_FOLDER = Path(__file__).resolve().parent / "data" / "orlib-mknap"


def default_folder() -> Path:
    """``benchmarks/data/orlib-mknap``: the OR-Library files kept in the repository."""
    return DATA_FOLDER


def _numbers(text: str) -> list[float]:
    return [float(token) for token in text.split()]


def _take(numbers: list[float], at: int, count: int) -> tuple[np.ndarray, int]:
    if at + count > len(numbers):
        raise ValueError(
            f"file ends early: needed {count} numbers at position {at}, {len(numbers) - at} left"
        )
    return np.array(numbers[at : at + count], dtype=float), at + count


def parse_mknap1(text: str, prefix: str = "mknap1") -> list[KnapsackInstance]:
    """The mknap1/mknapcb format: K, then per problem ``n m opt``, values, m×n matrix, capacities."""
    numbers = _numbers(text)
    count, at = int(numbers[0]), 1
    instances = []
    for k in range(count):
        head, at = _take(numbers, at, 3)
        n, m, optimum = int(head[0]), int(head[1]), float(head[2])
        values, at = _take(numbers, at, n)
        matrix, at = _take(numbers, at, m * n)
        capacities, at = _take(numbers, at, m)
        instances.append(
            KnapsackInstance(
                f"{prefix}-{k + 1:02d}", values, matrix.reshape(m, n), capacities, optimum
            )
        )
    if at != len(numbers):
        raise ValueError(f"{len(numbers) - at} numbers left after {count} problems")
    return instances


def parse_mknap2(text: str) -> list[KnapsackInstance]:
    """``problem NAME.DAT`` blocks: ``m n``, values, capacities, m×n matrix, optimum."""
    parts = _PROBLEM.split(text)
    instances = []
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        # only numbers and +++ rules sit inside a block; free text is before the first block
        tokens = [t for t in body.split() if not set(t) <= {"+"}]
        numbers = [float(t) for t in tokens]
        m, n = int(numbers[0]), int(numbers[1])
        at = 2
        values, at = _take(numbers, at, n)
        capacities, at = _take(numbers, at, m)
        matrix, at = _take(numbers, at, m * n)
        optimum, at = _take(numbers, at, 1)
        if at != len(numbers):
            raise ValueError(f"{name}: {len(numbers) - at} numbers left after the optimum")
        instances.append(
            KnapsackInstance(
                name.removesuffix(".DAT"),
                values,
                matrix.reshape(m, n),
                capacities,
                float(optimum[0]),
            )
        )
    return instances


def parse_results(text: str) -> dict[str, float]:
    """Best known values of Chu & Beasley's problems (the first table of mkcbres.txt)."""
    best: dict[str, float] = {}
    for name, value in _RESULT.findall(text.split("LP optimal")[0]):
        best.setdefault(name, float(value))
    return best


def load_mknap1(folder: Path | None = None) -> list[KnapsackInstance]:
    return parse_mknap1((Path(folder or default_folder()) / "mknap1.txt").read_text())


def load_mknap2(folder: Path | None = None) -> list[KnapsackInstance]:
    return parse_mknap2((Path(folder or default_folder()) / "mknap2.txt").read_text())


def load_chu_beasley_5_100(folder: Path | None = None) -> list[KnapsackInstance]:
    """Set 5.100 (30 problems, 5 constraints × 100 items) with the optima of mkcbres.txt."""
    folder = Path(folder or default_folder())
    raw = parse_mknap1((folder / "mknapcb1.txt").read_text(), prefix="5.100")
    best = parse_results((folder / "mkcbres.txt").read_text())
    named = []
    for k, inst in enumerate(raw):
        key = f"5.100-{k:02d}"
        named.append(KnapsackInstance(key, inst.values, inst.weights, inst.capacities, best[key]))
    return named


def load_all(folder: Path | None = None) -> list[KnapsackInstance]:
    """mknap1 (7), mknap2 (48, incl. WEING1-8) and Chu & Beasley 5.100 (30): 85 instances."""
    return load_mknap1(folder) + load_mknap2(folder) + load_chu_beasley_5_100(folder)


# ======================================================================================
# Instance -> capplan scenario
# ======================================================================================
def scenario_settings(instance: KnapsackInstance) -> dict:
    m = instance.n_constraints
    return {
        "scenario": {
            "name": f"OR-Library {instance.name}",
            "description": "Classic capital budgeting (multi-dimensional knapsack) in value mode.",
            "first_year": FIRST_YEAR,
            "last_year": FIRST_YEAR + m - 1,
            "discount_rate": 0.0,
            "objective": "value",
            "value_cost_weight": 0.0,
        },
        "departments": [{"id": "ALL", "name": "All projects"}],
        # the schema wants a service; a fixed need of 1 with no shortfall cost changes nothing
        "services": [
            {
                "id": "none",
                "unit": "unit",
                "department": "ALL",
                "fixed_need": 1.0,
                "shortfall_cost": 0.0,
            }
        ],
        "pools": [{"id": "tax", "carry_over": False}],
    }


def candidate_rows(instance: KnapsackInstance) -> list[dict]:
    m = instance.n_constraints
    rows = []
    for j in range(instance.n_items):
        spend = instance.weights[:, j]
        capex = float(spend.sum())
        profile = (spend / capex).tolist() if capex > 0 else [1.0]
        rows.append(
            {
                "id": f"item{j + 1:03d}",
                "name": f"{instance.name} item {j + 1}",
                "department": "ALL",
                "capex": capex,
                "spend_profile": profile,
                "lead_time": m,
                "earliest_start": FIRST_YEAR,
                "latest_start": FIRST_YEAR,
                "lifetime": 1,
                "pool": "tax",
                "value": float(instance.values[j]),
            }
        )
    return rows


def budget_rows(instance: KnapsackInstance) -> list[dict]:
    return [
        {"pool": "tax", "year": FIRST_YEAR + i, "ceiling": float(b)}
        for i, b in enumerate(instance.capacities)
    ]


def to_raw_scenario(instance: KnapsackInstance):
    """The instance as a ``RawScenario`` (what a reader would produce), without any files."""
    from optimizer.io.raw import RawScenario, RawTable

    def table(name: str, columns: list[str], rows: list[dict]) -> RawTable:
        return RawTable(name, f"{name}.csv", columns, [(i + 2, row) for i, row in enumerate(rows)])

    candidates = candidate_rows(instance)
    tables = {
        "candidates": table("candidates", list(candidates[0]), candidates),
        "candidate_capacity": table("candidate_capacity", ["candidate", "service", "capacity"], []),
        "population": table(
            "population", ["variant", "year", "district", "age_group", "population"], []
        ),
        "budgets": table("budgets", ["pool", "year", "ceiling"], budget_rows(instance)),
    }
    return RawScenario(
        Path(f"orlib/{instance.name}"), "scenario.toml", scenario_settings(instance), tables
    )


def to_scenario(instance: KnapsackInstance):
    """The validated capplan ``Scenario`` of an instance (through the real validation)."""
    from optimizer.validate import parse

    return parse(to_raw_scenario(instance))


def chosen_value(instance: KnapsackInstance, chosen: np.ndarray) -> tuple[float, np.ndarray]:
    """(value, resource use per constraint) of a 0/1 choice, recomputed from the raw data."""
    chosen = np.asarray(chosen, dtype=float)
    return float(instance.values @ chosen), instance.weights @ chosen
