"""Scenarios side by side: cost, investment by period, shortfall, CO2e, debt, and which projects
differ in choice or start year (scenario results must be
comparable side by side without hand work).

    >>> entries = [CompareEntry("low", scenario_low, plan_low), CompareEntry("trend", ...)]
    >>> comparison = compare_plans(entries)
    >>> comparison.to_dict()

The arithmetic is on plan tables only (``optimizer.report.figures``), so a plan read back from a
results folder compares exactly like one just solved.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from optimizer.io.output import safe_component
from optimizer.plan import Plan
from optimizer.report import figures
from optimizer.report.i18n import format_number, unit_name

PERIOD_YEARS = 5


@dataclass
class CompareEntry:
    label: str
    scenario: object  # optimizer.scenario.Scenario
    plan: Plan
    source: str = "solved"  # solved | reused
    folder: Path | None = None  # where the plan's results folder is (or will be)
    # an infeasible run: the limits that must give way (optimizer.diagnose.Conflict), as
    # ``capplan run`` states them; empty for a run with a plan
    diagnosis: list = field(default_factory=list)


@dataclass
class Metric:
    """One row of the side-by-side table: ``key`` is stable (JSON), ``label`` is for people."""

    key: str
    label: str
    values: list[float | None]
    kind: str = "msek"  # msek | units | tonnes | count | seconds | percent | sek | people

    @property
    def differs(self) -> bool:
        present = [v for v in self.values if v is not None]
        if len(present) != len(self.values):
            return len(present) > 0
        return any(abs(v - present[0]) > 1e-6 * max(1.0, abs(present[0])) for v in present)


@dataclass
class Choice:
    """What one scenario did with one candidate: start year -> units (empty: not chosen)."""

    starts: dict[int, int] = field(default_factory=dict)
    planned: bool = True  # False: that run has no plan (infeasible, no solution in time)

    @property
    def chosen(self) -> bool:
        return sum(self.starts.values()) > 0

    def text(self, not_chosen: str = "–", no_plan: str = "no plan") -> str:
        if not self.planned:
            return no_plan
        if not self.chosen:
            return not_chosen
        return ", ".join(
            f"{year}" + (f" ×{units}" if units > 1 else "")
            for year, units in sorted(self.starts.items())
        )

    @property
    def first_start(self) -> int | None:
        return min(self.starts) if self.chosen else None


@dataclass
class MatrixRow:
    candidate: str
    name: str
    department: str
    choices: list[Choice]

    @property
    def differs(self) -> bool:
        """Choice or timing differ between the runs that have a plan."""
        planned = [choice.starts for choice in self.choices if choice.planned]
        return any(starts != planned[0] for starts in planned[1:])


@dataclass
class Comparison:
    entries: list[CompareEntry]
    periods: list[tuple[int, int]]
    metrics: list[Metric]
    matrix: list[MatrixRow]  # candidates chosen in at least one scenario
    never_chosen: list[str]

    @property
    def labels(self) -> list[str]:
        return [entry.label for entry in self.entries]

    def metric(self, key: str) -> Metric:
        return next(m for m in self.metrics if m.key == key)

    def to_dict(self) -> dict:
        from optimizer.io.results import _clean, input_hash

        return _clean(
            {
                "scenarios": [
                    {
                        "label": e.label,
                        "scenario": e.plan.scenario,
                        "variant": e.plan.variant,
                        "status": e.plan.status,
                        "objective": e.plan.objective,
                        "bound": e.plan.bound,
                        "gap": e.plan.gap,
                        "source": e.source,
                        "folder": str(e.folder) if e.folder else None,
                        "input_hash": input_hash(list(e.scenario.source_files))
                        if e.scenario is not None
                        else None,
                        "settings": e.plan.settings,
                        "diagnosis": [
                            {
                                "constraint": c.constraint,
                                "kind": c.kind,
                                "year": c.key.year,
                                "limit": c.limit,
                                "needed": c.needed,
                                "violation": c.violation,
                                "unit": c.unit,
                                "explanation": c.explanation,
                            }
                            for c in e.diagnosis
                        ],
                    }
                    for e in self.entries
                ],
                "periods": [f"{a}-{b}" for a, b in self.periods],
                "metrics": [
                    {
                        "key": m.key,
                        "label": m.label,
                        "kind": m.kind,
                        "values": dict(zip(self.labels, m.values, strict=True)),
                    }
                    for m in self.metrics
                ],
                "projects": [
                    {
                        "candidate": row.candidate,
                        "name": row.name,
                        "department": row.department,
                        "differs": row.differs,
                        "choices": {
                            label: {
                                "planned": c.planned,
                                "chosen": c.chosen,
                                "starts": {str(y): u for y, u in sorted(c.starts.items())},
                            }
                            for label, c in zip(self.labels, row.choices, strict=True)
                        },
                    }
                    for row in self.matrix
                ],
                "never_chosen": self.never_chosen,
            }
        )


def periods_for(years: list[int], length: int = PERIOD_YEARS) -> list[tuple[int, int]]:
    """[2026..2040] -> [(2026, 2030), (2031, 2035), (2036, 2040)]; the last may be shorter."""
    if not years:
        return []
    first, last = min(years), max(years)
    return [(start, min(start + length - 1, last)) for start in range(first, last + 1, length)]


def _value(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def compare_plans(
    entries: list[CompareEntry], period_years: int = PERIOD_YEARS, lang: str = "en"
) -> Comparison:
    from optimizer.report.i18n import translator

    t = translator(lang)
    heads = [figures.headline(e.plan) if e.plan.has_solution else None for e in entries]
    years: set[int] = set()
    for entry, head in zip(entries, heads, strict=True):
        years.update(figures.plan_years(entry.plan))
        if head is not None:
            years.update(head.capex_by_year)
    periods = periods_for(sorted(years), period_years)
    metrics = [
        _objective_metric(entries, t),
        *_capex_metrics(heads, periods, t),
        *_shortfall_metrics(entries, heads, t, lang),
        *_other_metrics(heads, t),
        *_closure_metrics(entries, t, lang),
        *_key_figure_metrics(entries, t),
    ]
    rows, never = _candidate_matrix(entries)
    return Comparison(entries, periods, metrics, rows, never)


def _objective_metric(entries: list[CompareEntry], t) -> Metric:
    """PV cost when every entry is in cost mode; the objective as it is otherwise."""
    cost_mode = all(e.plan.objective_mode == "cost" for e in entries)
    return Metric(
        "pv_cost" if cost_mode else "objective",
        t("pv_cost") if cost_mode else t("objective"),
        [_value(e.plan.objective) if e.plan.has_solution else None for e in entries],
    )


def _capex_metrics(heads: list, periods: list[tuple[int, int]], t) -> list[Metric]:
    """Capex in total and per period (five-year blocks by default)."""
    metrics = [
        Metric("capex_total", t("capex_total"), [h.capex_total if h else None for h in heads])
    ]
    for first, last in periods:
        label = f"{first}–{last}" if last > first else f"{first}"
        metrics.append(
            Metric(
                f"capex_{first}_{last}",
                t("capex_period", period=label),
                [
                    sum(v for y, v in h.capex_by_year.items() if first <= y <= last) if h else None
                    for h in heads
                ],
            )
        )
    return metrics


def _shortfall_metrics(entries: list[CompareEntry], heads: list, t, lang: str) -> list[Metric]:
    """Shortfall per service any entry has, in the service's own unit (in the language's word)."""
    services: dict[str, str] = {}
    for head in heads:
        if head is not None:
            for service, unit in head.units_by_service.items():
                services.setdefault(service, unit)
    service_names: dict[str, str] = {}
    for entry in entries:
        for service, name in figures.names(entry.scenario)["service"].items():
            service_names.setdefault(service, name)
    return [
        Metric(
            f"shortfall_{service}",
            t(
                "shortfall_service",
                service=service_names.get(service, service),
                unit=unit_name(unit, lang),
            ),
            [h.shortfall_by_service.get(service, 0.0) if h else None for h in heads],
            kind="units",
        )
        for service, unit in services.items()
    ]


def _closure_metrics(entries: list[CompareEntry], t, lang: str) -> list[Metric]:
    """The year each existing asset closes, per entry ("–": it stands to the end, or is
    renovated), for every asset that closes in any entry (docs/model.md, Existing assets)."""
    years: list[dict[str, int]] = []
    names: dict[str, tuple[str, str]] = {}
    for entry in entries:
        closures = entry.plan.tables.get("closures")
        coverage = entry.plan.tables.get("coverage")
        units = (
            dict(zip(coverage["service"], coverage["unit"], strict=True))
            if coverage is not None
            else {}
        )
        found: dict[str, int] = {}
        if closures is not None:
            for row in closures.itertuples(index=False):
                found[str(row.asset)] = int(row.year)
                unit = unit_name(units.get(str(row.service), ""), lang)
                size = f"{format_number(float(row.capacity), 0, lang)} {unit}".strip()
                names.setdefault(str(row.asset), (str(row.name), size))
        years.append(found)
    return [
        Metric(
            f"closure_{asset}",
            t("closure_of", name=name, size=size),
            [found.get(asset) for found in years],
            kind="year",
        )
        for asset, (name, size) in names.items()
    ]


def _key_figure_metrics(entries: list[CompareEntry], t) -> list[Metric]:
    """Investment (total, candidates, other), self-financing rate, result, debt and debt per
    inhabitant, year by year, for the figures any entry has (optimizer/report/key_figures.py)."""
    from optimizer.report import key_figures as kf

    tables = [kf.key_figures(e.plan) if e.plan.has_solution else None for e in entries]
    present = [table for table in tables if table is not None]
    if not present:
        return []
    shown = {f.column: f for table in present for f in kf.shown(table)}
    years = sorted({int(y) for table in present for y in table["year"]})
    by_year = [table.set_index("year") if table is not None else None for table in tables]
    rates = [
        kf.period_self_financing_rate(table) if table is not None else None for table in tables
    ]
    metrics = [
        Metric(
            "self_financing_rate_period",
            t("kf_period_rate"),
            [_value(r) for r in rates],
            kind="percent",
        )
    ]
    if all(m is None for m in metrics[0].values):
        metrics = []
    for column in kf.HEADLINE:
        figure = shown.get(column)
        if figure is None:
            continue
        label = t(figure.label)
        for year in years:
            values = [
                _value(table[column].get(year)) if table is not None else None for table in by_year
            ]
            metrics.append(
                Metric(
                    f"{column}_{year}",
                    t("kf_in_year", figure=label, year=year),
                    values,
                    kind=figure.kind,
                )
            )
    return metrics


def _other_metrics(heads: list, t) -> list[Metric]:
    """CO2e, peak debt (when any entry has debt rules) and the number of projects chosen."""
    metrics = [
        Metric(
            "co2e_t", t("co2e_sum"), [h.co2e_total_t if h else None for h in heads], kind="tonnes"
        )
    ]
    peak = [h.peak_debt if h else None for h in heads]
    if any(v is not None for v in peak):
        metrics.append(Metric("peak_debt", t("peak_debt"), peak))
    metrics.append(
        Metric(
            "projects_chosen",
            t("projects_chosen"),
            [float(h.projects_chosen) if h else None for h in heads],
            kind="count",
        )
    )
    return metrics


def _candidate_matrix(entries: list[CompareEntry]) -> tuple[list[MatrixRow], list[str]]:
    """Every candidate any entry knows, in a stable order: rows of those chosen somewhere
    (sorted by first start), and the ids of those never chosen."""
    candidates: dict[str, tuple[str, str]] = {}
    for entry in entries:
        if entry.scenario is not None:
            for cand in entry.scenario.candidates:
                candidates.setdefault(cand.id, (cand.name, cand.department))
        schedule = entry.plan.tables.get("schedule")
        if schedule is not None:
            for row in schedule.itertuples(index=False):
                candidates.setdefault(str(row.candidate), (str(row.name), str(row.department)))
    rows: list[MatrixRow] = []
    never: list[str] = []
    for cand, (name, department) in candidates.items():
        choices = [
            Choice(
                {int(y): int(u) for y, u in e.plan.starts.get(cand, {}).items() if u > 0},
                planned=e.plan.has_solution,
            )
            for e in entries
        ]
        if any(c.chosen for c in choices):
            rows.append(MatrixRow(cand, name, department, choices))
        else:
            never.append(cand)

    def order(row: MatrixRow):
        starts = [c.first_start for c in row.choices if c.first_start is not None]
        return (min(starts), row.candidate)

    rows.sort(key=order)
    return rows, never


def unique_labels(pairs: list[tuple[Path, str | None]], scenarios: list) -> list[str]:
    """Short, unique column labels: the variant for one scenario folder, the folder otherwise."""
    folders = {Path(p).resolve() for p, _ in pairs}
    labels = []
    for (path, _variant), scenario in zip(pairs, scenarios, strict=True):
        stem = Path(path).stem or str(path)
        if len(folders) == 1:
            labels.append(scenario.variant)
        elif sum(1 for p, _ in pairs if Path(p).resolve() == Path(path).resolve()) > 1:
            labels.append(f"{stem}·{scenario.variant}")
        else:
            labels.append(stem)
    seen: dict[str, int] = {}
    unique = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        unique.append(label if seen[label] == 1 else f"{label}-{seen[label]}")
    return unique


def compare_folder_name(labels: list[str], stems: list[str]) -> str:
    """compare-<scenario>-<labels>, as a folder name (claimed under results/ as a new folder)."""
    head = "-".join(dict.fromkeys(stems))[:40]
    tail = "-".join(labels)[:60]
    return safe_name(f"compare-{head}-{tail}")


def safe_name(label: str) -> str:
    """A label as one folder name: never ``.``, ``..`` or a path (``safe_component``)."""
    return safe_component(
        "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in label), fallback="run"
    )


def run_folder_names(labels: list[str]) -> list[str]:
    """One distinct folder name per label, even when two labels sanitise to the same name."""
    names: list[str] = []
    for label in labels:
        name, counter = safe_name(label), 2
        while name.casefold() in {n.casefold() for n in names}:
            name = f"{safe_name(label)}-{counter}"
            counter += 1
        names.append(name)
    return names


def diagnosis_of(scenario, plan: Plan, settings) -> list:
    """An infeasible run's conflicting limits (the elastic diagnosis ``capplan run`` prints)."""
    from optimizer.diagnose import diagnose
    from optimizer.status import Status

    if plan.status is not Status.INFEASIBLE:
        return []
    return diagnose(scenario, settings)


