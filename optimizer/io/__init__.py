"""Reading scenarios (folders and workbooks) and writing results."""

from __future__ import annotations

from pathlib import Path

from optimizer.errors import CapplanError, ScenarioError
from optimizer.io.raw import EVERY_FILE, EVERY_VARIANT, RawScenario, RawTable, Usage, one_variant

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}


def is_workbook(path: Path) -> bool:
    return Path(path).suffix.lower() in WORKBOOK_SUFFIXES


def read_raw(path: Path, usage: Usage = EVERY_FILE) -> RawScenario:
    """A folder of TOML + CSV, or an ``.xlsx`` workbook with the same content.

    ``usage``: which tables to read (``optimizer.io.raw.Usage``); every one by default, as
    ``convert`` needs. Commands that solve or validate read only what their variants use.
    """
    path = Path(path)
    if is_workbook(path):
        from optimizer.io.workbook import read_workbook

        return read_workbook(path, usage)
    from optimizer.io.folder import read_folder

    return read_folder(path, usage)


def write_raw(raw: RawScenario, path: Path, force: bool = False) -> Path:
    """Write ``raw`` as a workbook (``.xlsx``) or a scenario folder (any other name)."""
    path = Path(path)
    if is_workbook(path):
        from optimizer.io.workbook import write_workbook

        return write_workbook(raw, path, force=force)
    from optimizer.io.folder import write_folder

    return write_folder(raw, path, force=force)


def convert(source: Path, target: Path, force: bool = False) -> RawScenario:
    """Folder -> workbook, workbook -> folder (or same to same), without loss of content.

    TOML comments are not kept (the TOML reader does not return them), nor files other than
    ``scenario.toml`` and ``*.csv``.
    """
    source, target = Path(source), Path(target)
    if target.suffix.lower() in (".xls", ".xlsm"):
        raise CapplanError(f"{target}: capplan writes .xlsx workbooks; name the target *.xlsx")
    if target.exists() and source.exists():
        src, dst = source.resolve(), target.resolve()
        if src == dst or src.is_relative_to(dst):
            raise CapplanError(f"{target} is the source itself; choose another target")
    raw = read_raw(source)
    if raw.problems:
        # A workbook's reader goes on past a cell or sheet it cannot take, for validate to list
        # every problem at once; converted as it stands, a sheet with a title above its column
        # names would be left out of the folder without a word. A folder's reader stops there.
        raise ScenarioError(raw.problems)
    write_raw(raw, target, force=force)
    return raw


__all__ = [
    "EVERY_FILE",
    "EVERY_VARIANT",
    "RawScenario",
    "RawTable",
    "Usage",
    "convert",
    "is_workbook",
    "one_variant",
    "read_raw",
    "write_raw",
]
