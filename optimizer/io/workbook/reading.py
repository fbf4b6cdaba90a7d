"""Reading a scenario workbook: sheets streamed row by row, every problem named by sheet, row
and column (see ``optimizer.io.workbook`` for the layout)."""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel

from optimizer import schema
from optimizer.errors import Problem, ScenarioError
from optimizer.io import raw as limits  # read at call time: tests lower them
from optimizer.io.layout import MAX_HEADER_ROW, above_header, header_row
from optimizer.io.raw import (
    EVERY_FILE,
    RawScenario,
    RawTable,
    TableRows,
    TooLarge,
    Usage,
    cell_text,
    checked_text,
    make_room,
    too_large,
)
from optimizer.io.workbook.cells import (
    _FORMULA_XML,
    ITEM_SHEETS,
    RESERVED_SHEETS,
    SETTINGS_COLUMNS,
    SETTINGS_SHEET,
    TEXT,
    VARIANT_COLUMN,
    VARIANTS_SHEET,
    _blank,
    _CellError,
    _field_kind,
    _settings_kind,
    decode_cell,
)
from optimizer.text import nfc


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

    def read_table(title: str, sheet, population_variant: str | None) -> RawTable | None:
        stream = _SheetStream(sheet, label.format(stem=title), problems)
        table = _read_table(stream, title, population_variant, problems)
        if table is not None:
            table.path = path
        return table

    tables = ((t, path, sheet) for t, sheet in sheets.items() if t not in RESERVED_SHEETS)
    raw.read_tables(usage, tables, read_table)
    return raw


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
            raise TooLarge(f"{self._xml_size() / 2**20:,.1f} MB of sheet data")
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
                make_room(len(rows))
                rows.append((number, cells))
    except TooLarge as exc:
        stream.problems.append(too_large(stream.label, str(exc)))
        return None
    if _no_header(stream.label, header, bool(rows), stream.problems):
        return None  # an empty sheet (Excel's Sheet1) is not part of the scenario
    return _Grid(stream.label, header, rows)


def _no_header(
    label: str, header: list[object] | None, rows_below: bool, problems: list[Problem]
) -> bool:
    """Whether row 1 holds no column name; with rows below it, that is a problem."""
    if header is not None and any(not _blank(v) for v in header):
        return False
    if rows_below:
        problems.append(Problem(label, 1, None, "row 1 is empty: it must hold the column names"))
    return True


def _column_name(header_names: list[str], column: int) -> str:
    if column <= len(header_names) and header_names[column - 1]:
        return header_names[column - 1]
    return f"column {_letter(column)}"


def _unnamed_value(label: str, number: int, cells: list, named: int) -> Problem:
    """A row with a value right of the last named column."""
    extra = next(i for i in range(named, len(cells)) if not _blank(cells[i][0]))
    return Problem(
        label,
        number,
        None,
        f"has a value in column {_letter(extra + 1)}, which has no name in row 1",
    )


class _SheetRows(TableRows):
    """The rows of a table sheet below its header, and which columns hold values."""

    def __init__(self, label: str, header: list[object], population_variant: str | None):
        self.label = label
        self.columns = _column_names(label, header, set(), [])
        self.with_values: set[int] = set()
        super().__init__(self.columns, population_variant)

    def add(self, number: int, cells: list, problems: list[Problem]) -> None:
        if self.skips(cells, lambda cell: cell_text(cell[0])):
            return  # another variant's row: the command does not use it
        make_room(len(self.rows))
        self.with_values.update(
            position for position, (value, _) in enumerate(cells, start=1) if not _blank(value)
        )
        if len(cells) > len(self.columns):
            problems.append(_unnamed_value(self.label, number, cells, len(self.columns)))
        self.rows.append(number, [cells[i][0] if i < len(cells) else None for i in self.named])


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
    header: list[object] = []
    table: _SheetRows | None = None  # made at row 1, the header, unless it holds no cell
    pending = False  # rows with no header above them: reported as an empty row 1
    before = len(problems)
    try:
        sheet_rows = stream.rows(with_formats=False)
        first_rows = _first_rows(sheet_rows)
        header_at = header_row([(n, [value for value, _ in cells]) for n, cells in first_rows])
        if header_at is not None:  # a title above the column names: one problem, not one a row
            sheet_rows.close()  # the rest is not read
            # A title's cells are to be deleted: their own problems (a title merged across the
            # columns, as titles often are) would only be more lines about the same rows.
            problems[before:] = [p for p in problems[before:] if (p.row or 0) >= header_at]
            above = [(n, [value for value, _ in cells]) for n, cells in first_rows]
            problems.append(above_header(label, [r for r in above if r[0] < header_at], header_at))
            return None
        for number, cells in itertools.chain(first_rows, sheet_rows):
            if number == 1:
                header = [value for value, _ in cells]
                table = _SheetRows(label, header, population_variant) if header else None
            elif table is None:
                pending = True
            else:
                table.add(number, cells, problems)
    except TooLarge as exc:
        problems.append(too_large(label, str(exc)))
        return None
    if _no_header(label, header, pending, problems) or table is None:
        return None  # an empty sheet (Excel's Sheet1) is not part of the scenario
    # reported once every row is in: a column with values but no name, a name given twice
    _column_names(label, header, table.with_values, problems)
    rows = table.rows
    return RawTable(name=title, label=label, columns=list(rows.columns), rows=rows)


def _first_rows(sheet_rows: Iterator[tuple[int, list]]) -> list[tuple[int, list]]:
    """The rows up to ``MAX_HEADER_ROW`` (and the first one below it), taken from the stream
    to find the column names; the stream goes on after them."""
    first_rows = []
    for number, cells in sheet_rows:
        first_rows.append((number, cells))
        if number >= MAX_HEADER_ROW:
            break
    return first_rows


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
