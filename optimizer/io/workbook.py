"""A scenario as one Excel workbook, for people who live in Excel.

Layout (``docs/scenario-format.md`` has the full reference):

- sheet ``settings``: one row per setting of ``scenario.toml``, columns ``key`` (dotted:
  ``scenario.first_year``, ``debt.interest_rate``, ``tables.budgets``), ``value`` and a
  ``description`` that capplan fills in and ignores when reading. An empty value means the default.
- sheets ``departments``, ``services``, ``districts``, ``pools``: one row per item, one column per
  field; sheet ``variants``: one row per variant, the name in column ``variant``.
- every other sheet is a table, named like the CSV file it stands for (``candidates``,
  ``budgets-cut``), with the column names in row 1. Messages give Excel's row numbers.

Values that are lists or maps go in one cell: lists of ids as ``a|b`` (or JSON ``["a", "b"]``),
maps as JSON (``{"1-5": 0.87}``). A settings cell holding valid JSON that begins with ``"``,
``[`` or ``{`` is read as JSON, so a JSON string (``"..."``) stands for the text inside the
quotes; capplan writes text that way only when it would otherwise be read differently (empty
text, text that looks like a number or a list). Writing and reading back is lossless;
``write_workbook`` checks that before it moves the file into place, and refuses what a cell
cannot hold exactly.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import re
import types
import typing
import warnings
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel

from optimizer import schema
from optimizer.errors import CapplanError, Problem, ScenarioError
from optimizer.io import raw as limits  # read at call time: tests lower them
from optimizer.io.nesting import loads_json
from optimizer.io.output import atomic_output_file
from optimizer.io.raw import (
    EVERY_FILE,
    RawScenario,
    RawTable,
    Rows,
    Usage,
    cell_text,
    checked_text,
    differences,
    tables_in_use,
    too_large,
)
from optimizer.io.results import FORMULA_PREFIXES
from optimizer.text import nfc

SETTINGS_SHEET = "settings"
VARIANTS_SHEET = "variants"
VARIANT_COLUMN = "variant"
SETTINGS_COLUMNS = ("key", "value", "description")
ITEM_SHEETS: dict[str, type[BaseModel]] = {
    "departments": schema.Department,
    "services": schema.Service,
    "districts": schema.District,
    "pools": schema.FundingPool,
}
SETTINGS_SECTIONS = ("scenario", "climate", "debt", "solver", "replan")
RESERVED_SHEETS = (SETTINGS_SHEET, *ITEM_SHEETS, VARIANTS_SHEET)
MAX_SHEET_NAME = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_BAD_FILE_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SWEDISH_DECIMAL = re.compile(r"^[-\u2212]?\d+,\d+$")
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")
_FORMULA_XML = re.compile(rb"<(\w+:)?f[\s>]")

FLOAT_FORMAT = "0.0"  # an integral float (1.0) is written with it, so that it reads back as float
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
TIME_FORMAT = "hh:mm:ss"

# How a settings cell is read, from the type of the field it holds.
TEXT = "text"  # as written, unless it is valid JSON ("...", [...], {...})
TEXT_LIST = "text list"  # a|b|c, or JSON
JSON = "json"  # JSON list or map
ANY = "any"  # numbers, yes/no, JSON; text otherwise


class WorkbookWriteError(CapplanError):
    """Content a workbook cannot hold without loss."""


# ======================================================================================
# Field kinds
# ======================================================================================
def _kind(annotation) -> str:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        return _kind(rest[0]) if len(rest) == 1 else ANY
    if annotation is str or origin is typing.Literal:
        return TEXT
    if origin is list:
        return TEXT_LIST if args == (str,) else JSON
    if origin is dict or (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        return JSON
    return ANY


def _model_of(annotation) -> type[BaseModel] | None:
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _field_kind(model: type[BaseModel] | None, name: str) -> str:
    info = model.model_fields.get(name) if model is not None else None
    return _kind(info.annotation) if info is not None else ANY


def _settings_kind(path: tuple[str, ...]) -> str:
    """Kind of a dotted key of the settings sheet, e.g. ("debt", "pools") -> text list."""
    if len(path) == 1:
        return _field_kind(schema.Settings, path[0])
    if len(path) == 2:
        if path[0] == "tables":
            return TEXT
        info = schema.Settings.model_fields.get(path[0])
        return _field_kind(_model_of(info.annotation) if info else None, path[1])
    return ANY


# ======================================================================================
# Cell values <-> settings values
# ======================================================================================
class _CellError(ValueError):
    pass


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def decode_text(text: str, kind: str) -> object:
    """A text cell of a settings sheet as the value it stands for."""
    stripped = text.strip()
    if kind == TEXT:  # JSON only when it is JSON: "[draft] new school" stays text
        if stripped[:1] in ('"', "[", "{"):
            with contextlib.suppress(ValueError):
                return loads_json(stripped)
        return text
    if stripped[:1] in ("[", "{", '"'):
        try:
            value = loads_json(stripped)
        except ValueError as exc:
            if stripped[:1] == '"' and kind == ANY:
                return text
            example = '["a", "b"]' if stripped[:1] == "[" else '{"1-5": 0.87}'
            raise _CellError(
                f"'{text}' is not valid JSON ({exc.args[0].split(':')[0]}); write it like {example}, "
                "with a decimal point in numbers"
            ) from None
        if value is not None:
            return value
    if kind == TEXT_LIST:
        return [part.strip() for part in text.split("|") if part.strip()]
    with contextlib.suppress(ValueError):
        value = loads_json(stripped)
        if value is not None:
            return value  # numbers and true/false typed as text
    if _SWEDISH_DECIMAL.fullmatch(stripped):
        return float(stripped.replace("\u2212", "-").replace(",", "."))
    return text


def decode_cell(value: object, number_format: str | None, kind: str) -> object:
    """A settings cell as read by openpyxl -> the settings value (``None``: not set)."""
    if _blank(value):
        return None
    if isinstance(value, str):
        return decode_text(value, kind)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return float(value) if number_format == FLOAT_FORMAT else value
    if isinstance(value, dt.datetime):
        fmt = (number_format or "").lower()
        if value.time() == dt.time() and "h" not in fmt and "s" not in fmt:
            return value.date()
    return value


def _survives(number: float) -> bool:
    """Whether openpyxl writes and reads the float back unchanged (it keeps 16 digits)."""
    return math.isfinite(number) and _as_read_back(number) == number and abs(number) < 1e15


def encode_value(value: object, kind: str) -> tuple[object, str | None]:
    """A settings value -> (cell value, number format) that ``decode_cell`` reads back the same."""
    if isinstance(value, bool):
        return value, None
    if isinstance(value, int):
        return (value, None) if abs(value) < 1e15 else (json.dumps(value), None)
    if isinstance(value, float):
        if _survives(value):
            return value, FLOAT_FORMAT if value.is_integer() else None
        return json.dumps(value), None  # 17 digits, NaN, Infinity: as JSON text
    if isinstance(value, str):
        safe = (
            value.strip()
            and "\r" not in value
            and not _ILLEGAL_XML.search(value)
            and _reads_as(value, kind)
        )
        return (value if safe else json.dumps(value, ensure_ascii=False)), None
    if isinstance(value, list) and kind == TEXT_LIST and _bar_list_safe(value):
        return "|".join(value), None
    if isinstance(value, list | dict):
        try:
            return json.dumps(value, ensure_ascii=False), None
        except (TypeError, ValueError) as exc:
            raise WorkbookWriteError(f"{value!r} cannot be written to a cell: {exc}") from None
    if isinstance(value, dt.datetime | dt.time):
        if value.tzinfo is not None:
            raise WorkbookWriteError(f"{value!r}: Excel cannot hold a time zone")
        return value, DATETIME_FORMAT if isinstance(value, dt.datetime) else TIME_FORMAT
    if isinstance(value, dt.date):
        return value, DATE_FORMAT
    raise WorkbookWriteError(f"{value!r} ({type(value).__name__}) cannot be written to a cell")


def _reads_as(text: str, kind: str) -> bool:
    """Whether a text cell holding ``text`` reads back as that same text."""
    try:
        value = decode_text(text, kind)
    except _CellError:
        return False
    return isinstance(value, str) and value == text


def _bar_list_safe(items: list) -> bool:
    return bool(items) and all(
        isinstance(item, str)
        and item.strip() == item
        and item
        and "|" not in item
        and item[:1] not in ("[", "{", '"')
        and not _ILLEGAL_XML.search(item)
        and "\r" not in item
        for item in items
    )


def table_cell(value: object) -> object:
    """A table cell -> what to write: numbers where the text is exactly a number, else text.

    "10" and "0.5" become numbers Excel can compute with; "007", "1.50", "0,87" and ids stay text,
    so that converting back gives the same text.
    """
    if not isinstance(value, str):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        number = int(value) if value.lstrip("-").isdigit() else float(value)
        if isinstance(number, float) and not _survives(number):
            return value
        if abs(number) < 1e15 and cell_text(_as_read_back(number)) == value:
            return number
    return value


def _as_read_back(number: int | float) -> int | float:
    """The number openpyxl reads back: it writes 16 significant digits, and '2' as an int."""
    text = f"{number:.16g}"
    return float(text) if any(c in text for c in ".eE") else int(text)


# ======================================================================================
# Reading
# ======================================================================================
def read_workbook(path: Path, usage: Usage = EVERY_FILE) -> RawScenario:
    """Read a scenario workbook into a ``RawScenario`` (no validation of the content yet).

    Sheets are streamed (openpyxl read-only): only rows that hold something are looked at, so a
    stray cell in row 1,048,576 costs one row, not a million. Table sheets ``usage`` does not
    need are not read at all.
    """
    path = Path(path)
    label = path.name
    if not path.exists():
        raise ScenarioError([Problem(str(path), None, None, "does not exist")])
    if not path.is_file():
        raise ScenarioError([Problem(label, None, None, "is not a file")])
    book, problems = _open(path)
    if book is None:
        raise ScenarioError(problems)
    try:
        if SETTINGS_SHEET not in book.sheetnames:
            found = ", ".join(book.sheetnames) or "none"
            raise ScenarioError(
                [
                    Problem(
                        label,
                        None,
                        None,
                        f"has no sheet '{SETTINGS_SHEET}' (found: {found}); a scenario workbook "
                        "needs one, see docs/scenario-format.md",
                    )
                ]
            )
        raw = _read_book(book, path, usage, problems)
    finally:
        book.close()
    raw.problems = problems  # cell problems: validation reports them together with its own
    return raw


def _open(path: Path):
    """The workbook, opened for streaming (read-only, saved values of formulas)."""
    import openpyxl

    label = path.name
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it does not read
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a .xlsx that is not one: zip, XML and key errors of every kind
        reason = str(exc).strip() or type(exc).__name__
        return None, [
            Problem(
                label,
                None,
                None,
                f"is not an Excel workbook (.xlsx) that can be read ({reason}); "
                "save it from Excel as 'Excel Workbook (*.xlsx)' without a password",
            )
        ]
    return book, []


def _read_book(book, path: Path, usage: Usage, problems: list[Problem]) -> RawScenario:
    name = path.name
    label = f"{name}, sheet {{stem}}"
    sheets = {nfc(sheet.title): sheet for sheet in book.worksheets}
    raw = RawScenario(
        root=path,
        settings_label=label.format(stem=SETTINGS_SHEET),
        settings={},
        source_files=[path],
        table_label_template=label,
    )
    grids = {}
    for title in RESERVED_SHEETS:
        if title in sheets:
            grid = _grid(_SheetStream(sheets[title], label.format(stem=title), problems))
            if grid is not None:
                grids[title] = grid
    if SETTINGS_SHEET in grids:
        raw.settings = _read_settings(grids[SETTINGS_SHEET], raw, problems)
    for sheet_name in (*ITEM_SHEETS, VARIANTS_SHEET):  # unless the settings sheet holds them
        raw.settings_locations.setdefault(sheet_name, (label.format(stem=sheet_name), None, True))
    for sheet_name, model in ITEM_SHEETS.items():
        if sheet_name in grids:
            items = _read_items(grids[sheet_name], sheet_name, model, raw, problems)
            _put_section(raw, sheet_name, items, problems)
    if VARIANTS_SHEET in grids:
        _put_section(
            raw, VARIANTS_SHEET, _read_variants(grids[VARIANTS_SHEET], raw, problems), problems
        )
    in_use = tables_in_use(raw.settings, usage)
    for title, sheet in sheets.items():
        if title in RESERVED_SHEETS:
            continue
        if not in_use.wanted(title):
            raw.unread[title] = path
            continue
        stream = _SheetStream(sheet, label.format(stem=title), problems)
        table = _read_table(stream, title, in_use.population_variant.get(title), problems)
        if table is not None:
            table.path = path
            raw.tables[title] = table
    return raw


class _TooLarge(Exception):
    pass


class _SheetStream:
    """The rows of a sheet that hold something, streamed from its XML.

    Each row comes as (row number, [(value, number format)] by column, trailing blanks cut).
    Cells showing an error, formulas without a saved value and text with control characters
    are reported; texts are put in normal form C. Merged cells are reported at the end.
    """

    def __init__(self, sheet, label: str, problems: list[Problem]):
        self.sheet = sheet
        self.label = label
        self.problems = problems
        self.header_names: list[str] = []
        self._formats: dict[int, str] = {}

    def _parser(self, source, data_only: bool):
        from openpyxl.worksheet._reader import WorkSheetParser

        book = self.sheet.parent
        return WorkSheetParser(
            source,
            self.sheet._shared_strings,
            data_only=data_only,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )

    def _xml_size(self) -> int:
        return self.sheet.parent._archive.getinfo(self.sheet._worksheet_path).file_size

    def _formula_cells(self) -> set[tuple[int, int]]:
        """Cells that hold a formula: a second pass, only for sheets that have one."""
        with self.sheet._get_source() as source:
            tail = b""
            for chunk in iter(lambda: source.read(1 << 20), b""):
                if _FORMULA_XML.search(tail + chunk):
                    break
                tail = chunk[-16:]
            else:
                return set()
        cells = set()
        with self.sheet._get_source() as source:
            for _, row in self._parser(source, data_only=False).parse():
                cells.update((c["row"], c["column"]) for c in row if c["data_type"] == "f")
        return cells

    def _number_format(self, style_id: int) -> str:
        if style_id not in self._formats:
            from openpyxl.cell.read_only import ReadOnlyCell

            cell = ReadOnlyCell(self.sheet, 1, 1, None, "n", style_id)
            self._formats[style_id] = cell.number_format
        return self._formats[style_id]

    def rows(self, with_formats: bool = True) -> Iterator[tuple[int, list[tuple[object, str]]]]:
        if self._xml_size() > 8 * limits.MAX_TABLE_BYTES:
            raise _TooLarge(f"{self._xml_size() / 2**20:,.1f} MB of sheet data")
        formula_cells = self._formula_cells()
        with self.sheet._get_source() as source:
            parser = self._parser(source, data_only=True)
            for number, row in parser.parse():
                cells = self._cells(number, row, formula_cells, with_formats)
                if number == 1:
                    self.header_names = [
                        cell_text(v).strip() if not _blank(v) else "" for v, _ in cells
                    ]
                if cells or number == 1:
                    yield number, cells
            merged = parser.merged_cells.mergeCell if parser.merged_cells else []
        for cell_range in merged:
            from openpyxl.utils.cell import range_boundaries

            bounds = range_boundaries(cell_range.ref)
            self.problems.append(
                Problem(
                    self.label,
                    bounds[1],
                    _column_name(self.header_names, bounds[0]),
                    f"cells {cell_range.ref} are merged; unmerge them and fill in every cell",
                )
            )

    def _cells(self, number: int, row: list[dict], formula_cells, with_formats: bool) -> list:
        cells: list[tuple[object, str | None]] = []
        for cell in row:
            column, value = cell["column"], cell["value"]
            if cell["data_type"] == "e" and isinstance(value, str):
                self.problems.append(
                    Problem(
                        self.label,
                        number,
                        _column_name(self.header_names, column),
                        f"shows the error {value}; fix the formula or type the value",
                    )
                )
                value = None
            elif value is None and (number, column) in formula_cells:
                self.problems.append(
                    Problem(
                        self.label,
                        number,
                        _column_name(self.header_names, column),
                        f"cell {_letter(column)}{number} is a formula without a saved value; "
                        "open and save the workbook in Excel, or type the value",
                    )
                )
            elif isinstance(value, str):
                field_name = _column_name(self.header_names, column) if number > 1 else None
                value = checked_text(value, self.label, number, field_name, self.problems)
            if value is None:
                continue
            while len(cells) < column - 1:
                cells.append((None, None))
            number_format = self._number_format(cell["style_id"]) if with_formats else None
            cells.append((value, number_format))
        while cells and _blank(cells[-1][0]):
            cells.pop()
        return cells


class _Grid:
    """A sheet's used cells: header in row 1, then rows of (value, number format) by column."""

    def __init__(
        self, label: str, header: list[object], rows: list[tuple[int, list[tuple[object, str]]]]
    ):
        self.label = label
        self.header = header
        self.rows = rows

    def columns(self, problems: list[Problem]) -> list[str | None]:
        unnamed = {
            position
            for _, cells in self.rows
            for position, (value, _) in enumerate(cells, start=1)
            if not _blank(value)
        }
        return _column_names(self.label, self.header, unnamed, problems)


