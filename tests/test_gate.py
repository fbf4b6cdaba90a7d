"""The CI regression gate (benchmarks/gate.py): its comparison without timing (fake tables), and
the gate on real solves of a cheap case of its fixed set, unchanged and deliberately slowed."""

from __future__ import annotations

import json
from types import SimpleNamespace

from benchmarks import gate
from optimizer.model.builder import LinearModel

ENVIRONMENT = {"highs": "1.16.0", "cpu_model": "test CPU", "cores": 2, "date": "today"}


def _row(**changes) -> dict:
    row = {
        "status": "optimal",
        "objective": 2106.455,
        "gap": 0.0,
        "nodes": 258,
        "lp_iterations": 49665,
        "cpu_seconds": 15.0,
        "time_ratio": 47.0,
        "message": "Optimal",
    }
    row.update(changes)
    return row


def _table(**cases) -> dict:
    cases = cases or {"ostersund-target": _row(), "generated-S-seed1": _row(status="feasible")}
    return {
        "taken_on": dict(ENVIRONMENT),
        "calibration_cpu_seconds": 0.3,
        "total_time_ratio": 100.0,
        "cases": cases,
    }


def _failed(baseline: dict, now: dict) -> set[tuple[str, str]]:
    return {(v.case, v.figure) for v in gate.compare(baseline, now) if v.failed}


def test_unchanged_figures_pass() -> None:
    assert _failed(_table(), _table()) == set()
    assert gate.gate(_table(), _table(), out=lambda _: None)


def test_a_model_that_takes_twice_the_lp_iterations_fails() -> None:
    now = _table()
    now["cases"]["ostersund-target"]["lp_iterations"] *= 2
    assert _failed(_table(), now) == {("ostersund-target", "lp_iterations")}


def test_a_model_that_takes_twice_the_nodes_fails() -> None:
    now = _table()
    now["cases"]["ostersund-target"]["nodes"] *= 2
    assert _failed(_table(), now) == {("ostersund-target", "nodes")}


def test_work_within_the_tolerance_passes() -> None:
    now = _table()
    now["cases"]["ostersund-target"]["lp_iterations"] = int(49665 * 1.4)
    now["cases"]["ostersund-target"]["nodes"] = int(258 * 1.4)
    assert _failed(_table(), now) == set()


def test_a_case_that_needed_no_work_may_need_a_little_more() -> None:
    """1 node → 15 nodes is within the absolute slack: tiny cases do not flap."""
    baseline = _table(mkp=_row(nodes=1, lp_iterations=6))
    now = _table(mkp=_row(nodes=15, lp_iterations=400))
    assert _failed(baseline, now) == set()


def test_fewer_nodes_pass_and_are_marked_better() -> None:
    now = _table()
    now["cases"]["ostersund-target"]["nodes"] = 100
    verdicts = {(v.case, v.figure): v for v in gate.compare(_table(), now)}
    assert verdicts[("ostersund-target", "nodes")].verdict == "better"
    assert not any(v.failed for v in verdicts.values())


def test_a_changed_optimum_fails_whichever_way_it_moves() -> None:
    for objective in (2106.455 * 1.001, 2106.455 * 0.999):
        now = _table()
        now["cases"]["ostersund-target"]["objective"] = objective
        assert _failed(_table(), now) == {("ostersund-target", "objective")}


def test_a_case_no_longer_proven_optimal_fails() -> None:
    now = _table()
    now["cases"]["ostersund-target"].update(status="feasible", message="time limit reached")
    assert ("ostersund-target", "status") in _failed(_table(), now)


def test_a_lost_plan_fails() -> None:
    now = _table()
    now["cases"]["ostersund-target"].update(status="no_solution", objective=None)
    assert _failed(_table(), now) == {
        ("ostersund-target", "status"),
        ("ostersund-target", "objective"),
    }


def test_a_case_that_did_not_run_fails() -> None:
    now = _table()
    del now["cases"]["ostersund-target"]
    assert _failed(_table(), now) == {("ostersund-target", "status")}


def test_a_weaker_gap_at_the_fixed_stop_fails() -> None:
    baseline = _table(S=_row(status="feasible", gap=0.0099))
    now = _table(S=_row(status="feasible", gap=0.0099 + 2 * gate.GAP_SLACK))
    assert _failed(baseline, now) == {("S", "gap")}


