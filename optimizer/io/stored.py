"""Read a results folder back into a ``Plan``, and find a stored result that can be reused.

``capplan compare`` solves several variants; when a results folder already holds a plan for
exactly the same inputs, variant, solver settings, solver version and capplan version, solving
again would only repeat it. The match is decided by the run manifest (``manifest.json``), never
by folder names; a result solved under extra conditions (a replan against an adopted plan) has
more in its manifest and is never reused.

    >>> plan = load_results(Path("results/tiny-base"))
    >>> folder = find_stored_result(scenario, settings)   # None when nothing matches
    >>> stored = ResultsFolder.open(Path("results/tiny-base"))
    >>> stored.require_intact()                            # ScenarioError naming an edited file

``ResultsFolder`` is the one reader of results folders (compare, replan, explain): it verifies
every output file against the sha256 that ``write_results`` recorded in the manifest
(``outputs``), so an edited or truncated ``plan.json`` or ``schedule.csv`` is never taken for
what capplan wrote. A folder written before the manifest had ``outputs`` cannot be verified:
compare does not reuse it, replan and explain read it as it is.

What a folder cannot give back: the district-to-district transfers are stored only as totals in
``coverage.csv`` (served_from_neighbours, serving_neighbours), so ``plan.transfers`` is empty.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from optimizer.errors import CapplanError, Problem, ScenarioError
from optimizer.io.nesting import NestingError, loads_json
from optimizer.io.results import FORMULA_PREFIXES, input_hash, sha256
from optimizer.plan import (
    CARRY_OVER_COLUMNS,
    DEBT_COLUMNS,
    EMERGENCY_COLUMNS,
    SHORTFALL_COLUMNS,
    Plan,
)
from optimizer.schema import SolverSettings
from optimizer.status import WITH_PLAN, Status

# Settings that must be equal for a stored plan to stand in for a new solve.
MATCHED_SETTINGS = SolverSettings.RECORDED
TEXT_COLUMNS = {
    "candidate",
    "name",
    "department",
    "district",
    "pool",
    "service",
    "unit",
    "constraint",
    "kind",
    "meaning",
    "from_district",
    "to_district",
    "asset",
    "option",
    "replaced_by",
    "renovated_by",
}
BOOL_COLUMNS = {"committed", "must_do"}


class ResultsError(CapplanError):
    pass


def _unescape(value):
    """Undo ``escape_cell``: "'=x" was written for the text "=x"."""
    if (
        isinstance(value, str)
        and len(value) > 1
        and value[0] == "'"
        and value[1] in FORMULA_PREFIXES
    ):
        return value[1:]
    return value


def _read_table(path: Path) -> pd.DataFrame:
    # "NA" or "null" can be an id: only an empty cell is missing
    frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
    for column in frame.columns:
        if column in TEXT_COLUMNS:
            frame[column] = frame[column].astype(object).where(frame[column].notna(), "")
            frame[column] = frame[column].map(lambda v: _unescape(str(v)))
        elif column in BOOL_COLUMNS:
            frame[column] = frame[column].map(
                lambda v: str(v).strip().lower() in ("true", "1", "yes")
            )
        elif column == "capex_by_year":
            frame[column] = frame[column].map(
                lambda v: (
                    {int(k): float(x) for k, x in json.loads(v).items()}
                    if isinstance(v, str) and v
                    else {}
                )
            )
        elif frame[column].dtype == object:
            frame[column] = frame[column].map(_unescape)
    return frame


@dataclass
class ResultsFolder:
    """A results folder written by ``write_results``, opened and checked against its manifest.

    ``folder`` holds plan.json, the CSV tables, inputs/ and manifest.json; ``manifest`` is {}
    when the folder has none (a bare plan.json given to replan).
    """

    folder: Path
    plan_file: Path
    manifest: dict

    @classmethod
    def open(cls, path: Path) -> ResultsFolder:
        """A results folder, or the folder of a ``plan.json`` given directly."""
        path = Path(path)
        plan_file = path / "plan.json" if path.is_dir() else path
        mistaken = _not_a_result(path)
        if mistaken and not (path.is_dir() and plan_file.is_file()):
            raise ScenarioError([Problem(str(path), None, None, mistaken)])
        if not plan_file.is_file():
            raise ScenarioError(
                [
                    Problem(
                        str(plan_file),
                        None,
                        None,
                        "does not exist: give a results folder or its plan.json",
                    )
                ]
            )
        manifest_file = plan_file.parent / "manifest.json"
        manifest: dict = {}
        if manifest_file.is_file():
            manifest = _read_json(manifest_file)
            if not isinstance(manifest, dict):
                raise ScenarioError(
                    [Problem(str(manifest_file), None, None, "is not a capplan manifest")]
                )
        return cls(plan_file.parent, plan_file, manifest)

    @property
    def verifiable(self) -> bool:
        """The manifest records the hash of every output file (capplan 2026-11 and later)."""
        return isinstance(self.manifest.get("outputs"), dict)

    def problems(self) -> list[Problem]:
        """Every output file that is missing or differs from what capplan wrote."""
        found: list[Problem] = []
        if not self.verifiable:
            return found
        for name, recorded in sorted(self.manifest["outputs"].items()):
            path = self.folder / name
            if ".." in Path(name).parts or not path.is_file():
                found.append(Problem(str(path), None, None, "is missing from the results folder"))
            elif sha256(path) != recorded:
                found.append(
                    Problem(
                        str(path),
                        None,
                        None,
                        "was changed after capplan wrote it (its sha256 differs from the one "
                        "in manifest.json); solve again instead of editing a result",
                    )
                )
        if self.plan_file.name == "plan.json" and "plan.json" not in self.manifest["outputs"]:
            found.append(Problem(str(self.plan_file), None, None, "is not listed in manifest.json"))
        return found

    def require_intact(self) -> None:
        """Raise ``ScenarioError`` (exit code 2) naming each edited or missing file."""
        problems = self.problems()
        if problems:
            raise ScenarioError(problems)

    def plan_data(self) -> dict:
        """plan.json as a dict; ``ScenarioError`` when it cannot be read as one."""
        data = _read_json(self.plan_file, "is not a readable plan.json")
        if not isinstance(data, dict):
            raise ScenarioError(
                [Problem(str(self.plan_file), None, None, "is not a capplan plan.json")]
            )
        return data

    def plan(self) -> Plan:
        return load_results(self.folder)


def _not_a_result(path: Path) -> str | None:
    """What a user gave instead of a result, when it is recognisably something else: the
    scenario it was solved from, or the plan.xlsx or a CSV table a colleague forwarded."""
    if path.is_dir() and (path / "scenario.toml").is_file():
        return (
            "is a scenario folder, not a results folder: give the folder capplan run wrote for "
            "it (its plan.json, manifest.json and inputs/)"
        )
    if path.is_file() and path.suffix.lower() != ".json":
        suffix = path.suffix.lower()
        kind = "a workbook" if suffix in (".xlsx", ".xlsm", ".xls") else f"a {suffix[1:]} file"
        return (
            f"is {kind if suffix else 'not JSON'}, not a plan.json: give the results folder "
            "capplan wrote, or the plan.json in it"
        )
    return None


def _read_json(path: Path, what: str = "cannot be read") -> object:
    try:
        return loads_json(path.read_text(encoding="utf-8"))
    except NestingError as exc:
        raise ScenarioError([Problem(str(path), None, None, str(exc))]) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ScenarioError([Problem(str(path), None, None, f"{what}: {exc}")]) from None


def load_results(folder: Path) -> Plan:
    """A ``Plan`` from a results folder written by ``write_results`` (plan.json + CSV tables)."""
    folder = Path(folder)
    plan_file = folder / "plan.json"
    if not plan_file.is_file():
        raise ResultsError(f"{folder} is not a results folder: plan.json is missing")
    try:
        data = json.loads(plan_file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ResultsError(f"{plan_file} cannot be read: {exc}") from None
    plan = Plan(
        scenario=data["scenario"],
        variant=data["variant"],
        status=data["status"],
        solver=data["solver"],
        objective=data.get("objective"),
        bound=data.get("bound"),
        gap=data.get("gap"),
        build_seconds=float(data.get("build_seconds") or 0.0),
        solve_seconds=float(data.get("solve_seconds") or 0.0),
        objective_mode=data.get("objective_mode", "cost"),
        objective_terms={k: float(v) for k, v in (data.get("objective_terms") or {}).items()},
        message=data.get("message", ""),
        solver_choice=data.get("solver_choice", ""),
        settings=dict(data.get("settings") or {}),
    )
    for path in sorted(folder.glob("*.csv")):
        plan.tables[path.stem] = _read_table(path)

    schedule = plan.tables.get("schedule")
    if schedule is not None:
        for row in schedule.itertuples(index=False):
            by_year = plan.starts.setdefault(str(row.candidate), {})
            by_year[int(row.start_year)] = by_year.get(int(row.start_year), 0) + int(row.units)
    coverage = plan.tables.get("coverage")
    if coverage is not None and not coverage.empty:
        short = coverage.loc[
            coverage["shortfall"] > 0, ["service", "district", "year", "shortfall"]
        ]
        plan.shortfall = short.reset_index(drop=True)[SHORTFALL_COLUMNS]
    budget = plan.tables.get("budget")
    if budget is not None and not budget.empty:
        carry = budget.loc[budget["carry_over"] > 0, ["pool", "year", "carry_over"]]
        plan.carry_over = carry.reset_index(drop=True)[CARRY_OVER_COLUMNS]
    debt = plan.tables.get("debt")
    if debt is not None and not debt.empty:
        plan.debt = debt[["year", "debt"]].reset_index(drop=True)[DEBT_COLUMNS]
    closures = plan.tables.get("closures")
    if closures is not None and not closures.empty:
        early = closures.loc[closures["kind"] == "early"]
        plan.early_closures = {
            str(a): int(y) for a, y in zip(early["asset"], early["year"], strict=True)
        }
    emergency = plan.tables.get("emergency")
    if emergency is not None and not emergency.empty:
        plan.emergency = emergency[EMERGENCY_COLUMNS].reset_index(drop=True)
    return plan


def current_solver_version(solver: str) -> str:
    from optimizer.solve import cbc_version, highs_version

    return highs_version() if solver == "highs" else cbc_version()


def plain_manifest_keys(scenario, settings) -> set[str]:
    """The keys a plain solve's manifest has; anything more (``replan``, ...) means the plan was
    solved under extra conditions (an adopted plan, forced decisions) and must not stand in for
    a plain solve."""
    from optimizer.io.results import manifest

    probe = Plan(
        scenario="", variant=scenario.variant, status=Status.OPTIMAL, solver=settings.solver
    )
    return set(manifest(probe, scenario)) | {"outputs"}


def stored_result_matches(
    manifest: dict,
    scenario,
    settings,
    hash_of_inputs: str,
    solver_version: str,
    plain_keys: set[str] | None = None,
) -> bool:
    from optimizer import __version__

    if plain_keys is not None and not set(manifest) <= plain_keys:
        return False
    stored = manifest.get("settings") or {}
    if manifest.get("input_hash") != hash_of_inputs or manifest.get("variant") != scenario.variant:
        return False
    if manifest.get("capplan_version") != __version__:
        return False  # the model may have changed between versions
    if stored.get("solver_version") != solver_version:
        return False
    for key in MATCHED_SETTINGS:
        mine, theirs = getattr(settings, key), stored.get(key)
        if isinstance(mine, float) or isinstance(theirs, float):
            if theirs is None or abs(float(mine) - float(theirs)) > 1e-12 * max(
                1.0, abs(float(mine))
            ):
                return False
        elif mine != theirs:
            return False
    return manifest.get("status") in WITH_PLAN


def find_stored_result(
    scenario, settings, base: Path = Path("results"), on_tampered=None
) -> Path | None:
    """The newest intact folder under ``base`` whose manifest matches this scenario variant and
    settings. A matching folder whose files differ from their recorded hashes, or that records
    none, is passed over; ``on_tampered(folder, problems)`` is told about it."""
    base = Path(base)
    if not base.is_dir():
        return None
    hash_of_inputs = input_hash(list(scenario.source_files))
    solver_version = current_solver_version(settings.solver)
    plain_keys = plain_manifest_keys(scenario, settings)
    found: list[tuple[str, Path]] = []
    for manifest_file in base.rglob("manifest.json"):
        folder = manifest_file.parent
        # half-written (.partial) and replaced (.old-*) folders start with a dot
        if any(part.startswith(".") for part in folder.relative_to(base).parts):
            continue
        if not (folder / "plan.json").is_file():
            continue
        try:
            manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        if stored_result_matches(
            manifest, scenario, settings, hash_of_inputs, solver_version, plain_keys
        ):
            stored = ResultsFolder(folder, folder / "plan.json", manifest)
            problems = (
                stored.problems()
                if stored.verifiable
                else [Problem(str(manifest_file), None, "outputs", "records no output hashes")]
            )
            if problems:
                if on_tampered is not None:
                    on_tampered(folder, problems)
                continue
            found.append((str(manifest.get("created", "")), folder))
    if not found:
        return None
    return max(found, key=lambda item: (item[0], str(item[1])))[1]
