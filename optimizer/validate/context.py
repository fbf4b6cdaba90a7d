"""What the validation rules share: the settings, the tables as parsed, and the problems found.

Each rule reads the context and reports through it; none returns anything. What a rule may
trust is said here once: a table that is missing, or whose key column is missing, or that has a
row whose key cell did not parse, cannot say that an id is unknown or that a year is missing,
so the rules that would say so stay silent, and the one problem that caused it is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd

from optimizer import schema
from optimizer.errors import Problem
from optimizer.io.raw import RawScenario
from optimizer.text import unknown

# How a table stands after reading: there with its rows; not there and optional (no rows, and
# that is all there is to know); or missing (required, not found or not a safe file name).
PRESENT, ABSENT, MISSING = "present", "absent", "missing"


@dataclass
class Table:
    """One table as parsed: whole rows, and the parsed cells of rows that have a bad cell."""

    name: str
    label: str
    status: str = ABSENT
    rows: list[tuple[int, Any]] = field(default_factory=list)  # (row number, row model)
    partial: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    missing_columns: set[str] = field(default_factory=set)
    _groups: dict[tuple[str, ...], tuple[int, dict]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def values(self, name: str, **match: Any) -> set[Any] | None:
        """Values of column ``name`` in the rows whose cells equal ``match``.

        ``None`` when they cannot be known: the table or one of the columns is missing, or a
        row with a bad cell might match and its ``name`` cell did not parse.
        """
        if self.status == MISSING or self.missing_columns & {name, *match}:
            return None
        keys = tuple(sorted(match))
        found = {
            getattr(row, name) for row in self._grouped(keys).get(tuple(match[k] for k in keys), ())
        }
        for _, cells in self.partial:
            # A cell that did not parse might hold the value looked for.
            if all(cells.get(k, v) == v for k, v in match.items()):
                if name not in cells:
                    return None
                found.add(cells[name])
        return found

    def _grouped(self, keys: tuple[str, ...]) -> dict[tuple[Any, ...], list[Any]]:
        """The whole rows by their values in ``keys``, built once per set of keys: the
        population rules ask for every (age group, district) pair, and a scan of the table per
        question made ``validate`` of a scenario with districts take a second."""
        cached = self._groups.get(keys)
        if cached is None or cached[0] != len(self.rows):  # rows are only ever appended
            groups: dict[tuple[Any, ...], list[Any]] = {}
            for _, row in self.rows:
                groups.setdefault(tuple(getattr(row, k) for k in keys), []).append(row)
            cached = self._groups[keys] = (len(self.rows), groups)
        return cached[1]


def _ids_of(listed: str) -> cached_property:
    """The ids in one list of the settings (``departments``, ``services``, …), as a set."""
    return cached_property(lambda ctx: {item.id for item in getattr(ctx.settings, listed)})


@dataclass
class Context(schema.Horizon):
    raw: RawScenario
    settings: schema.Settings
    variant: str
    chosen: schema.Variant
    tables: dict[str, Table] = field(default_factory=dict)
    population: pd.DataFrame = field(default_factory=pd.DataFrame)  # the variant's, see tables.py
    problems: list[Problem] = field(default_factory=list)
    fired: dict[str, list[Problem]] = field(default_factory=dict)  # rule name -> its problems
    # Warnings: the scenario can be solved, but something looks like a slip (docs/validate.md).
    # `validate --strict` turns them into problems; `run` prints them before solving.
    warnings: list[Problem] = field(default_factory=list)
    warned: dict[str, list[Problem]] = field(default_factory=dict)  # rule name -> its warnings
    rule: str = ""  # the rule running, to which reported problems are attributed
    # (table name, file stem) -> (Table, cell problems, row-rule problems): the tables as parsed,
    # shared by the variants of one ``parse_variants`` (read-only once parsed).
    parsed_tables: dict[tuple[str, str], tuple[Table, list[Problem], list[Problem]]] = field(
        default_factory=dict
    )

    def report(self, file: str, row: int | None, field_name: str | None, message: str) -> None:
        problem = Problem(file, row, field_name, message)
        self.problems.append(problem)
        self.fired.setdefault(self.rule, []).append(problem)

    def warn(self, file: str, row: int | None, field_name: str | None, message: str) -> None:
        warning = Problem(file, row, field_name, message)
        self.warnings.append(warning)
        self.warned.setdefault(self.rule, []).append(warning)

    def add_rule_problems(self, rule: str, problems: list[Problem]) -> None:
        """Problems of the rules in ``optimizer.schema`` (validators of rows and settings)."""
        self.problems += problems
        if problems:
            self.fired.setdefault(rule, []).extend(problems)

    def rows(self, name: str) -> list[tuple[int, Any]]:
        return self.tables[name].rows

    def label(self, name: str) -> str:
        return self.tables[name].label

    def check_known(
        self, table: str, row: int, field_name: str, value: str, known: set | None, what: str
    ) -> bool:
        """Report ``value`` as unknown unless ``known`` holds it; ``None``: cannot be known."""
        if known is None or value in known:
            return known is not None
        self.report(self.label(table), row, field_name, unknown(what, value, known))
        return False

    def check_place(self, table: str, row: int, service: str, district: str | None) -> None:
        """A known service; a known district, which a service planned per district requires."""
        known = self.check_known(table, row, "service", service, self.services, "service")
        if known and district is None and service in self.by_district_services:
            message = f"is empty, but {service} is planned per district"
            self.report(self.label(table), row, "district", message)
        if district is not None:
            self.check_known(table, row, "district", district, self.districts, "district")

    # ---- settings, as sets for the rules --------------------------------------------
    @property
    def settings_label(self) -> str:
        return self.raw.settings_label

    @cached_property
    def years(self) -> set[int]:
        return set(range(self.first_year, self.last_year + 1))

    departments = _ids_of("departments")
    services = _ids_of("services")
    districts = _ids_of("districts")
    pools = _ids_of("pools")

    @cached_property
    def demand_age_groups(self) -> set[str]:
        """The age groups the services' demand rates name (``total`` is every age)."""
        return {g for s in self.settings.services for g in s.demand_rates if g != "total"}

    @cached_property
    def by_district_services(self) -> set[str]:
        return {s.id for s in self.settings.services if s.by_district}

    @cached_property
    def candidate_ids(self) -> set[str] | None:
        """Ids of every candidate row, also of rows with a bad cell; ``None``: not knowable."""
        return self.tables["candidates"].values("id")


def format_years(years: list[int]) -> str:
    """``2026-2030`` for a run of more than four years, else ``2027, 2029``."""
    if len(years) > 4 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}-{years[-1]}"
    return ", ".join(str(y) for y in years)


def duplicates(ctx: Context, table: str, key, field_name: str, what: str) -> None:
    """Report every row whose ``key(row)`` an earlier row already had."""
    seen: dict = {}
    for number, row in ctx.rows(table):
        k = key(row)
        if k in seen:
            message = f"duplicate {what} {k!r} (first on row {seen[k]})"
            ctx.report(ctx.label(table), number, field_name, message)
        else:
            seen[k] = number
