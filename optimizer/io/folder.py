"""Read a scenario folder: ``scenario.toml`` plus CSV tables, as Excel in any locale saves them.

Swedish Excel writes ``;``-separated CSV with decimal commas and often in Windows-1252; other
tools write ``,`` and UTF-8 with or without a byte-order mark. All of these are read as text
here; numbers are parsed (decimal comma included) by the row models in ``optimizer.schema``.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import tomllib
from pathlib import Path

from optimizer.errors import Problem, ScenarioError
from optimizer.io import raw as limits  # read at call time: tests lower them
from optimizer.io.layout import MAX_HEADER_ROW, above_header, header_row
from optimizer.io.nesting import NestingError, loads_toml
from optimizer.io.raw import (
    EVERY_FILE,
    RawScenario,
    RawTable,
    Rows,
    TableRows,
    TooLarge,
    Usage,
    checked_settings,
    checked_text,
    make_room,
    too_large,
)
from optimizer.text import nfc

SETTINGS_FILE = "scenario.toml"


class MixedEncodingError(ValueError):
    """A UTF-8 file with a few bytes that are not: read as Windows-1252 it would mojibake every
    å, ä and ö that is right, so it is refused with the line to fix."""

    def __init__(self, line: int, byte: int, more_lines: int, column: str | None = None):
        self.line, self.byte, self.more_lines, self.column = line, byte, more_lines, column
        guess = bytes([byte]).decode("cp1252", errors="replace")
        probably = f", probably '{guess}' saved as Latin-1" if guess.isprintable() else ""
        more = f" (and {more_lines} more row{'s' if more_lines != 1 else ''})" if more_lines else ""
        super().__init__(
            f"is not UTF-8 while the rest of the file is: byte 0x{byte:02X}{probably}{more} — "
            "save the file again as UTF-8"
        )


# One valid multi-byte UTF-8 sequence (å is C3 A5). Windows-1252 text of Swedish words never
# has one: its å, ä, ö (E5, E4, F6) are followed by letters, not by bytes 80-BF.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (BOM or not), else Windows-1252 (Swedish Excel 'CSV').

    Raises ``MixedEncodingError`` for UTF-8 text with stray bytes that are not UTF-8.
    """
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
        if _UTF8_MULTIBYTE.search(data):
            raise _mixed_encoding(data) from None
        return data.decode("cp1252", errors="replace")


def _mixed_encoding(data: bytes) -> MixedEncodingError:
    # surrogateescape keeps each undecodable byte as one character U+DC80-U+DCFF
    text = data.decode("utf-8-sig", errors="surrogateescape")
    bad_lines = [
        number
        for number, line in enumerate(text.split("\n"), start=1)
        if _ESCAPED_BYTE.search(line)
    ]
    first = _ESCAPED_BYTE.search(text)
    byte = ord(first.group()) - 0xDC00 if first else 0
    return MixedEncodingError(bad_lines[0], byte, len(bad_lines) - 1, _column_of(text, first))


