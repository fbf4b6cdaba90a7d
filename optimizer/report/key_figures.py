"""The key figures per year that every report shows (terminal, plan.xlsx, report.html, compare):
investment (candidates and other), result, self-financing rate, debt and debt per inhabitant,
from the plan's ``key_figures`` table (optimizer/tables.py; docs/model.md, finance).

Which rows a report shows is decided here once: a figure that does not apply to the scenario
(no [finance]: no result; no [debt]: no debt) is left out, and nominal figures appear only when
the scenario gives a price index.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimizer.plan import Plan


@dataclass(frozen=True)
class KeyFigure:
    column: str  # in the key_figures table
    kind: str = "msek"  # msek | percent | sek | people | index
    nominal: bool = False  # shown only with a price index
    only_if_any: bool = False  # shown only when the plan has some (a row of zeros says nothing)

    @property
    def label(self) -> str:
        """The i18n key of the figure's row label."""
        return f"kf_{self.column}"


KEY_FIGURES = (
    KeyFigure("investment_candidates"),
    KeyFigure("investment_other"),
    KeyFigure("investment"),
    KeyFigure("revenue"),
    KeyFigure("net_cost"),
    KeyFigure("opex"),
    KeyFigure("closure_costs", only_if_any=True),
    KeyFigure("emergency_costs", only_if_any=True),
    KeyFigure("depreciation"),
    KeyFigure("interest"),
    KeyFigure("result"),
    KeyFigure("self_financing"),
    KeyFigure("self_financing_rate", "percent"),
    KeyFigure("debt"),
    KeyFigure("inhabitants", "people"),
    KeyFigure("debt_per_inhabitant", "sek"),
    KeyFigure("price_index", "index", nominal=True),
    KeyFigure("investment_nominal", nominal=True),
    KeyFigure("result_nominal", nominal=True),
    KeyFigure("debt_nominal", nominal=True),
)
# What a controller reads first: what compare puts side by side, year by year (investment as
# the whole frame and its two parts, candidates and other).
HEADLINE = (
    "investment",
    "investment_candidates",
    "investment_other",
    "self_financing_rate",
    "result",
    "debt",
    "debt_per_inhabitant",
)


def key_figures(plan: Plan) -> pd.DataFrame | None:
    table = plan.tables.get("key_figures")
    return None if table is None or table.empty else table


def shown(table: pd.DataFrame) -> list[KeyFigure]:
    """The figures that apply: some finite value; nominal ones only with a price index;
    closure and emergency costs only when the plan has some."""
    indexed = "price_index" in table and bool((np.abs(table["price_index"] - 1.0) > 1e-12).any())
    return [
        f
        for f in KEY_FIGURES
        if f.column in table
        and np.isfinite(table[f.column].to_numpy(float)).any()
        and (indexed or not f.nominal)
        and (not f.only_if_any or bool((np.abs(table[f.column].fillna(0.0)) > 1e-9).any()))
    ]


def period_self_financing_rate(table: pd.DataFrame) -> float:
    """Self-financing over the whole horizon: Σ (result + depreciation) / Σ investment of the
    debt-financed pools (the ``period_self_financing`` target's measure; NaN when nothing is
    invested or there is no self-financing figure)."""
    financed = float(table["investment_financed"].sum())
    paid = table["self_financing"].to_numpy(float)
    if financed <= 1e-9 or not np.isfinite(paid).all():
        return float("nan")
    return float(paid.sum()) / financed


def period_sentence(table: pd.DataFrame, lang: str) -> str:
    """'Självfinansieringsgrad över perioden 2026–2040: 85 %' ('' when it does not apply)."""
    from optimizer.report.i18n import translator

    rate = period_self_financing_rate(table)
    if not np.isfinite(rate):
        return ""
    years = table["year"].astype(int)
    return translator(lang)(
        "kf_period_self_financing",
        first=int(years.min()),
        last=int(years.max()),
        rate=formatted(rate, "percent", lang),
    )


def formatted(value, kind: str, lang: str) -> str:
    """A figure as text in the report's language ('' when it does not apply that year), with
    the digits of its kind in every report (``i18n.DECIMALS``): "66 %" (no break) in Swedish."""
    from optimizer.report.i18n import format_quantity

    if value is None or not np.isfinite(value):
        return ""
    return format_quantity(value, kind, lang)
