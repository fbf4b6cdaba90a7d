"""Write a results folder: plan.json, the plan's tables as CSV, manifest.json.

Results are written through ``optimizer.io.output``: claimed before the solve, written into a
temporary folder beside the target and moved into place in one rename, so an interrupted run
never leaves half a results folder; an existing folder is only replaced when the user asked for
it (``--force``) and capplan provably wrote it. See docs/plan-json.md for the schema.
"""

from __future__ import annotations

import hashlib
import json
import math
import platform
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from optimizer.io.output import (
    OutputClaim,
    OutputExistsError,  # noqa: F401  (re-exported: callers catch it from here)
    atomic_output_dir,
    fresh_folder,
    protected_paths,
    safe_component,
    sha256,
)
from optimizer.plan import Plan

PLAN_SCHEMA_VERSION = 1
FORMULA_PREFIXES = ("=", "+", "-", "@")


def _clean(value):
    """JSON-safe: NaN -> null, numpy scalars -> Python, dict keys -> str."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return round(value, 9)
    return value


def key_figure_records(plan: Plan) -> list[dict]:
    """The key_figures table as one record per year (NaN: null; docs/plan-json.md)."""
    table = plan.tables.get("key_figures")
    if table is None or table.empty:
        return []
    return [
        {k: (None if isinstance(v, float) and v != v else v) for k, v in record.items()}
        for record in table.to_dict("records")
    ]


def plan_to_dict(plan: Plan) -> dict:
    schedule = plan.tables.get("schedule", pd.DataFrame())
    coverage = plan.tables.get("coverage", pd.DataFrame())
    shortfall_by_service = (
        coverage.groupby("service")["shortfall"].sum().to_dict() if not coverage.empty else {}
    )
    debt = plan.tables.get("debt")
    co2e = plan.tables.get("co2e")
    return _clean(
        {
            "schema_version": PLAN_SCHEMA_VERSION,
            "scenario": plan.scenario,
            "variant": plan.variant,
            "status": plan.status,
            "message": plan.message,
            "objective_mode": plan.objective_mode,
            "objective": plan.objective,
            "bound": plan.bound,
            "gap": plan.gap,
            "solver": plan.solver,
            "solver_choice": plan.solver_choice,
            "solver_version": plan.settings.get("solver_version"),
            "build_seconds": plan.build_seconds,
            "solve_seconds": plan.solve_seconds,
            "settings": plan.settings,
            "objective_terms": plan.objective_terms,
            "summary": {
                "candidates_chosen": len(plan.chosen),
                "capex_total": float(schedule["capex"].sum()) if not schedule.empty else 0.0,
                "shortfall_unit_years": shortfall_by_service,
                "co2e_total_t": float(co2e["total_t"].sum()) if co2e is not None else None,
                "peak_debt": float(debt["debt"].max())
                if debt is not None and not debt.empty
                else None,
            },
            "key_figures": key_figure_records(plan),
            "schedule": [
                {
                    "candidate": row.candidate,
                    "name": row.name,
                    "department": row.department,
                    "units": row.units,
                    "start_year": row.start_year,
                    "in_service_year": row.in_service_year,
                    "end_of_life_year": row.end_of_life_year,
                    "capex_by_year": row.capex_by_year,
                }
                for row in schedule.itertuples(index=False)
            ],
            # every existing asset that closes inside the horizon (docs/model.md)
            "closures": [
                {
                    "asset": row.asset,
                    "name": row.name,
                    "service": row.service,
                    "year": row.year,
                    "capacity": row.capacity,
                    "kind": row.kind,
                    "replaced_by": _ids(row.replaced_by),
                    "renovated_by": _ids(getattr(row, "renovated_by", "")),
                }
                for row in plan.tables.get("closures", pd.DataFrame()).itertuples(index=False)
            ],
        }
    )


def _ids(cell) -> list[str]:
    """'A|B' -> ['A', 'B']; empty, or no such column in a folder written before it existed: []."""
    return str(cell).split("|") if cell else []


def escape_cell(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame = frame.copy()
    for column in frame.columns:
        # text columns are ``object`` in pandas 2 but ``str`` in pandas 3: escape both
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column].dtype):
            frame[column] = frame[column].map(
                lambda v: escape_cell(v) if not isinstance(v, dict) else json.dumps(_clean(v))
            )
    frame.to_csv(path, index=False)


def write_json(data, path: Path) -> None:
    """``data`` as indented UTF-8 JSON (å, ä, ö as themselves), ending in a newline."""
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def input_hash(files: list[Path] | tuple[Path, ...]) -> str:
    """One hash over every input file's name and content: same inputs, same hash."""
    digest = hashlib.sha256()
    for path in sorted(files, key=lambda p: p.name):
        digest.update(path.name.encode())
        digest.update(sha256(path).encode())
    return digest.hexdigest()