def _column_of(text: str, first: re.Match | None) -> str | None:
    """The header name of the CSV cell holding the first stray byte, so the message can name
    the field as every other cell problem does; None when the text is not a table."""
    if first is None:
        return None
    lines = text.split("\n")
    line_no = text.count("\n", 0, first.start())
    if line_no == 0:
        return None
    delimiter = sniff_delimiter(text)
    try:
        header = next(csv.reader([lines[0]], delimiter=delimiter))
        cells = next(csv.reader([lines[line_no]], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return None
    for position, cell in enumerate(cells):
        if _ESCAPED_BYTE.search(cell) and position < len(header):
            return nfc(header[position].strip().lstrip("\ufeff")) or None
    return None


_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _looks_binary(text: str) -> bool:
    """Mostly control characters (an image, a zip, an .xls): not a table at all.

    A stray control character in one cell is left to the cell's own check, which names it.
    """
    head = text[:2000]
    return len(_CONTROL.findall(head)) > 0.05 * len(head)


def sniff_delimiter(text: str) -> str:
    """``;`` when the header row uses it (Swedish Excel), tab for TSV, else ``,``.

    The first line that has a separator decides: a title typed above the column names is a
    line without one when saved by a text editor (Excel adds the separators of empty cells).
    """
    for line in text.split("\n", MAX_HEADER_ROW)[:MAX_HEADER_ROW]:
        counts = {sep: line.count(sep) for sep in (";", ",", "\t")}
        best = max(counts, key=lambda sep: counts[sep])
        if counts[best] > 0:
            return best
    return ","


def read_csv_table(
    path: Path, label: str | None = None, population_variant: str | None = None
) -> tuple[RawTable | None, list[Problem]]:
    """One CSV table, streamed row by row into compact rows, within the size limits.

    ``population_variant``: keep only the rows of this population variant (and the first row
    of each other one, so that a message can still say which variants the table has).
    """
    label = label or path.name
    text, problems = _table_text(path, label)
    if text is None:
        return None, problems
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    del text  # the rows below are all that is kept
    try:
        first_rows = list(itertools.islice(reader, MAX_HEADER_ROW))
        if not first_rows:
            first_rows = [[]]
        header_at = header_row(list(enumerate(first_rows, start=1)))
        if header_at is not None:  # a title above the column names: one problem, not one a row
            above = list(enumerate(first_rows[: header_at - 1], start=1))
            return None, [*problems, above_header(label, above, header_at)]
        header = _checked_header(first_rows[0], label, problems)
        if not any(header):  # an empty row above the column names: one problem, not one a row
            message = "row 1 is empty: it must hold the column names"  # as a workbook's sheet
            return None, [*problems, Problem(label, 1, None, message)]
        data = itertools.chain(first_rows[1:], reader)
        rows = _read_rows(data, header, label, population_variant, problems)
    except csv.Error as exc:
        return None, [Problem(label, reader.line_num, None, f"is not valid CSV: {exc}")]
    except TooLarge as exc:
        return None, [too_large(label, str(exc))]
    table = RawTable(
        name=nfc(path.stem), label=label, columns=list(rows.columns), rows=rows, path=path
    )
    return table, problems


def _table_text(path: Path, label: str) -> tuple[str | None, list[Problem]]:
    """The file's text, or None and why it is not a table capplan can read."""
    try:
        size = path.stat().st_size
        if size > limits.MAX_TABLE_BYTES:
            return None, [too_large(label, f"{size / 2**20:,.1f} MB")]
        text = decode_text(path.read_bytes())
    except OSError as exc:
        return None, [Problem(label, None, None, f"cannot be read: {exc.strerror or exc}")]
    except MixedEncodingError as exc:
        return None, [Problem(label, exc.line, exc.column, str(exc))]
    if not text.strip():
        return None, [
            Problem(label, None, None, "is empty: it needs a header row with the column names")
        ]
    if _looks_binary(text):
        reason = "is not a text (CSV) file; in Excel use Save As → CSV (semikolonavgränsad)"
        return None, [Problem(label, None, None, reason)]
    return text, []


def _checked_header(header_line: list[str], label: str, problems: list[Problem]) -> list[str]:
    """The column names, each checked as text; a name given twice is a problem."""
    header = [str(checked_text(cell.strip(), label, 1, None, problems)) for cell in header_line]
    seen: set[str] = set()
    for column in header:
        if column and column in seen:
            problems.append(Problem(label, 1, column, "column appears twice"))
        seen.add(column)
    return header


def _read_rows(
    reader, header: list[str], label: str, population_variant: str | None, problems: list
) -> Rows:
    """The data rows under ``header`` (blank rows and other population variants skipped)."""
    table = TableRows(header, population_variant)
    unnamed_with_values: set[int] = set()
    for number, line in enumerate(reader, start=2):
        if not any(cell.strip() for cell in line):
            continue  # blank rows are common at the end of hand-edited sheets
        if table.skips(line):
            continue  # another variant's row: the command does not use it
        make_room(len(table.rows))
        unnamed_with_values.update(
            position + 1
            for position, column in enumerate(header)
            if not column and position < len(line) and line[position].strip()
        )
        if len(line) > len(header) and any(cell.strip() for cell in line[len(header) :]):
            problems.append(
                Problem(
                    label,
                    number,
                    None,
                    f"has {len(line)} cells but the header has {len(header)} columns",
                )
            )
        table.rows.append(
            number,
            [
                checked_text(line[i], label, number, header[i], problems) if i < len(line) else ""
                for i in table.named
            ],
        )
    for position in sorted(unnamed_with_values):
        problems.append(Problem(label, 1, None, f"column {position} has values but no name"))
    return table.rows


def read_settings_toml(path: Path) -> tuple[dict | None, list[Problem]]:
    label = path.name
    if not path.is_file():
        return None, [Problem(label, None, None, "is missing: every scenario folder needs one")]
    try:
        text = decode_text(path.read_bytes())
        settings = loads_toml(text)
    except NestingError as exc:
        return None, [Problem(label, None, None, str(exc))]
    except MixedEncodingError as exc:
        return None, [Problem(label, exc.line, None, str(exc))]
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
    problems: list[Problem] = []
    settings = checked_settings(settings, label, problems)
    return settings, problems


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def misnamed_table(folder: Path, stem: str) -> tuple[str, str] | None:
    """A file in ``folder`` meant as the table ``stem`` that capplan does not read, with what to
    do about it: the name in other letter case (Dependencies.csv), or the table saved back from
    Excel as a workbook (dependencies.xlsx). None when there is none, or ``folder`` is a
    workbook. Without this, an optional table named so is silently left out of the plan."""
    wanted = f"{stem}.csv"
    try:
        names = sorted(nfc(p.name) for p in Path(folder).iterdir() if p.is_file())
    except OSError:
        return None
    for name in names:
        if name != wanted and name.casefold() == wanted.casefold():
            return name, (
                f"is not read: name it {wanted} (capplan finds a table by its exact name, "
                "letter case too)"
            )
        path = Path(name)
        if path.suffix.lower() in SPREADSHEET_SUFFIXES and path.stem.casefold() == stem.casefold():
            return name, (
                f"is not read: save it as CSV UTF-8 (comma or semicolon separated) named {wanted}"
            )
    return None


def _is_results_folder(folder: Path) -> bool:
    """A folder capplan run or replan wrote (plan.json beside an inputs/ copy of the scenario),
    given where a scenario is expected: "scenario.toml is missing" alone would not say why."""
    return (folder / "plan.json").is_file() and (folder / "inputs" / SETTINGS_FILE).is_file()


def read_folder(folder: Path, usage: Usage = EVERY_FILE) -> RawScenario:
    """Read settings and the top-level CSV tables ``usage`` needs (no validation yet)."""
    folder = Path(folder)
    if not folder.exists():
        raise ScenarioError([Problem(str(folder), None, None, "does not exist")])
    if not folder.is_dir():
        raise ScenarioError(
            [Problem(str(folder), None, None, "is not a scenario folder or .xlsx workbook")]
        )
    if not (folder / SETTINGS_FILE).exists() and _is_results_folder(folder):
        raise ScenarioError(
            [
                Problem(
                    str(folder),
                    None,
                    None,
                    "is a results folder written by capplan, not a scenario folder: to run its "
                    f"scenario again, give its inputs/ folder ({folder / 'inputs'}), the copy "
                    "of the scenario it was solved from",
                )
            ]
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

    def read_table(stem: str, path: Path, population_variant: str | None) -> RawTable | None:
        if not _inside(path, folder):
            problems.append(
                Problem(
                    path.name,
                    None,
                    None,
                    "points outside the scenario folder; copy the file in instead",
                )
            )
            return None
        table, table_problems = read_csv_table(path, population_variant=population_variant)
        problems.extend(table_problems)
        raw.source_files.append(path)
        return table

    found = sorted(folder.glob("*.csv"))
    raw.read_tables(usage, ((nfc(p.stem), p, p) for p in found if p.is_file()), read_table)
    if problems:
        raise ScenarioError(problems)
    return raw


def write_folder(raw: RawScenario, folder: Path, force: bool = False) -> Path:
    """Write ``raw`` as a scenario folder: ``scenario.toml`` and one UTF-8 CSV per table.

    Rows keep their numbers (blank lines fill the gaps), so messages point at the same rows as
    in the source. The folder is written beside the target, read back and compared, and only
    then moved into place; an existing folder is replaced only with ``force``, and only when
    capplan's convert wrote it and nobody changed it since (``optimizer.io.output``); never the
    source scenario or a folder holding it.
    """
    from optimizer.io.output import SCENARIO, atomic_output_dir
    from optimizer.io.raw import cell_text, differences
    from optimizer.io.tomlwrite import TomlWriteError, dumps
    from optimizer.io.workbook import check_file_names

    folder = Path(folder)
    check_file_names(raw)
    try:
        toml_text = dumps(raw.settings, header=f"Written by capplan convert from {raw.root.name}.")
    except TomlWriteError as exc:
        raise ScenarioError(
            [Problem(raw.settings_label, None, None, f"cannot be written as TOML: {exc}")]
        ) from None
    source = f"the source scenario {raw.root}"
    protected = [(raw.root, source), *((path, source) for path in raw.source_files)]
    with atomic_output_dir(
        folder, force, kind=SCENARIO, protected=protected, written_by="capplan convert"
    ) as tmp:
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
