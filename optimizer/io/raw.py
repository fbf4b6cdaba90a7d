"""The format-neutral form of a scenario, before validation.

Both readers (a folder of TOML + CSV, an Excel workbook) produce a ``RawScenario``: the settings
as a plain dict and each table as rows of cell values with the row number a spreadsheet shows.
``optimizer.validate.parse`` validates it into the typed ``Scenario``. Keeping the two readers on
one contract means a rule is checked once, whatever the file type.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from optimizer.errors import Problem
from optimizer.text import control_character, nfc

# A table larger than this is refused (exit 2 naming the file and the limit) instead of being read
# until memory runs out. A population table of 30 years x 100 districts x 20 age groups x 10
# variants is 600,000 rows and about 20 MB; the limits leave room for more than that.
MAX_TABLE_BYTES = 200 * 1024 * 1024  # a CSV file, or a sheet's XML inside a workbook (x 8)
MAX_TABLE_ROWS = 2_000_000


class VariantFilter:
    """Keeps only one population variant's rows while a table streams in (the population
    table of every variant can be large), plus the first row of each other variant, so that a
    message can still say which variants the table has."""

    def __init__(self, wanted: str | None):
        self.wanted = wanted
        self.seen: set[str] = set()

    def skips(self, variant: str) -> bool:
        """True for a row of another variant after that variant's first row."""
        variant = variant.strip()
        if not self.wanted or not variant or variant == self.wanted:
            return False
        if variant in self.seen:
            return True
        self.seen.add(variant)
        return False


Source = TypeVar("Source")  # what a reader reads a table from: a CSV file, a sheet


class TooLarge(Exception):
    """A table over the reader limits (the message says how large): reported by the reader
    with ``too_large``, naming the file."""


def make_room(rows: int) -> None:
    """Refuse one more row when a table already has ``MAX_TABLE_ROWS`` (read at call time)."""
    if rows >= MAX_TABLE_ROWS:
        raise TooLarge(f"more than {MAX_TABLE_ROWS:,} rows")


class TableRows:
    """The data rows of one table while either reader streams it in (CSV lines or sheet rows):
    the cells of the named columns as ``Rows``, and with ``population_variant`` only the rows
    the command uses (``VariantFilter``)."""

    def __init__(self, columns: Sequence[str | None], population_variant: str | None):
        self.named = [i for i, column in enumerate(columns) if column]
        self.rows = Rows([columns[i] for i in self.named])
        self.variants = VariantFilter(population_variant)
        using_variants = population_variant and "variant" in columns
        self.variant_at = columns.index("variant") if using_variants else None

    def skips(self, cells: Sequence, text: Callable[[Any], str] = str) -> bool:
        """True for a row of another population variant (``text``: a cell's text)."""
        at = self.variant_at
        return at is not None and at < len(cells) and self.variants.skips(text(cells[at]))


def too_large(label: str, size: str) -> Problem:
    """A table over the limits: refused with the file and the limits, never read until memory
    runs out."""
    return Problem(
        label,
        None,
        None,
        f"is too large to read ({size}; capplan reads tables of up to "
        f"{MAX_TABLE_BYTES // 2**20} MB and {MAX_TABLE_ROWS:,} rows): remove rows nobody uses, "
        "or split the table",
    )


@dataclass(frozen=True)
class Usage:
    """Which part of a scenario a command reads.

    ``convert`` needs every file; ``validate`` the tables some variant uses; ``run`` only the
    tables of its one variant (``variant`` None: the scenario's default variant), and of a shared
    population table only the rows of that variant. Files nobody uses are not read at all: a
    200 MB ``notes.csv`` beside the scenario costs nothing.
    """

    every_file: bool = False
    every_variant: bool = False
    variant: str | None = None


EVERY_FILE = Usage(every_file=True)
EVERY_VARIANT = Usage(every_variant=True)


def one_variant(name: str | None) -> Usage:
    return Usage(variant=name)


@dataclass
class TablesInUse:
    """What ``Usage`` means for one scenario: the table stems to read, and for population
    tables the one population variant whose rows are kept (None: every row)."""

    stems: set[str] | None  # None: every table
    population_variant: dict[str, str] = field(default_factory=dict)  # stem -> kept variant

    def wanted(self, stem: str) -> bool:
        return self.stems is None or stem in self.stems


