"""What a sweep's samples say (docs/sweep.md): how often each candidate is chosen and when, the
distribution of cost, debt and shortfall, the fan of coverage per service and year, and the
risk of a shortfall. Read by the sweep and robust reports from the samples ``optimizer.sweep``
writes (one row per sample, ``SAMPLE_COLUMNS``)."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd

PERCENTILES = (10, 50, 90)


def candidate_frequency(samples: pd.DataFrame, candidates: list[str]) -> pd.DataFrame:
    """How often each candidate is chosen, and when (first start year: mean, earliest, latest)."""
    solved = samples[samples["status"].isin(["optimal", "feasible"])]
    firsts: dict[str, list[int]] = {c: [] for c in candidates}
    for text in solved["starts"]:
        for candidate, by_year in json.loads(text).items():
            firsts.setdefault(candidate, []).append(min(int(y) for y in by_year))
    n = max(len(solved), 1)
    records = [
        (
            c,
            len(years) / n,
            float(np.mean(years)) if years else math.nan,
            min(years) if years else None,
            max(years) if years else None,
        )
        for c, years in firsts.items()
    ]
    frame = pd.DataFrame(
        records, columns=["candidate", "share_chosen", "mean_start", "earliest", "latest"]
    )
    return frame.sort_values(
        ["share_chosen", "candidate"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


def distribution(samples: pd.DataFrame) -> pd.DataFrame:
    """Mean and percentiles of cost, debt and shortfall over the solved samples."""
    solved = samples[samples["status"].isin(["optimal", "feasible"])]
    rows = []
    for measure in (
        "objective",
        "capex",
        "max_debt",
        "end_debt",
        "shortfall_units",
        "shortfall_cost",
    ):
        values = solved[measure].astype(float).to_numpy()
        if values.size == 0:
            rows.append((measure, math.nan, *(math.nan for _ in PERCENTILES), math.nan))
            continue
        rows.append(
            (
                measure,
                float(values.mean()),
                *(float(np.percentile(values, p)) for p in PERCENTILES),
                float(values.max()),
            )
        )
    return pd.DataFrame(rows, columns=["measure", "mean", *(f"p{p}" for p in PERCENTILES), "max"])


def _solved(samples: pd.DataFrame) -> pd.DataFrame:
    return samples[samples["status"].isin(["optimal", "feasible"])]


def _json_cells(column: pd.Series) -> list[dict]:
    return [json.loads(v) if isinstance(v, str) and v else {} for v in column]


def fan(samples: pd.DataFrame) -> pd.DataFrame:
    """Percentiles of demand and capacity per service and year over the solved samples: the
    fan charts (columns service, year, measure = demand | capacity, p10, p50, p90, samples)."""
    values: dict[tuple[str, int, str], list[float]] = {}
    for by_service in _json_cells(_solved(samples).get("coverage", pd.Series(dtype=object))):
        for service, by_year in by_service.items():
            for year, (demand, capacity) in by_year.items():
                values.setdefault((service, int(year), "demand"), []).append(demand)
                values.setdefault((service, int(year), "capacity"), []).append(capacity)
    rows = [
        (service, year, measure, *(float(np.percentile(v, p)) for p in PERCENTILES), len(v))
        for (service, year, measure), v in sorted(values.items(), key=_fan_order)
    ]
    return pd.DataFrame(
        rows,
        columns=["service", "year", "measure", *(f"p{p}" for p in PERCENTILES), "samples"],
    )


def _fan_order(item) -> tuple:
    (service, year, measure), _ = item
    return service, year, measure != "demand"  # demand first, then capacity


def start_years(samples: pd.DataFrame, candidates: list[str]) -> pd.DataFrame:
    """Share of the solved samples in which each candidate first starts in each year (rows:
    candidates chosen at least once, most often first; columns: years)."""
    solved = _solved(samples)
    counts: dict[str, dict[int, int]] = {}
    for starts in _json_cells(solved["starts"]):
        for candidate, by_year in starts.items():
            first = min(int(y) for y in by_year)
            counts.setdefault(candidate, {}).setdefault(first, 0)
            counts[candidate][first] += 1
    order = [c for c in candidate_frequency(samples, candidates)["candidate"] if c in counts]
    years = sorted({y for by in counts.values() for y in by})
    n = max(len(solved), 1)
    return pd.DataFrame(
        [[counts[c].get(y, 0) / n for y in years] for c in order], index=order, columns=years
    )


def histogram(values, bins: int = 10) -> list[tuple[float, float, int]]:
    """(from, to, samples) per bin of equal width; one bin when every value is the same."""
    finite = np.asarray([v for v in values if v is not None and np.isfinite(v)], float)
    if finite.size == 0:
        return []
    low, high = float(finite.min()), float(finite.max())
    if high - low <= 1e-9 * max(1.0, abs(high)):
        return [(low, high, int(finite.size))]
    counts, edges = np.histogram(finite, bins=bins, range=(low, high))
    return [(float(edges[k]), float(edges[k + 1]), int(c)) for k, c in enumerate(counts)]


def shortfall_risk(samples: pd.DataFrame) -> float:
    """Share of solved samples with any shortfall."""
    solved = samples[samples["status"].isin(["optimal", "feasible"])]
    if solved.empty:
        return math.nan
    return float((solved["shortfall_units"].astype(float) > 1e-6).mean())