def _column_names(
    label: str, header: list[object], with_values: set[int], problems: list[Problem]
) -> list[str | None]:
    """Names of the columns in row 1; a column with values (``with_values``) but no name, and a
    name given twice, reported."""
    names: list[str | None] = []
    seen: set[str] = set()
    for position, value in enumerate(header, start=1):
        name = cell_text(value).strip() if not _blank(value) else None
        if name is None and position in with_values:
            problems.append(
                Problem(
                    label, 1, None, f"column {_letter(position)} has values but no name in row 1"
                )
            )
        if name is not None and name in seen:
            problems.append(Problem(label, 1, name, "column appears twice"))
        if name is not None:
            seen.add(name)
        names.append(name)
    return names


def _letter(position: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(position)


def _grid(stream: _SheetStream) -> _Grid | None:
    """A small sheet (settings, departments, ...) in full; None for an empty sheet."""
    header: list[object] | None = None
    rows: list[tuple[int, list[tuple[object, str]]]] = []
    try:
        for number, cells in stream.rows():
            if number == 1:
                header = [value for value, _ in cells]
            else:
                rows.append((number, cells))
                if len(rows) > limits.MAX_TABLE_ROWS:
                    raise _TooLarge(f"more than {limits.MAX_TABLE_ROWS:,} rows")
    except _TooLarge as exc:
        stream.problems.append(too_large(stream.label, str(exc)))
        return None
    if header is None or not any(not _blank(v) for v in header):
        if rows:
            stream.problems.append(
                Problem(stream.label, 1, None, "row 1 is empty: it must hold the column names")
            )
        return None  # an empty sheet (Excel's Sheet1) is not part of the scenario
    return _Grid(stream.label, header, rows)


def _column_name(header_names: list[str], column: int) -> str:
    if column <= len(header_names) and header_names[column - 1]:
        return header_names[column - 1]
    return f"column {_letter(column)}"


def _read_table(
    stream: _SheetStream,
    title: str,
    population_variant: str | None,
    problems: list[Problem],
) -> RawTable | None:
    """A table sheet streamed into compact rows (``Rows``), within the size limits.

    ``population_variant``: keep only that variant's rows (and the first of each other one).
    """
    label = stream.label
    rows: Rows | None = None
    columns: list[str | None] = []
    header: list[object] = []
    with_values: set[int] = set()
    pending: list[tuple[int, list]] = []  # rows before the header is known: none in practice
    variant_at: int | None = None
    other_variants: set[str] = set()
    try:
        for number, cells in stream.rows(with_formats=False):
            if number == 1:
                header = [value for value, _ in cells]
                continue
            if not header:
                pending.append((number, cells))
                continue
            if rows is None:
                columns = _column_names(label, header, set(), [])
                rows = Rows([c for c in columns if c is not None])
                if population_variant and "variant" in columns:
                    variant_at = columns.index("variant")
            if variant_at is not None and variant_at < len(cells):
                variant = cell_text(cells[variant_at][0]).strip()
                if variant and variant != population_variant:
                    if variant in other_variants:
                        continue  # another variant's row: the command does not use it
                    other_variants.add(variant)
            if len(rows) >= limits.MAX_TABLE_ROWS:
                raise _TooLarge(f"more than {limits.MAX_TABLE_ROWS:,} rows")
            with_values.update(
                position for position, (value, _) in enumerate(cells, start=1) if not _blank(value)
            )
            if len(cells) > len(columns):
                extra = next(i for i in range(len(columns), len(cells)) if not _blank(cells[i][0]))
                problems.append(
                    Problem(
                        label,
                        number,
                        None,
                        f"has a value in column {_letter(extra + 1)}, which has no name in row 1",
                    )
                )
            rows.append(
                number,
                [cells[i][0] if i < len(cells) else None for i, name in enumerate(columns) if name],
            )
    except _TooLarge as exc:
        problems.append(too_large(label, str(exc)))
        return None
    if not any(not _blank(v) for v in header):
        if pending:
            problems.append(
                Problem(label, 1, None, "row 1 is empty: it must hold the column names")
            )
        return None  # an empty sheet (Excel's Sheet1) is not part of the scenario
    columns = _column_names(label, header, with_values, problems)
    if rows is None:
        rows = Rows([c for c in columns if c is not None])
    return RawTable(name=title, label=label, columns=list(rows.columns), rows=rows)


def _read_settings(grid: _Grid, raw: RawScenario, problems: list[Problem]) -> dict:
    label = grid.label
    columns = grid.columns(problems)
    missing = [c for c in SETTINGS_COLUMNS[:2] if c not in columns]
    if missing:
        for column in missing:
            problems.append(
                Problem(
                    label,
                    1,
                    column,
                    "column is missing (the settings sheet has columns key, value)",
                )
            )
        return {}
    key_at, value_at = columns.index("key"), columns.index("value")
    settings: dict = {}
    leaf_rows: dict[tuple[str, ...], int] = {}
    for number, cells in grid.rows:
        key_cell = cells[key_at][0] if key_at < len(cells) else None
        value_cell, number_format = cells[value_at] if value_at < len(cells) else (None, "General")
        if _blank(key_cell):
            if not _blank(value_cell):
                problems.append(Problem(label, number, "key", "has a value but no key"))
            continue
        key = cell_text(key_cell).strip()
        parts = tuple(part.strip() for part in key.split("."))
        if not all(parts):
            problems.append(
                Problem(
                    label,
                    number,
                    key,
                    "is not a valid key (use names joined by dots, e.g. scenario.name)",
                )
            )
            continue
        try:
            value = decode_cell(value_cell, number_format, _settings_kind(parts))
        except _CellError as exc:
            problems.append(Problem(label, number, key, str(exc)))
            continue
        if value is None:
            continue  # an empty value means the default
        clash = next(
            (
                row
                for path, row in leaf_rows.items()
                if path[: len(parts)] == parts or parts[: len(path)] == path
            ),
            None,
        )
        if clash is not None:
            problems.append(Problem(label, number, key, f"is also set on row {clash}"))
            continue
        leaf_rows[parts] = number
        node = settings
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
        raw.settings_locations[".".join(parts)] = (label, number, False)
    return settings


def _read_items(
    grid: _Grid, sheet: str, model: type[BaseModel], raw: RawScenario, problems: list[Problem]
) -> list[dict]:
    columns = grid.columns(problems)
    items: list[dict] = []
    for number, cells in grid.rows:
        item = _row_values(
            grid.label, number, cells, columns, lambda name: _field_kind(model, name), problems
        )
        if item:
            items.append(item)
            raw.settings_locations[f"{sheet}[{len(items)}]"] = (grid.label, number, True)
    return items


def _read_variants(grid: _Grid, raw: RawScenario, problems: list[Problem]) -> dict:
    columns = grid.columns(problems)
    if VARIANT_COLUMN not in columns:
        problems.append(
            Problem(grid.label, 1, VARIANT_COLUMN, "column is missing: it names each variant")
        )
        return {}
    variants: dict[str, dict] = {}
    rows: dict[str, int] = {}
    for number, cells in grid.rows:
        values = _row_values(
            grid.label,
            number,
            cells,
            columns,
            lambda name: TEXT if name == VARIANT_COLUMN else _field_kind(schema.Variant, name),
            problems,
        )
        if not values:
            continue
        name = values.pop(VARIANT_COLUMN, None)
        if not isinstance(name, str):
            problems.append(
                Problem(grid.label, number, VARIANT_COLUMN, "is empty: every variant needs a name")
            )
            continue
        if name in variants:
            problems.append(
                Problem(
                    grid.label,
                    number,
                    VARIANT_COLUMN,
                    f"duplicate variant '{name}' (first on row {rows[name]})",
                )
            )
            continue
        variants[name] = values
        rows[name] = number
        raw.settings_locations[f"variants.{name}"] = (grid.label, number, True)
    return variants


def _row_values(label, number, cells, columns, kind_of, problems: list[Problem]) -> dict:
    values: dict = {}
    for i, name in enumerate(columns):
        if name is None or i >= len(cells):
            continue
        value, number_format = cells[i]
        try:
            decoded = decode_cell(value, number_format, kind_of(name))
        except _CellError as exc:
            problems.append(Problem(label, number, name, str(exc)))
            continue
        if decoded is not None:
            values[name] = decoded
    return values


def _put_section(raw: RawScenario, key: str, value, problems: list[Problem]) -> None:
    if not value:
        return  # a sheet without rows: the setting is not given
    if key in raw.settings:
        row = raw.settings_locations.get(key, (None, None))[1]
        problems.append(
            Problem(
                raw.settings_label, row, key, f"is set here and on sheet {key}; keep one of them"
            )
        )
        return
    raw.settings[key] = value


# ======================================================================================
# Writing
# ======================================================================================
def write_workbook(source: RawScenario | Path | str, path: Path, force: bool = False) -> Path:
    """Write a scenario (or the folder/workbook at ``source``) as one workbook at ``path``.

    Refuses to replace an existing file unless ``force``; writes a temporary file beside the
    target, reads it back, and moves it into place only if it reads back the same.
    """
    from optimizer.io import read_raw

    raw = source if isinstance(source, RawScenario) else read_raw(Path(source))
    path = Path(path)
    check_sheet_names(raw)
    with atomic_output_file(path, force) as tmp:
        _save(raw, tmp)
        back = read_workbook(tmp)
        lost = differences(raw, back)
        if lost:
            raise ScenarioError(
                [
                    Problem(
                        str(raw.root.name),
                        None,
                        None,
                        f"cannot be written to a workbook without loss: {d}",
                    )
                    for d in lost
                ]
            )
    return path


def check_sheet_names(raw: RawScenario) -> None:
    """Every table must become a sheet of its own name: Excel's rules for sheet names."""
    problems = []
    seen: dict[str, str] = {}
    for name, table in raw.tables.items():
        why = None
        if name.lower() in RESERVED_SHEETS:
            why = f"the sheet name '{name}' holds settings in a workbook; rename the file"
        elif len(name) > MAX_SHEET_NAME:
            why = f"'{name}' is longer than the {MAX_SHEET_NAME} characters Excel allows in a sheet name"
        elif _BAD_SHEET_CHARS.search(name) or name.startswith("'") or name.endswith("'"):
            why = f"'{name}' has characters Excel does not allow in a sheet name ([ ] : * ? / \\ ')"
        elif name.lower() in seen:
            why = f"Excel does not tell '{name}' and '{seen[name.lower()]}' apart; rename one"
        seen[name.lower()] = name
        if why:
            problems.append(Problem(table.label, None, None, f"cannot become a sheet: {why}"))
    if problems:
        raise ScenarioError(problems)


def check_file_names(raw: RawScenario) -> None:
    """Every sheet must become a CSV file of its own name."""
    problems = []
    for name, table in raw.tables.items():
        if _BAD_FILE_CHARS.search(name) or name.strip(" .") != name or not name:
            problems.append(
                Problem(
                    table.label,
                    None,
                    None,
                    f"cannot become a file: '{name}.csv' is not a safe file name; rename the sheet",
                )
            )
    if problems:
        raise ScenarioError(problems)


def _save(raw: RawScenario, path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    settings = dict(raw.settings)
    sections: dict[str, object] = {}
    for name in ITEM_SHEETS:
        if _fits_item_sheet(settings.get(name)):
            sections[name] = settings.pop(name)
    if _fits_variants_sheet(settings.get(VARIANTS_SHEET)):
        sections[VARIANTS_SHEET] = settings.pop(VARIANTS_SHEET)
    try:
        _write_settings_sheet(book.create_sheet(SETTINGS_SHEET), settings)
        for name, model in ITEM_SHEETS.items():
            _write_item_sheet(book.create_sheet(name), sections.get(name, []), model)
        _write_variants_sheet(book.create_sheet(VARIANTS_SHEET), sections.get(VARIANTS_SHEET, {}))
        order = {name: i for i, name in enumerate(schema.TABLE_NAMES)}
        for name in sorted(raw.tables, key=lambda n: (order.get(n, len(order)), n)):
            _write_table_sheet(book.create_sheet(name), raw.tables[name])
    except WorkbookWriteError as exc:
        raise ScenarioError(
            [Problem(raw.root.name, None, None, f"cannot be written to a workbook: {exc}")]
        ) from None
    book.save(path)


def _fits_item_sheet(value) -> bool:
    """A non-empty list of non-empty maps with plain keys; anything else stays on the settings sheet."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(
            isinstance(item, dict) and item and all(_plain_key(k) for k in item) for item in value
        )
    )


def _fits_variants_sheet(value) -> bool:
    return (
        isinstance(value, dict)
        and bool(value)
        and all(
            isinstance(name, str)
            and name.strip()
            and isinstance(item, dict)
            and VARIANT_COLUMN not in item
            and all(_plain_key(k) for k in item)
            for name, item in value.items()
        )
    )


def _plain_key(key) -> bool:
    return (
        isinstance(key, str)
        and bool(key)
        and key == key.strip()
        and "." not in key
        and not _ILLEGAL_XML.search(key)
    )


def _flatten(
    settings: dict, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], object]]:
    for key, value in settings.items():
        path = (*prefix, key)
        if isinstance(value, dict) and value and all(_plain_key(k) for k in value):
            yield from _flatten(value, path)
        else:
            yield path, value


def _write_settings_sheet(sheet, settings: dict) -> None:
    for key in settings:
        if not _plain_key(key):
            raise WorkbookWriteError(
                f"the setting name {key!r} cannot be a key of the settings sheet"
            )
    given = dict(_flatten(settings))
    rows: list[tuple[tuple[str, ...], object, str]] = []
    for section in SETTINGS_SECTIONS:  # every known setting, given or not, so users see them all
        model = _model_of(schema.Settings.model_fields[section].annotation)
        for name, info in model.model_fields.items():
            path = (section, name)
            rows.append((path, given.pop(path, None), _describe(info)))
    for table in schema.TABLE_NAMES:
        path = ("tables", table)
        rows.append(
            (path, given.pop(path, None), f"File (sheet) of the {table} table, if not '{table}'.")
        )
    rows += [(path, value, "") for path, value in given.items()]
    _header(sheet, SETTINGS_COLUMNS)
    for number, (path, value, description) in enumerate(rows, start=2):
        _put(sheet, number, 1, ".".join(path))
        if value is not None:
            _put(sheet, number, 2, *encode_value(value, _settings_kind(path)))
        _put(sheet, number, 3, description)
    _layout(sheet, widths=[34, 24, 80])


def _describe(info) -> str:
    text = info.description or ""
    if not info.is_required():
        default = info.get_default(call_default_factory=True)
        if default not in (None, "", [], {}):
            text += f" Default: {default}."
    else:
        text += " Required."
    return text.strip()


def _write_item_sheet(sheet, items: list[dict], model: type[BaseModel]) -> None:
    columns = list(model.model_fields)
    for item in items:
        columns += [k for k in item if k not in columns]
    _header(sheet, columns, {name: _describe(info) for name, info in model.model_fields.items()})
    for number, item in enumerate(items, start=2):
        for position, name in enumerate(columns, start=1):
            if name in item:
                _put(sheet, number, position, *encode_value(item[name], _field_kind(model, name)))
    _layout(sheet)


def _write_variants_sheet(sheet, variants: dict[str, dict]) -> None:
    columns = [VARIANT_COLUMN, *schema.Variant.model_fields]
    for item in variants.values():
        columns += [k for k in item if k not in columns]
    descriptions = {name: _describe(info) for name, info in schema.Variant.model_fields.items()}
    descriptions[VARIANT_COLUMN] = "Name of the variant, e.g. trend."
    _header(sheet, columns, descriptions)
    for number, (name, item) in enumerate(variants.items(), start=2):
        _put(sheet, number, 1, *encode_value(name, TEXT))
        for position, column in enumerate(columns[1:], start=2):
            if column in item:
                _put(
                    sheet,
                    number,
                    position,
                    *encode_value(item[column], _field_kind(schema.Variant, column)),
                )
    _layout(sheet)


def _write_table_sheet(sheet, table: RawTable) -> None:
    model = schema.ROW_MODELS.get(table.name)
    descriptions = {}
    if model is not None:
        descriptions = {name: _describe(info) for name, info in model.model_fields.items()}
    _header(sheet, table.columns, descriptions)
    # Rows keep their numbers, so "row 17" means the same row in the folder and the workbook.
    next_row = 2
    for number, cells in table.rows:
        row = max(number, next_row)
        for position, column in enumerate(table.columns, start=1):
            value = cells.get(column)
            if value is not None and value != "":
                _put(sheet, row, position, table_cell(value))
        next_row = row + 1
    _layout(sheet)


def _put(sheet, row: int, column: int, value: object, number_format: str | None = None) -> None:
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str) and (_ILLEGAL_XML.search(value) or "\r" in value):
        raise WorkbookWriteError(
            f"sheet {sheet.title}, cell {cell.coordinate}: {value!r} has control characters "
            "a cell cannot hold"
        )
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # text, even when it starts with '=': never a formula
        if value.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    if number_format:
        cell.number_format = number_format


def _header(sheet, columns, descriptions: dict[str, str] | None = None) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    for position, name in enumerate(columns, start=1):
        _put(sheet, 1, position, name)
        sheet.cell(row=1, column=position).font = Font(bold=True)
        text = (descriptions or {}).get(name)
        if text:
            sheet.cell(row=1, column=position).comment = Comment(
                text, "capplan", width=300, height=90
            )
    sheet.freeze_panes = "A2"


def _layout(sheet, widths: list[int] | None = None) -> None:
    for position, column in enumerate(
        sheet.iter_cols(min_row=1, max_row=min(sheet.max_row, 200)), start=1
    ):
        if widths and position <= len(widths):
            width = widths[position - 1]
        else:
            width = max((len(cell_text(c.value)) for c in column if c.value is not None), default=8)
        sheet.column_dimensions[_letter(position)].width = min(max(width + 2, 8), 60)