def tables_in_use(settings: dict, usage: Usage) -> TablesInUse:
    """The stems of the tables ``usage`` needs, read from the raw settings (before validation,
    so that the same choice is made whatever is wrong in them; ``optimizer.scenario`` makes the
    same choice for the chosen variant and reports what is missing)."""
    from optimizer.schema import TABLE_NAMES

    if usage.every_file:
        return TablesInUse(None)
    base = settings.get("tables") if isinstance(settings.get("tables"), dict) else {}
    variants = settings.get("variants") if isinstance(settings.get("variants"), dict) else {}
    scenario = settings.get("scenario") if isinstance(settings.get("scenario"), dict) else {}
    if usage.every_variant:
        chosen = list(variants) or [None]
    else:
        default = scenario.get("default_variant")
        name = usage.variant or (default if isinstance(default, str) else None)
        chosen = [name or next(iter(variants), None) or "base"]
    stems: set[str] = set()
    population: dict[str, str] = {}
    for name in chosen:
        variant = variants.get(name) if isinstance(variants.get(name), dict) else {}
        own = variant.get("tables") if isinstance(variant.get("tables"), dict) else {}
        for table in TABLE_NAMES:
            given = own.get(table) or base.get(table) or table
            stem = nfc(given.removesuffix(".csv")) if isinstance(given, str) else table
            stems.add(stem)
            if table == "population" and not usage.every_variant:
                kept = variant.get("population") or name
                if isinstance(kept, str):
                    population[stem] = kept.strip()
    for table in TABLE_NAMES:  # base names, checked even when the settings are broken
        given = base.get(table)
        stems.add(nfc(given.removesuffix(".csv")) if isinstance(given, str) else table)
    return TablesInUse(stems, population)


class Rows(Sequence):
    """Rows of a table stored compactly (a tuple of cells each, repeated texts shared) and
    handed out as ``(row number, cells by column)`` like a list of dicts.

    A population table has millions of cells, most of them a few texts repeated (variant,
    district, age group, year): a dict per row and a new string per cell would take gigabytes.
    """

    _SHARED_LIMIT = 10_000  # distinct texts per column worth sharing

    def __init__(self, columns: list[str]):
        self.columns = tuple(columns)
        self._rows: list[tuple[int, tuple]] = []
        self._shared: list[dict | None] = [{} for _ in columns]

    def append(self, number: int, cells: Sequence[object]) -> None:
        values = []
        for position, value in enumerate(cells[: len(self.columns)]):
            shared = self._shared[position]
            if shared is not None and isinstance(value, str):
                value = shared.setdefault(value, value)
                if len(shared) > self._SHARED_LIMIT:
                    self._shared[position] = None  # ids, amounts: all different
            values.append(value)
        self._rows.append((number, tuple(values)))

    def _as_dict(self, values: tuple) -> dict[str, object]:
        cells = dict(zip(self.columns, values, strict=False))
        for column in self.columns[len(values) :]:
            cells[column] = None
        return cells

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [(n, self._as_dict(v)) for n, v in self._rows[index]]
        number, values = self._rows[index]
        return number, self._as_dict(values)

    def __iter__(self) -> Iterator[tuple[int, dict[str, object]]]:
        for number, values in self._rows:
            yield number, self._as_dict(values)


def checked_text(
    value: object, label: str, row: int | None, field_name: str | None, problems: list[Problem]
) -> object:
    """A text cell as capplan keeps it: in Unicode normal form C, and without control
    characters (a problem naming file, row and field is recorded instead)."""
    if not isinstance(value, str):
        return value
    why = control_character(value)
    if why:
        problems.append(Problem(label, row, field_name, why))
    return nfc(value)


def checked_settings(value: object, label: str, problems: list[Problem], path: str = "") -> object:
    """Settings (TOML) with every key and text in normal form C; control characters and two
    keys that are the same text in different Unicode forms reported under the dotted path."""
    if isinstance(value, str):
        return checked_text(value, label, None, path or None, problems)
    if isinstance(value, list):
        return [
            checked_settings(item, label, problems, f"{path}[{i}]") for i, item in enumerate(value)
        ]
    if isinstance(value, dict):
        result: dict = {}
        for key, item in value.items():
            name = nfc(key) if isinstance(key, str) else key
            where = f"{path}.{name}" if path else str(name)
            if isinstance(key, str) and (why := control_character(key)):
                problems.append(Problem(label, None, where, f"the name {why}"))
            if name in result:
                problems.append(
                    Problem(
                        label,
                        None,
                        where,
                        "is given twice (the same text typed in two Unicode forms); keep one",
                    )
                )
                continue
            result[name] = checked_settings(item, label, problems, where)
        return result
    return value