def test_twice_the_time_relative_to_the_calibration_fails() -> None:
    now = _table()
    now["total_time_ratio"] = 200.0
    assert _failed(_table(), now) == {("TOTAL", "time_ratio")}


def test_machine_noise_in_the_time_ratio_passes() -> None:
    for ratio in (130.0, 70.0):
        now = _table()
        now["total_time_ratio"] = ratio
        assert _failed(_table(), now) == set()


def test_single_case_times_are_shown_but_not_judged() -> None:
    now = _table()
    now["cases"]["ostersund-target"]["time_ratio"] = 470.0
    assert _failed(_table(), now) == set()


def test_work_counts_are_not_judged_across_highs_versions() -> None:
    now = _table()
    now["taken_on"]["highs"] = "1.17.0"
    now["cases"]["ostersund-target"]["nodes"] *= 3
    verdicts = {(v.case, v.figure): v for v in gate.compare(_table(), now)}
    assert verdicts[("ostersund-target", "nodes")].verdict == "not judged"
    assert not any(v.failed for v in verdicts.values())


def test_the_table_names_case_baseline_now_ratio_and_verdict() -> None:
    now = _table()
    now["cases"]["ostersund-target"]["lp_iterations"] *= 2
    printed: list[str] = []
    assert not gate.gate(_table(), now, out=printed.append)
    text = "\n".join(printed)
    assert text.splitlines()[0].split()[:6] == [
        "case",
        "figure",
        "baseline",
        "now",
        "ratio",
        "verdict",
    ]
    failing = next(line for line in text.splitlines() if "lp_iterations" in line and "FAIL" in line)
    assert "49665" in failing and "99330" in failing and "2.00" in failing
    assert "python -m benchmarks.gate --write" in text


def test_the_recorded_baseline_covers_the_fixed_set() -> None:
    baseline = json.loads(gate.BASELINE.read_text())
    assert set(baseline["cases"]) == {case.name for case in gate.cases()}
    assert {"highs", "cpu_model", "cores", "date", "python"} <= set(baseline["taken_on"])
    assert all(row["status"] in ("optimal", "feasible") for row in baseline["cases"].values())


PB1 = next(case for case in gate.cases() if case.name == "mkp-PB1")


def _recorded(name: str) -> dict:
    """The committed baseline cut down to one case (its time is judged only over the whole set)."""
    baseline = json.loads(gate.BASELINE.read_text())
    return {**baseline, "total_time_ratio": None, "cases": {name: baseline["cases"][name]}}


def _with_a_redundant_burden(build):
    """The same model three times over, each copy carrying a third of the cost: the optimum is
    unchanged, but the solver must search three interchangeable copies (a slowed model)."""

    def burdened(data, *args, **kwargs):
        model = build(data, *args, **kwargs).model
        matrix = model.matrix("csc").tocoo()
        out = LinearModel()
        for copy_number in range(3):
            cols = out.add_columns(
                f"copy{copy_number}",
                [(j,) for j in range(model.n_cols)],
                model.lower,
                model.upper,
                model.cost / 3,
            )
            out.col_integer[-1][:] = model.integer
            rows = out.add_rows(
                f"copy{copy_number}",
                [(i,) for i in range(model.n_rows)],
                model.rlower,
                model.rupper,
            )
            out.add_terms(rows[matrix.row], cols[matrix.col], matrix.data)
        out.offset = model.offset
        return SimpleNamespace(model=out)

    return burdened


def test_the_gate_passes_on_the_unchanged_model() -> None:
    """A real solve of one case of the fixed set, judged against the committed baseline."""
    now = gate.measure([PB1], say=lambda _: None)
    printed: list[str] = []
    assert gate.gate(_recorded(PB1.name), now, out=printed.append), "\n".join(printed)


def test_the_gate_fails_on_a_model_with_a_redundant_burden(monkeypatch) -> None:
    import optimizer.model

    monkeypatch.setattr(optimizer.model, "build", _with_a_redundant_burden(optimizer.model.build))
    now = gate.measure([PB1], say=lambda _: None)
    failed = _failed(_recorded(PB1.name), now)
    assert failed == {(PB1.name, "nodes"), (PB1.name, "lp_iterations")}, failed
