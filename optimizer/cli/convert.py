"""``capplan convert``: a scenario folder to one workbook, or a workbook to a folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from optimizer.errors import CapplanError
from optimizer.text import printable_line


def convert(
    source: Annotated[Path, typer.Argument(help="Scenario folder or .xlsx workbook to read.")],
    target: Annotated[Path, typer.Argument(help="Workbook (.xlsx) or folder to write.")],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing target.")] = False,
) -> None:
    """Convert a scenario folder to one Excel workbook, or a workbook to a folder, without loss."""
    from optimizer.io import convert as convert_scenario
    from optimizer.io import is_workbook

    try:
        raw = convert_scenario(source, target, force=force)
    except OSError as exc:  # a reader's; the writing side reports its own (optimizer.io.output)
        raise CapplanError(f"cannot convert {source}: {exc.strerror or exc}") from None
    console = Console(highlight=False, soft_wrap=True)
    kind = "workbook" if is_workbook(target) else "scenario folder"
    console.print(
        printable_line(
            f"Wrote {kind} {target}: settings and {len(raw.tables)} tables "
            f"({', '.join(raw.tables)})."
        ),
        markup=False,
    )
    toml = Path(source) / "scenario.toml"
    if toml.is_file() and any(
        line.lstrip().startswith("#") for line in toml.read_text(errors="replace").splitlines()
    ):
        console.print(
            "[dim]Comments in scenario.toml are not kept: a TOML reader does not return them.[/]"
        )