@dataclass
class RawTable:
    name: str  # file stem or sheet name, e.g. "candidates" or "budgets-cut"
    label: str  # what users see in messages: "candidates.csv" or "plan.xlsx, sheet candidates"
    columns: list[str]
    rows: Sequence[tuple[int, dict[str, object]]]  # (spreadsheet row number, cells by column)
    path: Path | None = None


@dataclass
class RawScenario:
    root: Path  # the folder or the workbook
    settings_label: str  # "scenario.toml" or "x.xlsx, sheet settings"
    settings: dict
    tables: dict[str, RawTable] = field(default_factory=dict)  # by file stem / sheet name
    source_files: list[Path] = field(default_factory=list)  # for the manifest's hashes
    # How a table that is not there is named in messages: "{stem}.csv" or "x.xlsx, sheet {stem}".
    table_label_template: str = "{stem}.csv"
    # Where a settings field stands when the settings are spread over sheets (workbooks):
    # settings path ("scenario.first_year", "services[2]", "variants.high") -> (label, row,
    # whether the path is dropped from the field name because the label already says it).
    settings_locations: dict[str, tuple[str, int | None, bool]] = field(default_factory=dict)
    # Problems the reader found in single cells (a formula without a saved value, merged cells):
    # validation goes on and reports them with its own, so that every problem is listed at once.
    problems: list = field(default_factory=list)
    # Tables that are there but were not read because the command does not use them (another
    # variant's): by stem, so that a reference to them is still known to be good.
    unread: dict[str, Path] = field(default_factory=dict)

    def read_tables(
        self,
        usage: Usage,
        found: Iterable[tuple[str, Path, Source]],
        read: Callable[[str, Source, str | None], RawTable | None],
    ) -> None:
        """Each table found (its stem, where it is, what ``read`` reads) that ``usage`` needs,
        read into ``tables`` as ``read(stem, source, population variant to keep)`` gives it (None:
        not read, the reader says why); the others noted in ``unread``. Both readers go
        through here, so a folder and a workbook read the same tables for a command."""
        in_use = tables_in_use(self.settings, usage)
        for stem, where, source in found:
            if not in_use.wanted(stem):
                self.unread[stem] = where
                continue
            table = read(stem, source, in_use.population_variant.get(stem))
            if table is not None:
                self.tables[stem] = table

    def has_table(self, stem: str) -> bool:
        return stem in self.tables or stem in self.unread

    def table_label(self, stem: str) -> str:
        table = self.tables.get(stem)
        return table.label if table is not None else self.table_label_template.format(stem=stem)


def cell_text(value: object) -> str:
    """A cell as CSV text: what a workbook cell becomes in a folder, and how cells are compared."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def same_value(a: object, b: object) -> bool:
    """Equal and of the same type, all the way down (``1 == 1.0 == True`` is not enough)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return set(a) == set(b) and all(same_value(a[k], b[k]) for k in a)  # order is free
    if isinstance(a, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


def differences(a: RawScenario, b: RawScenario, limit: int = 5) -> list[str]:
    """What differs between two raw scenarios: settings (by type and value) and table cells."""
    found: list[str] = []
    if not same_value(a.settings, b.settings):
        found.append(f"settings differ{_first_difference(a.settings, b.settings, '')}")
    for name in sorted(set(a.tables) | set(b.tables)):
        if name not in a.tables or name not in b.tables:
            found.append(f"table {name} is only in one of them")
            continue
        ta, tb = a.tables[name], b.tables[name]
        if ta.columns != tb.columns:
            found.append(f"table {name}: columns {ta.columns} != {tb.columns}")
            continue
        rows_a = [(n, [cell_text(c.get(col)) for col in ta.columns]) for n, c in ta.rows]
        rows_b = [(n, [cell_text(c.get(col)) for col in tb.columns]) for n, c in tb.rows]
        if rows_a != rows_b:
            for (na, ca), (nb, cb) in zip(rows_a, rows_b, strict=False):
                if (na, ca) != (nb, cb):
                    found.append(f"table {name}: row {na} {ca} != row {nb} {cb}")
                    break
            else:
                found.append(f"table {name}: {len(rows_a)} rows != {len(rows_b)} rows")
        if len(found) >= limit:
            break
    return found[:limit]


def _first_difference(a: object, b: object, path: str) -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in list(a) + [k for k in b if k not in a]:
            if key not in a or key not in b:
                return f" at {path}{key} (only in one)"
            if not same_value(a[key], b[key]):
                return _first_difference(a[key], b[key], f"{path}{key}.")
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if not same_value(x, y):
                return _first_difference(x, y, f"{path}[{i}].")
    return f" at {path.rstrip('.')}: {a!r} != {b!r}"
