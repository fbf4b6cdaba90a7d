"""Read a scenario folder: ``scenario.toml`` plus CSV tables, as Excel in any locale saves them.

Swedish Excel writes ``;``-separated CSV with decimal commas and often in Windows-1252; other
tools write ``,`` and UTF-8 with or without a byte-order mark. All of these are read as text
here; numbers are parsed (decimal comma included) by the row models in ``optimizer.schema``.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from pathlib import Path

from optimizer.errors import Problem, ScenarioError
from optimizer.io.nesting import NestingError, loads_toml
from optimizer.io.raw import RawScenario, RawTable

SETTINGS_FILE = "scenario.toml"


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (BOM or not), else Windows-1252 (Swedish Excel 'CSV')."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    head = data[:400]
    if b"\x00" in head:  # UTF-16 without a byte-order mark: every other byte of ASCII text is 0
        for encoding, offset in (("utf-16-le", 1), ("utf-16-be", 0)):
            if head[offset::2].count(0) > 0.8 * len(head[offset::2]):
                try:
                    return data.decode(encoding)
                except UnicodeDecodeError:
                    break
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _looks_binary(text: str) -> bool:
    """Mostly control characters (an image, a zip, an .xls): not a table at all.

    A stray control character in one cell is left to the cell's own check, which names it.
    """
    head = text[:2000]
    return len(_CONTROL.findall(head)) > 0.05 * len(head)


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
        return None, [
            Problem(label, None, None, "is empty: it needs a header row with the column names")
        ]
    if _looks_binary(text):
        reason = "is not a text (CSV) file; in Excel use Save As → CSV (semikolonavgränsad)"
        return None, [Problem(label, None, None, reason)]
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
                problems.append(
                    Problem(label, 1, None, f"column {position} has values but no name")
                )
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
                Problem(
                    label,
                    number,
                    None,
                    f"has {len(line)} cells but the header has {len(header)} columns",
                )
            )
        cells = {
            column: (line[i] if i < len(line) else "") for i, column in enumerate(header) if column
        }
        rows.append((number, cells))
    table = RawTable(
        name=path.stem, label=label, columns=[c for c in header if c], rows=rows, path=path
    )
    return table, problems


def read_settings_toml(path: Path) -> tuple[dict | None, list[Problem]]:
    label = path.name
    if not path.is_file():
        return None, [Problem(label, None, None, "is missing: every scenario folder needs one")]
    try:
        text = decode_text(path.read_bytes())
        return loads_toml(text), []
    except NestingError as exc:
        return None, [Problem(label, None, None, str(exc))]
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        reason = getattr(exc, "msg", str(exc))
        where = re.search(r"\s*\(at line (\d+), column (\d+)\)$", reason)  # Python < 3.14
        if where:
            line = line or int(where.group(1))
            reason = f"{reason[: where.start()]} (column {where.group(2)})"
        elif reason.endswith("(at end of document)"):
            line = line or text.count("\n") + 1
        return None, [Problem(label, line, None, f"is not valid TOML: {reason}")]
    except OSError as exc:
        return None, [Problem(label, None, None, f"cannot be read: {exc.strerror or exc}")]


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def read_folder(folder: Path) -> RawScenario:
    """Read settings and every top-level CSV of a scenario folder (no validation yet)."""
    folder = Path(folder)
    if not folder.exists():
        raise ScenarioError([Problem(str(folder), None, None, "does not exist")])
    if not folder.is_dir():
        raise ScenarioError(
            [Problem(str(folder), None, None, "is not a scenario folder or .xlsx workbook")]
        )
    settings, problems = read_settings_toml(folder / SETTINGS_FILE)
    if (folder / SETTINGS_FILE).is_symlink() and not _inside(folder / SETTINGS_FILE, folder):
        settings = None
        problems = [
            Problem(
                SETTINGS_FILE,
                None,
                None,
                "points outside the scenario folder; copy the file in instead",
            )
        ]
    raw = RawScenario(root=folder, settings_label=SETTINGS_FILE, settings=settings or {})
    raw.source_files.append(folder / SETTINGS_FILE)
    for path in sorted(folder.glob("*.csv")):
        if not path.is_file():
            continue
        if not _inside(path, folder):
            problems.append(
                Problem(
                    path.name,
                    None,
                    None,
                    "points outside the scenario folder; copy the file in instead",
                )
            )
            continue
        table, table_problems = read_csv_table(path)
        problems += table_problems
        raw.source_files.append(path)
        if table is not None:
            raw.tables[table.name] = table
    if problems:
        raise ScenarioError(problems)
    return raw


def write_folder(raw: RawScenario, folder: Path, force: bool = False) -> Path:
    """Write ``raw`` as a scenario folder: ``scenario.toml`` and one UTF-8 CSV per table.

    Rows keep their numbers (blank lines fill the gaps), so messages point at the same rows as
    in the source. The folder is written beside the target, read back and compared, and only
    then moved into place; an existing folder is replaced only with ``force``.
    """
    from optimizer.io.raw import cell_text, differences
    from optimizer.io.results import OutputExistsError, atomic_output_dir
    from optimizer.io.tomlwrite import TomlWriteError, dumps
    from optimizer.io.workbook import check_file_names

    folder = Path(folder)
    if folder.exists() and not force:
        raise OutputExistsError(f"{folder} already exists; add --force to replace it")
    check_file_names(raw)
    try:
        toml_text = dumps(raw.settings, header=f"Written by capplan convert from {raw.root.name}.")
    except TomlWriteError as exc:
        raise ScenarioError(
            [Problem(raw.settings_label, None, None, f"cannot be written as TOML: {exc}")]
        ) from None
    with atomic_output_dir(folder, force=True) as tmp:
        (tmp / SETTINGS_FILE).write_text(toml_text, encoding="utf-8")
        for name, table in raw.tables.items():
            with open(tmp / f"{name}.csv", "w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(table.columns)
                line = 2
                for number, cells in table.rows:
                    while line < number:
                        writer.writerow([])
                        line += 1
                    writer.writerow([cell_text(cells.get(column)) for column in table.columns])
                    line += 1
        lost = differences(raw, read_folder(tmp))
        if lost:
            raise ScenarioError(
                [
                    Problem(
                        raw.root.name,
                        None,
                        None,
                        f"cannot be written to a folder without loss: {d}",
                    )
                    for d in lost
                ]
            )
    return folder