def manifest(plan: Plan, scenario, extra: dict | None = None) -> dict:
    from importlib.metadata import version

    import highspy  # noqa: F401  (version below)
    import numpy

    from optimizer import __version__
    from optimizer.solve import highs_version

    files = list(scenario.source_files)
    return _clean(
        {
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "capplan_version": __version__,
            "command": " ".join(["capplan", *sys.argv[1:]]),
            "scenario_path": str(scenario.root),
            "variant": scenario.variant,
            "input_hash": input_hash(files),
            "inputs": {str(p.name): sha256(p) for p in files},
            "settings": plan.settings,
            "versions": {
                "python": platform.python_version(),
                # the installed version without importing PuLP: a HiGHS run never loads it
                "pulp": version("pulp"),
                "highs": highs_version(),
                "numpy": numpy.__version__,
                "pandas": pd.__version__,
                "platform": platform.platform(),
            },
            "status": plan.status,
            "objective": plan.objective,
            "gap": plan.gap,
            **(extra or {}),
        }
    )


def default_output_dir(scenario, base: Path = Path("results")) -> Path:
    """A fresh folder under results/ so that earlier results are never touched; the variant
    name is made a harmless folder name (a variant called ``../x`` stays under ``base``)."""
    return fresh_folder(base, default_output_stem(scenario))


def default_output_stem(scenario) -> str:
    return safe_component(f"{Path(scenario.root).stem}-{scenario.variant}")


def claim_results_folder(
    out: Path | None,
    scenario,
    force: bool = False,
    protected: list[tuple[Path, str]] | None = None,
    written_by: str = "capplan run",
    base: Path = Path("results"),
) -> OutputClaim:
    """The claim on a run's results folder (``--out``, or a new folder under ``base``) that
    ``write_results`` writes; take it before the solve (``with claim:``)."""
    protection = protected_paths(scenario, protected or [])
    if out is None:
        return OutputClaim.new_folder(
            base, default_output_stem(scenario), protected=protection, written_by=written_by
        )
    return OutputClaim(out, force=force, protected=protection, written_by=written_by)


def _other_variants_tables(scenario) -> list[Path]:
    """The tables other variants name instead of the base ones (``[variants.X] tables``).

    The run reads only its own variant's tables, but a scenario folder is valid only with every
    variant's (validation checks them all), so a copy without them could not be read back by
    replan or explain. They are copied, not hashed: the input hash stays the run's.
    """
    root = Path(scenario.root)
    if not root.is_dir():  # a workbook is one file and holds every table
        return []
    taken = {Path(p).name for p in scenario.source_files}
    found = []
    for variant in scenario.settings.variants.values():
        for stem in variant.tables.values():
            path = root / f"{stem.removesuffix('.csv')}.csv"
            if path.name not in taken and path.is_file():
                taken.add(path.name)
                found.append(path)
    return found


def write_results(
    plan: Plan,
    scenario,
    out: Path | OutputClaim,
    force: bool = False,
    extra_manifest: dict | None = None,
    writers=(),
) -> Path:
    """Write the results folder ``out``: a path (claimed here) or a claim taken before the
    solve (``claim_results_folder``). See ``optimizer.io.output`` for how nothing is lost."""
    if isinstance(out, OutputClaim):
        writing = out.writing()
        target = out.target
    else:
        writing = atomic_output_dir(
            out, force, protected=protected_paths(scenario), written_by="capplan"
        )
        target = Path(out)
    with writing as tmp:
        write_json(plan_to_dict(plan), tmp / "plan.json")
        for name, table in plan.tables.items():
            write_csv(table, tmp / f"{name}.csv")
        # a copy of the inputs makes every result reproducible and lets replan/explain diff them
        (tmp / "inputs").mkdir()
        for source in [*scenario.source_files, *_other_variants_tables(scenario)]:
            shutil.copy2(source, tmp / "inputs" / Path(source).name)
        for writer in writers:  # reports (xlsx, html) plug in here
            writer(plan, scenario, tmp)
        # the hash of every file written, so that a reader can tell an edited result
        # (optimizer.io.stored.ResultsFolder)
        outputs = {
            path.relative_to(tmp).as_posix(): sha256(path)
            for path in sorted(tmp.rglob("*"))
            if path.is_file()
        }
        write_json(
            manifest(plan, scenario, {**(extra_manifest or {}), "outputs": outputs}),
            tmp / "manifest.json",
        )
    return target
