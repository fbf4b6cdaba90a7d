"""Reading scenarios (folders and workbooks) and writing results."""

from __future__ import annotations

from pathlib import Path

from optimizer.io.raw import RawScenario, RawTable


def read_raw(path: Path) -> RawScenario:
    """A folder of TOML + CSV, or an ``.xlsx`` workbook with the same content."""
    path = Path(path)
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        from optimizer.io.workbook import read_workbook

        return read_workbook(path)
    from optimizer.io.folder import read_folder

    return read_folder(path)


__all__ = ["RawScenario", "RawTable", "read_raw"]
