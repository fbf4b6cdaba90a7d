"""Write a settings dict as TOML that ``tomllib`` reads back to the same dict.

Python's standard library reads TOML but cannot write it, and the settings are simple: tables,
arrays of tables (``[[services]]``), inline tables for nested maps inside those, and scalars.
Comments cannot be kept: ``tomllib`` does not return them.
"""

from __future__ import annotations

import datetime as dt
import math
import re

_BARE_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


class TomlWriteError(ValueError):
    """A value that TOML cannot hold (e.g. a date with a time zone offset is fine, None is not)."""


def dumps(settings: dict, header: str = "") -> str:
    """The TOML text of ``settings``; ``header`` lines are written first as comments."""
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    _table(settings, [], lines)
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip("\n") + "\n"


def assignment(key: str, value) -> str:
    """One ``key = value`` line, for writers that lay out their own sections."""
    return f"{_key(key)} = {_value(value)}"


def _table(table: dict, path: list[str], lines: list[str], in_array: bool = False) -> None:
    sections = _sections(table, in_array)
    for key, value in table.items():
        if key not in sections:
            lines.append(f"{_key(key)} = {_value(value)}")
    for key, value in sections.items():
        if isinstance(value, dict):
            if len(_sections(value, in_array)) < len(value):  # else TOML implies the header
                lines.append("")
                lines.append(f"[{_dotted([*path, key])}]")
            _table(value, [*path, key], lines, in_array)
        else:
            for item in value:
                lines.append("")
                lines.append(f"[[{_dotted([*path, key])}]]")
                _table(item, [*path, key], lines, in_array=True)


def _sections(table: dict, in_array: bool) -> dict:
    return {k: v for k, v in table.items() if _is_section(v, in_array)}


def _is_section(value, in_array: bool) -> bool:
    """Maps become ``[tables]`` and lists of maps ``[[arrays of tables]]``.

    Inside an array of tables, a map of plain values stays inline (``demand_rates = { ... }``),
    which is how people write it by hand.
    """
    if isinstance(value, dict):
        if not value:
            return False
        return not in_array or any(
            _is_section(v, False) or isinstance(v, dict) for v in value.values()
        )
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)


def _dotted(path: list[str]) -> str:
    return ".".join(_key(part) for part in path)


def _key(key) -> str:
    if not isinstance(key, str):
        raise TomlWriteError(f"key {key!r} is not text")
    return key if _BARE_KEY.fullmatch(key) else _string(key)


def _string(text: str) -> str:
    out = ['"']
    for char in text:
        code = ord(char)
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        text = repr(value)
        return text if any(c in text for c in ".eE") else text + ".0"
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TomlWriteError(f"{value!r} ({type(value).__name__}) cannot be written to TOML")
