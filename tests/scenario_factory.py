"""Small scenarios for tests: a copy of scenarios/tiny with edits, written to a temp folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import optimizer

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "scenarios" / "tiny"


def tiny_copy(
    tmp_path: Path,
    *,
    toml_extra: str = "",
    toml_replace: dict[str, str] | None = None,
    files: dict[str, str] | None = None,
    append: dict[str, str] | None = None,
    name: str = "tiny",
) -> Path:
    """Copy tiny; append TOML text, replace strings in the TOML, replace or append to CSV files."""
    folder = tmp_path / name
    shutil.copytree(TINY, folder)
    toml = (folder / "scenario.toml").read_text()
    for old, new in (toml_replace or {}).items():
        assert old in toml, f"{old!r} not in tiny's scenario.toml"
        toml = toml.replace(old, new)
    (folder / "scenario.toml").write_text(toml + "\n" + toml_extra)
    for filename, text in (files or {}).items():
        (folder / filename).write_text(text)
    for filename, text in (append or {}).items():
        with open(folder / filename, "a") as handle:
            handle.write(text)
    return folder


def solve(folder: Path, variant: str | None = None, **settings):
    from optimizer.run import run_scenario, solve_settings_for

    scenario = optimizer.load_scenario(folder, variant)
    return run_scenario(scenario, solve_settings_for(scenario, **settings))
