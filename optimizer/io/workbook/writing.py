"""Writing a scenario workbook: one sheet per settings block, item list and table, checked to
read back identically before it replaces anything (see ``optimizer.io.workbook``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel

from optimizer import schema
from optimizer.errors import Problem, ScenarioError
from optimizer.io.output import atomic_output_file
from optimizer.io.raw import (
    RawScenario,
    RawTable,
    cell_text,
    differences,
)
from optimizer.io.results import FORMULA_PREFIXES
from optimizer.io.workbook.cells import (
    _BAD_FILE_CHARS,
    _BAD_SHEET_CHARS,
    _ILLEGAL_XML,
    ITEM_SHEETS,
    MAX_SHEET_NAME,
    RESERVED_SHEETS,
    SETTINGS_COLUMNS,
    SETTINGS_SECTIONS,
    SETTINGS_SHEET,
    TEXT,
    VARIANT_COLUMN,
    VARIANTS_SHEET,
    WorkbookWriteError,
    _field_kind,
    _model_of,
    _settings_kind,
    encode_value,
    table_cell,
)
from optimizer.io.workbook.reading import (
    _letter,
    read_workbook,
)


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