def gather(
    scenarios: list,
    labels: list[str],
    settings_list: list,
    *,
    results_base: Path | None = Path("results"),
    progress_for=None,
    on_reuse=None,
    on_tampered=None,
) -> list[CompareEntry]:
    """Solve each scenario variant, or read back a stored result with the same inputs.

    ``results_base``: where to look for stored results (None: always solve).
    ``progress_for(label, index, count)``: a context manager yielding a progress callback.
    ``on_reuse(label, folder)``: told about each stored result used instead of a solve.
    ``on_tampered(label, folder, problems)``: told about each matching stored result that is
    solved again because its files differ from their hashes in its manifest.
    """
    import contextlib

    from optimizer.io.stored import find_stored_result, load_results
    from optimizer.run import run_scenario

    entries = []
    for index, (scenario, label, settings) in enumerate(
        zip(scenarios, labels, settings_list, strict=True)
    ):
        stored = (
            find_stored_result(
                scenario,
                settings,
                results_base,
                on_tampered=(
                    (lambda folder, problems, label=label: on_tampered(label, folder, problems))
                    if on_tampered is not None
                    else None
                ),
            )
            if results_base is not None
            else None
        )
        if stored is not None:
            if on_reuse is not None:
                on_reuse(label, stored)
            entries.append(CompareEntry(label, scenario, load_results(stored), "reused", stored))
            continue
        context = (
            progress_for(label, index, len(scenarios))
            if progress_for
            else contextlib.nullcontext(None)
        )
        with context as progress:
            plan = run_scenario(scenario, settings, progress=progress)
        entries.append(
            CompareEntry(
                label, scenario, plan, "solved", None, diagnosis_of(scenario, plan, settings)
            )
        )
    return entries
