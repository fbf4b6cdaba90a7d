"""Workbook cells <-> settings and table values: how each kind of field is written to a cell
and read back, losslessly (see ``optimizer.io.workbook`` for the layout)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import re
import types
import typing

from pydantic import BaseModel

from optimizer import schema
from optimizer.errors import CapplanError
from optimizer.io.nesting import loads_json
from optimizer.io.raw import (
    cell_text,
)

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
