"""CI regression gate: a fixed set of solves compared with the baseline in ``baseline.json``.

``python -m benchmarks.gate`` builds and solves a fixed set of cases — the Östersund variants,
the generated S scenario (seed 1) to a fixed gap, a few OR-Library capital budgeting (MKP)
instances — with HiGHS, one thread and seed 0, prints a table (case, figure, baseline, now,
ratio, verdict) and exits 1 when a figure regressed beyond its tolerance.
``python -m benchmarks.gate --write`` records a new baseline (with the machine and versions it
was taken on) when a change is intended.

The figures and their tolerances, and why:

* **status** must be the same, and **objective** equal within 1e-6 relative: the set is solved to
  proven optimality (S to a fixed gap, where the plan found is as deterministic as the search),
  so any change is a change of answers, not of speed.
* **nodes** and **LP iterations** (HiGHS' ``mip_node_count`` and ``simplex_iteration_count``)
  are deterministic with one thread and a fixed seed, and independent of the machine's speed.
  A legitimate edit (rows in another order, a HiGHS upgrade, another CPU's floating point) moves
  them by some tens of per cent, so a case fails only above ``WORK_TOLERANCE`` = 1.5× its
  baseline plus a small absolute slack (``NODE_SLACK``, ``ITERATION_SLACK``) for cases that
  need next to no work: a model that takes twice the work fails, reordering noise does not.
  They are compared only when the HiGHS version equals the baseline's (otherwise shown, not
  judged: regenerate the baseline with the new version).
* **gap**: S stops at a fixed 1 % gap, so its figures are the work (nodes, LP iterations) and
  plan needed to get there; its final gap may not exceed the baseline's by more than
  ``GAP_SLACK`` (0.1 percentage point), which fires when S no longer reaches the target within
  the safety time limit. (A gap at a fixed node limit would need a node limit in
  ``SolveSettings``; the gate drives the project's own ``solve`` instead, unchanged.)
* **time** is CPU seconds of the process (build + solve of every case, so a slower build counts
  too) divided by the CPU seconds of a calibration workload timed in the same run (a fixed
  pure-Python + numpy loop and a fixed small MIP, best of two, before and after every case, the
  least of all taken). CPU time barely moves on a loaded machine where wall time doubles, and
  the ratio cancels the machine's speed. It is judged on the total over all cases only (single
  small cases are too short to time), and fails above ``TIME_TOLERANCE`` = 1.6× the baseline's
  ratio: a 2× slower model fails, the ±25 % that shared machines and other CPUs give does not.

Improvements pass and are marked ``better`` (regenerate the baseline to lock them in).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
BASELINE = Path(__file__).resolve().with_name("baseline.json")
OSTERSUND = REPO / "scenarios" / "ostersund-2040"
OSTERSUND_VARIANTS = (None, "low", "trend", "target", "budget-cut")
MKP_INSTANCES = ("WEING1", "WEING8", "WEISH01", "PB1", "HP1", "5.100-06")
S_GAP = 0.01  # S stops at this relative gap: the work and plan to get there are deterministic
TIME_LIMIT = 300.0  # a safety net only: no case may come near it (a hit is reported as such)

WORK_TOLERANCE = 1.5
NODE_SLACK = 20
ITERATION_SLACK = 500
GAP_SLACK = 0.001
OBJECTIVE_RTOL = 1e-6
TIME_TOLERANCE = 1.6


@dataclass(frozen=True)
class Case:
    name: str
    load: Callable  # () -> Scenario
    gap: float = 0.0  # HiGHS mip_rel_gap; 0 = prove optimality exactly


def _ostersund(variant: str | None) -> Callable:
    def load():
        from optimizer import load_scenario

        return load_scenario(OSTERSUND, variant)

    return load


def _generated(size: str, seed: int) -> Callable:
    def load():
        from benchmarks.cases import scenario

        return scenario(size, seed)

    return load


def _mkp(name: str) -> Callable:
    def load():
        from benchmarks import orlib

        instances = {i.name: i for i in orlib.load_all(orlib.default_folder())}
        return orlib.to_scenario(instances[name])

    return load


def cases() -> list[Case]:
    """The fixed set; its names are the keys of ``baseline.json``."""
    found = [
        Case(f"ostersund-{variant or 'base'}", _ostersund(variant), gap=1e-4)
        for variant in OSTERSUND_VARIANTS
    ]
    found.append(Case("generated-S-seed1", _generated("S", 1), gap=S_GAP))
    found += [Case(f"mkp-{name}", _mkp(name)) for name in MKP_INSTANCES]
    return found


# --------------------------------------------------------------------------------------------
# measuring
# --------------------------------------------------------------------------------------------
def _calibration_mip():
    """A fixed random multi-dimensional knapsack (seeded): the same work on every machine."""
    from optimizer.model.builder import LinearModel

    rng = np.random.default_rng(7)
    items, rows = 35, 5
    weights = rng.integers(10, 100, size=(rows, items)).astype(float)
    values = rng.integers(10, 100, size=items).astype(float)
    model = LinearModel()
    x = model.add_columns("x", [(j,) for j in range(items)], 0.0, 1.0, -values, integer=True)
    caps = model.add_rows("capacity", [(i,) for i in range(rows)], -np.inf, weights.sum(1) / 2)
    model.add_terms(np.repeat(caps, items), np.tile(x, rows), weights.ravel())
    return model


def _calibration_python() -> float:
    """Pure Python and numpy, the kind of work the build does (dicts, loops, array arithmetic)."""
    total = 0.0
    table: dict[int, float] = {}
    for k in range(60_000):
        table[k % 997] = table.get(k % 997, 0.0) + k * 0.5
    rng = np.random.default_rng(3)
    for _ in range(40):
        a = rng.random((120, 120))
        total += float((a @ a.T).trace()) + float(np.sort(a, axis=None)[-1])
    return total + sum(table.values())


def calibrate(settings) -> float:
    """CPU seconds of the calibration workload, best of two."""
    from optimizer.solve import solve

    model = _calibration_mip()
    best = float("inf")
    for _ in range(2):
        started = time.process_time()
        _calibration_python()
        solve(model, settings)
        best = min(best, time.process_time() - started)
    return best


def measure_case(case: Case, settings_for: Callable) -> dict:
    """Build and solve one case: deterministic figures plus CPU seconds (build + solve)."""
    from optimizer.data import build_data
    from optimizer.model import build
    from optimizer.solve import solve

    scenario = case.load()  # reading files is not timed: disk and cache noise, not the model
    started = time.process_time()
    built = build(build_data(scenario))
    result = solve(built.model, settings_for(case))
    cpu = time.process_time() - started
    return {
        "status": result.status,
        "objective": result.objective,
        "gap": result.gap,
        "nodes": result.extra.get("nodes"),
        "lp_iterations": result.extra.get("lp_iterations"),
        "cpu_seconds": round(cpu, 4),
        "message": result.message,
    }


def _settings_for(case: Case):
    from optimizer.solve import SolveSettings

    return SolveSettings(solver="highs", time_limit=TIME_LIMIT, gap=case.gap, threads=1, seed=0)


def measure(selected: list[Case] | None = None, say=print) -> dict:
    """Run the set; returns the table of figures and the versions, as ``baseline.json`` holds."""
    from optimizer.solve import SolveSettings

    selected = cases() if selected is None else selected
    calibration_settings = SolveSettings(solver="highs", time_limit=60.0, gap=0.0, threads=1)
    calibrations = [calibrate(calibration_settings)]
    figures = {}
    for case in selected:
        say(f"gate: {case.name} …")
        figures[case.name] = measure_case(case, _settings_for)
        calibrations.append(calibrate(calibration_settings))
    calibration = min(calibrations)  # the least disturbed measurement of the same work
    for row in figures.values():
        row["time_ratio"] = round(row["cpu_seconds"] / calibration, 3)
    return {
        "taken_on": _environment(),
        "calibration_cpu_seconds": round(calibration, 4),
        "total_time_ratio": round(sum(r["cpu_seconds"] for r in figures.values()) / calibration, 3),
        "cases": figures,
    }


def _environment() -> dict:
    import pulp

    from benchmarks.cases import machine
    from optimizer.solve import highs_version

    return {
        **machine(),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "highs": highs_version(),
        "numpy": np.__version__,
        "pulp": pulp.__version__,
        "platform": platform.platform(),
    }


# --------------------------------------------------------------------------------------------
# comparing (no timing here: pure functions of two tables, unit-tested in tests/test_gate.py)
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Verdict:
    case: str
    figure: str
    baseline: object
    now: object
    ratio: float | None
    verdict: str  # "ok", "better", "FAIL", "not judged"
    why: str = ""

    @property
    def failed(self) -> bool:
        return self.verdict == "FAIL"


def _ratio(now, base) -> float | None:
    if now is None or base is None or base == 0:
        return None
    return now / base


def _work(case: str, figure: str, base, now, slack: int) -> Verdict:
    ratio = _ratio(now, base)
    if base is None or now is None:
        return Verdict(case, figure, base, now, ratio, "not judged", "not recorded")
    limit = WORK_TOLERANCE * base + slack
    if now > limit:
        why = f"> {WORK_TOLERANCE:g}× baseline + {slack}"
        return Verdict(case, figure, base, now, ratio, "FAIL", why)
    return Verdict(case, figure, base, now, ratio, "better" if now < base else "ok")


def compare(baseline: dict, now: dict) -> list[Verdict]:
    """Every figure of every baseline case judged against its tolerance (module docstring)."""
    verdicts: list[Verdict] = []
    same_highs = baseline["taken_on"].get("highs") == now["taken_on"].get("highs")
    for name, base in baseline["cases"].items():
        row = now["cases"].get(name)
        if row is None:
            verdicts.append(Verdict(name, "status", base["status"], None, None, "FAIL", "not run"))
            continue
        ok = row["status"] == base["status"]
        verdicts.append(
            Verdict(
                name,
                "status",
                base["status"],
                row["status"],
                None,
                "ok" if ok else "FAIL",
                "" if ok else row.get("message", ""),
            )
        )
        b, n = base["objective"], row["objective"]
        if b is None or n is None:
            same = b is None and n is None
            verdicts.append(
                Verdict(name, "objective", b, n, None, "ok" if same else "FAIL", "plan lost")
            )
        else:
            same = abs(n - b) <= OBJECTIVE_RTOL * max(abs(b), 1.0)
            why = "" if same else f"differs by more than {OBJECTIVE_RTOL:g} relative"
            verdicts.append(
                Verdict(name, "objective", b, n, _ratio(n, b), "ok" if same else "FAIL", why)
            )
        if base.get("gap") is not None and base["status"] != "optimal":
            g = row.get("gap")
            worse = g is None or g > base["gap"] + GAP_SLACK
            verdicts.append(
                Verdict(
                    name,
                    "gap",
                    base["gap"],
                    g,
                    _ratio(g, base["gap"]),
                    "FAIL" if worse else ("better" if g < base["gap"] else "ok"),
                    f"> baseline + {GAP_SLACK:g}" if worse else "",
                )
            )
        for figure, slack in (("nodes", NODE_SLACK), ("lp_iterations", ITERATION_SLACK)):
            verdict = _work(name, figure, base.get(figure), row.get(figure), slack)
            if not same_highs:
                verdict = Verdict(
                    name,
                    figure,
                    verdict.baseline,
                    verdict.now,
                    verdict.ratio,
                    "not judged",
                    "other HiGHS version than the baseline's",
                )
            verdicts.append(verdict)
        verdicts.append(
            Verdict(
                name,
                "time_ratio",
                base.get("time_ratio"),
                row.get("time_ratio"),
                _ratio(row.get("time_ratio"), base.get("time_ratio")),
                "not judged",
                "single cases are too short to time; see total",
            )
        )
    b, n = baseline.get("total_time_ratio"), now.get("total_time_ratio")
    ratio = _ratio(n, b)
    slow = ratio is not None and ratio > TIME_TOLERANCE
    verdicts.append(
        Verdict(
            "TOTAL",
            "time_ratio",
            b,
            n,
            ratio,
            "FAIL" if slow else ("better" if ratio is not None and ratio < 1 else "ok"),
            f"> {TIME_TOLERANCE:g}× baseline (CPU time / calibration)" if slow else "",
        )
    )
    return verdicts


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def table(verdicts: list[Verdict]) -> str:
    """The verdicts as a fixed-width text table (printed in the CI log)."""
    head = ("case", "figure", "baseline", "now", "ratio", "verdict", "why")
    rows = [head] + [
        (
            v.case,
            v.figure,
            _cell(v.baseline),
            _cell(v.now),
            "-" if v.ratio is None else f"{v.ratio:.2f}",
            v.verdict,
            v.why,
        )
        for v in verdicts
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head) - 1)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(r[:-1], widths, strict=True)) + "  " + r[-1]
        for r in rows
    ]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(line.rstrip() for line in lines)


def gate(baseline: dict, now: dict, out=print) -> bool:
    """Print the table and a one-line summary; True when nothing regressed."""
    verdicts = compare(baseline, now)
    out(table(verdicts))
    failed = [v for v in verdicts if v.failed]
    taken = baseline["taken_on"]
    out(
        f"\nbaseline taken {taken.get('date')} on {taken.get('cpu_model')} "
        f"({taken.get('cores')} cores), HiGHS {taken.get('highs')}; now HiGHS "
        f"{now['taken_on'].get('highs')}; calibration {now['calibration_cpu_seconds']:.3f} s CPU"
    )
    if failed:
        out(
            f"gate: FAILED on {len(failed)} figure(s): "
            + ", ".join(f"{v.case} {v.figure}" for v in failed)
        )
        out("If the change is intended, regenerate: python -m benchmarks.gate --write")
    else:
        out("gate: passed")
    return not failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.gate", description=__doc__)
    parser.add_argument("--write", action="store_true", help="record a new baseline")
    parser.add_argument("--baseline", type=Path, default=BASELINE, help="baseline JSON file")
    args = parser.parse_args(argv)
    if not args.write and not args.baseline.is_file():
        print(f"gate: no baseline at {args.baseline}; record one with --write", file=sys.stderr)
        return 2
    now = measure(say=lambda text: print(text, file=sys.stderr))
    if args.write:
        args.baseline.write_text(json.dumps(now, indent=2, ensure_ascii=False) + "\n")
        print(f"gate: baseline written to {args.baseline}")
        return 0
    baseline = json.loads(args.baseline.read_text())
    return 0 if gate(baseline, now) else 1


if __name__ == "__main__":
    sys.exit(main())
