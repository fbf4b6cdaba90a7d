"""Shadow-price records read back into RowKeys (optimizer/report/figures.py): keys that do not
apply may be empty strings (CSV) or <NA> (a nullable column in memory)."""

from __future__ import annotations

import pandas as pd

from optimizer.report.figures import shadow_row_key


def test_a_cumulative_co2e_budget_with_no_year_reads_back_without_error() -> None:
    """The binding cumulative CO2e budget has no year: <NA> in a nullable Int64 column, which
    raised "boolean value of NA is ambiguous" while plan.xlsx was written."""
    frame = pd.DataFrame({"kind": ["co2e_budget"], "pool": [""], "year": [pd.NA]}).astype(
        {"year": "Int64"}
    )
    (row,) = frame.itertuples(index=False)
    key = shadow_row_key(row)
    assert key is not None and key.block == "co2e_budget" and key.year is None


def test_a_budget_row_keeps_its_pool_and_year() -> None:
    frame = pd.DataFrame({"kind": ["budget"], "pool": ["tax"], "year": [2028]}).astype(
        {"year": "Int64"}
    )
    (row,) = frame.itertuples(index=False)
    key = shadow_row_key(row)
    assert (key.pool, key.year) == ("tax", 2028)
