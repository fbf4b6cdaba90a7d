"""Pins the SVG that ``category_chart`` draws for small charts of every series kind.

The chart code is refactored for readability from time to time; these files prove the output a
reader sees did not change. Regenerate only for a deliberate change to the drawing:
``python tests/test_svg_charts.py --write``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from optimizer.report.svg import Series, category_chart, reset_ids

PINNED = Path(__file__).parent / "pinned" / "svg"
YEARS = ["2026", "2027", "2028", "2029"]


def _grouped_bars_with_gap_and_line() -> str:
    return category_chart(
        "Investeringar & drift",
        YEARS,
        [
            Series("Skolor", [10.0, None, 25.5, -4.0], "#0072B2"),
            Series("Förskolor", [3.0, 7.0, 0.0, 2.0], "#E69F00", unit="mnkr"),
            Series("Budget", [30.0, None, 28.0, 28.0], "#555555", kind="line"),
        ],
        unit="mnkr",
        note="En anteckning",
        chart_kind="spend",
    )


def _stacked_bars_with_steps_and_band() -> str:
    return category_chart(
        "Capacity <and> demand",
        YEARS,
        [
            Series("Built", [100.0, 120.0, -10.0, 140.0], "#009E73"),
            Series("Rented", [20.0, -5.0, 15.0, None], "#56B4E9"),
            Series("Cap", [150.0, 150.0, None, 160.0], "#D55E00", kind="dashed"),
            Series("Demand", [110.0, 130.0, 135.0, 150.0], "#CC79A7", kind="step", width=3.0),
            Series(
                "Shortfall",
                [0.0, 10.0, 5.5, None],
                "#D55E00",
                kind="band",
                base=[100.0, 120.0, None, 140.0],
            ),
        ],
        stacked=True,
        lang="en",
        width=400,
        height=200,
    )


def _lines_only_without_zero() -> str:
    return category_chart(
        "Andel",
        [str(y) for y in range(2026, 2046)],
        [Series("Täckning", [0.91 + 0.001 * k for k in range(20)], "#0072B2", kind="line")],
        include_zero=False,
        unit="%",
    )


def _flat_and_empty() -> str:
    return category_chart("Tom", ["A"], [Series("Noll", [0.0], "#777777")]) + category_chart(
        "Inget", [], []
    )


CHARTS = {
    "grouped_bars_with_gap_and_line": _grouped_bars_with_gap_and_line,
    "stacked_bars_with_steps_and_band": _stacked_bars_with_steps_and_band,
    "lines_only_without_zero": _lines_only_without_zero,
    "flat_and_empty": _flat_and_empty,
}


def _draw(name: str) -> str:
    reset_ids()
    return CHARTS[name]()


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_svg_is_unchanged(name: str) -> None:
    assert _draw(name) == (PINNED / f"{name}.svg").read_text(encoding="utf-8")


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    PINNED.mkdir(parents=True, exist_ok=True)
    for chart in CHARTS:
        (PINNED / f"{chart}.svg").write_text(_draw(chart), encoding="utf-8")
