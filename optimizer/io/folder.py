"""Read a scenario folder: ``scenario.toml`` plus CSV tables, as Excel in any locale saves them.

Swedish Excel writes ``;``-separated CSV with decimal commas and often in Windows-1252; other
tools write ``,`` and UTF-8 with or without a byte-order mark. All of these are read as text
here; numbers are parsed (decimal comma included) by the row models in ``optimizer.schema``.
"""

from __future__ import annotations

import csv
import io
import tomllib
from pathlib import Path

from optimizer.errors import Problem, ScenarioError
from optimizer.io.raw import RawScenario, RawTable

SETTINGS_FILE = "scenario.toml"


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 (Swedish Excel 'CSV')."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def sniff_delimiter(text: str) -> str:
    """``;`` when the header row uses it (Swedish Excel), tab for TSV, else ``,``."""
    header = text.split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > 0 else ","


def read_csv_table(path: Path, label: str | None = None) -> tuple[RawTable | None, list[Problem]]:
    label = label or path.name
    try:
        text = decode_text(path.read_bytes())
    except OSError as exc:
        return None, [Problem(label, None, None, f"cannot be read: {exc.strerror or exc}")]
    if not text.strip():
        return None, [Problem(label, None, None, "is empty: it needs a header row with the column names")]
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        lines = list(reader)
    except csv.Error as exc:
        return None, [Problem(label, reader.line_num, None, f"is not valid CSV: {exc}")]
    header = [cell.strip() for cell in lines[0]]
    problems: list[Problem] = []
    seen: set[str] = set()
    for position, column in enumerate(header, start=1):
        if not column:
            if any(len(line) >= position and line[position - 1].strip() for line in lines[1:]):
                problems.append(Problem(label, 1, None, f"column {position} has values but no name"))
            continue
        if column in seen:
            problems.append(Problem(label, 1, column, "column appears twice"))
        seen.add(column)
    rows: list[tuple[int, dict[str, object]]] = []
    for number, line in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in line):
            continue  # blank rows are common at the end of hand-edited sheets
        if len(line) > len(header) and any(cell.strip() for cell in line[len(header) :]):
            problems.append(
                Problem(label, number, None, f"has {len(line)} cells but the header has {len(header)} columns")
            )
        cells = {column: (line[i] if i < len(line) else "") for i, column in enumerate(header) if column}
        rows.append((number, cells))
    table = RawTable(name=path.stem, label=label, columns=[c for c in header if c], rows=rows, path=path)
    return table, problems


def read_settings_toml(path: Path) -> tuple[dict | None, list[Problem]]:
    label = path.name
    if not path.is_file():
        return None, [Problem(label, None, None, "is missing: every scenario folder needs one")]
    try:
        text = decode_text(path.read_bytes())
        return tomllib.loads(text), []
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        reason = getattr(exc, "msg", str(exc))
        return None, [Problem(label, line, None, f"is not valid TOML: {reason}")]
    except OSError as exc:
        return None, [Problem(label, None, None, f"cannot be read: {exc.strerror or exc}")]


def read_folder(folder: Path) -> RawScenario:
    """Read settings and every top-level CSV of a scenario folder (no validation yet)."""
    folder = Path(folder)
    if not folder.exists():
        raise ScenarioError([Problem(str(folder), None, None, "does not exist")])
    if not folder.is_dir():
        raise ScenarioError([Problem(str(folder), None, None, "is not a scenario folder or .xlsx workbook")])
    settings, problems = read_settings_toml(folder / SETTINGS_FILE)
    raw = RawScenario(root=folder, settings_label=SETTINGS_FILE, settings=settings or {})
    raw.source_files.append(folder / SETTINGS_FILE)
    for path in sorted(folder.glob("*.csv")):
        if not path.is_file():
            continue
        if not path.resolve().is_relative_to(folder.resolve()):
            problems.append(Problem(path.name, None, None, "points outside the scenario folder; copy the file in instead"))
            continue
        table, table_problems = read_csv_table(path)
        problems += table_problems
        raw.source_files.append(path)
        if table is not None:
            raw.tables[table.name] = table
    if problems:
        raise ScenarioError(problems)
    return raw
