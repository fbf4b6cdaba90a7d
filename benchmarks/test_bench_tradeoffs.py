"""Trade-offs (docs/tradeoffs.md): the time per frontier point and per alternative.

Full run (``python benchmarks/run.py -k tradeoffs``): Östersund, a 10-point CO2e frontier and
five alternatives within 3 %. Smoke run (the ordinary test suite): tiny, three points and two
alternatives, so the suite stays short. One round each: the figure is the whole run divided by
its solves, recorded in ``extra_info`` with every point's cost and CO2e and rendered into
benchmarks/RESULTS.md (Trade-offs). Every point and alternative passed the checker
(``run_scenario`` raises otherwise).
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.cases import FULL

REPO = Path(__file__).resolve().parents[1]
SCENARIO = REPO / "scenarios" / ("ostersund-2040" if FULL else "tiny")
POINTS = 10 if FULL else 3
COUNT, WITHIN = (5, 0.03) if FULL else (2, 0.5)


def test_co2e_frontier(benchmark):
    from optimizer import load_scenario
    from optimizer.tradeoffs import frontier

    benchmark.group = "tradeoffs"
    scenario = load_scenario(SCENARIO)
    result = benchmark.pedantic(lambda: frontier(scenario, "co2e", POINTS), rounds=1, iterations=1)
    assert result.stopped is None and len(result.points) == POINTS
    costs = [p.cost for p in result.points]
    assert costs == sorted(costs)  # a tighter limit never makes the cheapest plan cheaper
    solves = POINTS + 1  # the points and the far end
    benchmark.extra_info.update(
        case="tradeoff_frontier",
        scenario=SCENARIO.name,
        solves=solves,
        seconds_per_point=sum(p.seconds for p in result.points) / POINTS,
        points=[
            {
                "limit_t": p.limits.get("co2e"),
                "co2e_t": p.measures["co2e"],
                "cost": p.cost,
                "seconds": p.seconds,
                "status": str(p.plan.status),
                "enters": sum(c.kind == "enters" for c in p.changes),
                "leaves": sum(c.kind == "leaves" for c in p.changes),
                "moves": sum(c.kind == "moves" for c in p.changes),
            }
            for p in result.points
        ],
        knee=result.knee,
        least_co2e_t=result.ends["co2e"],
    )


def test_alternatives(benchmark):
    from optimizer import load_scenario
    from optimizer.tradeoffs import alternatives

    benchmark.group = "tradeoffs"
    scenario = load_scenario(SCENARIO)
    found = benchmark.pedantic(
        lambda: alternatives(scenario, WITHIN, COUNT), rounds=1, iterations=1
    )
    assert len(found.alternatives) == COUNT
    assert all(a.cost <= found.cost_limit * (1 + 1e-6) for a in found.alternatives)
    benchmark.extra_info.update(
        case="tradeoff_alternatives",
        scenario=SCENARIO.name,
        within=WITHIN,
        optimum=found.optimum.cost,
        optimum_seconds=found.optimum.seconds,
        seconds_per_alternative=sum(a.seconds for a in found.alternatives) / COUNT,
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
