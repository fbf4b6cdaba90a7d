"""Trade-offs on Östersund (docs/tradeoffs.md): the time per frontier point and per alternative.

    python -m pytest benchmarks/test_bench_tradeoffs.py --benchmark-only

One round each (a 10-point frontier is ten MIP solves plus the far end's): the figures are the
whole run divided by its points, recorded in ``extra_info`` with every point's cost and CO2e, and
in benchmarks/RESULTS.md (Trade-offs). Every point and alternative passed the checker
(``run_scenario`` raises otherwise).
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCENARIO = REPO / "scenarios" / "ostersund-2040"

pytestmark = pytest.mark.skipif(
    not (SCENARIO / "scenario.toml").is_file(), reason=f"{SCENARIO} has no scenario.toml"
)


def test_ostersund_co2e_frontier_of_ten_points(benchmark):
    from optimizer import load_scenario
    from optimizer.tradeoffs import frontier

    benchmark.group = "tradeoffs"
    scenario = load_scenario(SCENARIO)
    result = benchmark.pedantic(lambda: frontier(scenario, "co2e", 10), rounds=1, iterations=1)
    assert result.stopped is None and len(result.points) == 10
    costs = [p.cost for p in result.points]
    assert costs == sorted(costs)  # a tighter limit never makes the cheapest plan cheaper
    benchmark.extra_info.update(
        seconds_per_point=benchmark.stats.stats.mean / 11,  # ten points and the far end
        points=[
            {
                "limit_t": p.limits.get("co2e"),
                "co2e_t": p.measures["co2e"],
                "cost": p.cost,
                "seconds": p.seconds,
                "status": str(p.plan.status),
            }
            for p in result.points
        ],
        knee=result.knee,
        least_co2e_t=result.ends["co2e"],
    )


def test_ostersund_five_alternatives_within_3_percent(benchmark):
    from optimizer import load_scenario
    from optimizer.tradeoffs import alternatives

    benchmark.group = "tradeoffs"
    scenario = load_scenario(SCENARIO)
    found = benchmark.pedantic(lambda: alternatives(scenario, 0.03, 5), rounds=1, iterations=1)
    assert all(a.cost <= found.cost_limit * (1 + 1e-6) for a in found.alternatives)
    benchmark.extra_info.update(
        seconds_per_alternative=benchmark.stats.stats.mean / (1 + len(found.alternatives)),
        alternatives=[
            {
                "cost": a.cost,
                "changed": a.changed,
                "seconds": a.seconds,
                "status": str(a.plan.status),
            }
            for a in found.alternatives
        ],
        must_haves=found.must_haves(),
        interchangeable=found.interchangeable(),
    )
