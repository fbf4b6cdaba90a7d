"""capplan: choose and time a municipality's capital investments with a mixed-integer model.

Python API (data flows one way: file -> Scenario -> arrays -> model -> solution -> plan -> check):

    >>> import optimizer
    >>> scenario = optimizer.load_scenario("scenarios/tiny", variant="base")
    >>> scenario.demand.head()
"""

from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"


def load_scenario(path: str | Path, variant: str | None = None):
    """Read and validate a scenario folder or ``.xlsx`` workbook for one variant.

    Raises ``optimizer.errors.ScenarioError`` listing every problem (file, row, field).
    """
    from optimizer.io import one_variant, read_raw
    from optimizer.text import nfc
    from optimizer.validate import parse

    variant = nfc(variant) if variant is not None else None  # as the scenario's names are
    return parse(read_raw(Path(path), one_variant(variant)), variant)


__all__ = ["load_scenario", "__version__"]
