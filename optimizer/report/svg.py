"""Charts as inline SVG, drawn in Python: no JavaScript library, no CDN, no image files.

Inline SVG keeps report.html one self-contained file that opens offline, stays small (a few
kB per chart), prints as sharp vectors and can be searched and copied from. Every chart is a
``<figure class="chart">`` holding one ``<svg>``; each drawn mark (bar, line, point) carries
``data-mark`` and a ``<title>`` so a reader gets the exact value on hover and the report's
self-check can count that something was drawn.

Two shapes cover the reports: ``category_chart`` (bars, grouped or stacked, plus lines and
steps over a shared category axis such as years or scenarios) and ``gantt`` (a project timeline).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from html import escape

from optimizer.report.i18n import format_number

# Colour-blind-safe palette (Okabe & Ito), in the order series get it.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#777777")
BUILD_COLOUR = "#E69F00"
SERVICE_COLOUR = "#009E73"
SHORTFALL_COLOUR = "#D55E00"
GRID_COLOUR = "#E3E3E3"
AXIS_COLOUR = "#555555"
FONT = "font-family:inherit;font-size:11px"

_ids = itertools.count(1)


def reset_ids() -> None:
    """Start element ids afresh, so the same plan gives byte-identical HTML."""
    global _ids
    _ids = itertools.count(1)


@dataclass
class Series:
    """One data series. ``kind``: bar, line, step (a level held over each category), dashed
    (a dashed step: a limit such as a budget ceiling or a cap, which holds for the whole year),
    or band (a shaded block over the whole category from ``base`` up by the value, e.g. the
    shortfall between capacity and demand)."""

    label: str
    values: list[float | None]
    colour: str
    kind: str = "bar"
    unit: str = ""
    width: float = 2.2  # line width; wider lines drawn first show through identical later ones
    base: list[float | None] | None = None  # band only: where each block starts


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high]: 0, 20, 40 ... rather than 0, 17.3, 34.6."""
    if not math.isfinite(low) or not math.isfinite(high):
        low, high = 0.0, 1.0
    if high <= low:
        high = low + 1.0
    raw = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step + 1e-9) * step
    ticks = []
    value = start
    while value < high - 1e-9 * step:
        ticks.append(round(value, 10))
        value += step
    ticks.append(round(value, 10))
    return ticks


def _decimals(ticks: list[float]) -> int:
    if len(ticks) < 2:
        return 0
    step = abs(ticks[1] - ticks[0])
    return 0 if step >= 1 else min(3, int(math.ceil(-math.log10(step))))


def _num(value: float) -> str:
    """A coordinate: short, never scientific notation."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _legend(series: list[Series]) -> str:
    items = []
    for s in series:
        if s.kind in ("bar", "band"):
            opacity = ";opacity:0.55" if s.kind == "band" else ""
            swatch = f'<span class="swatch" style="background:{s.colour}{opacity}"></span>'
        else:
            style = "dashed" if s.kind == "dashed" else "solid"
            swatch = f'<span class="swatch line" style="border-top:3px {style} {s.colour}"></span>'
        items.append(f"<li>{swatch}{escape(s.label)}</li>")
    return f'<ul class="legend">{"".join(items)}</ul>'


def figure(
    title: str, svg: str, legend: str = "", note: str = "", chart_kind: str = "chart"
) -> str:
    caption = f"<figcaption>{escape(title)}</figcaption>"
    note_html = f'<p class="note">{escape(note)}</p>' if note else ""
    return f'<figure class="chart" data-chart="{escape(chart_kind)}">{caption}{legend}{svg}{note_html}</figure>'


@dataclass
class _Frame:
    """Where a category chart draws: the plot area, one band per category and the y scale."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    band: float
    y_min: float
    y_max: float

    @property
    def plot_h(self) -> int:
        return self.height - self.top - self.bottom

    def y(self, value: float) -> float:
        return self.top + self.plot_h * (1 - (value - self.y_min) / (self.y_max - self.y_min))

    @property
    def zero_y(self) -> float:
        return self.y(0.0) if self.y_min <= 0 <= self.y_max else self.y(self.y_min)


def _value_range(
    n_categories: int,
    bars: list[Series],
    bands: list[Series],
    lines: list[Series],
    stacked: bool,
    include_zero: bool,
) -> tuple[float, float]:
    """The values the y axis must show: stacked bars add up, positives and negatives separately."""
    candidates: list[float] = [0.0] if include_zero else []
    for k in range(n_categories):
        if stacked:
            pos = sum(max(v, 0.0) for s in bars if (v := _at(s, k)) is not None)
            neg = sum(min(v, 0.0) for s in bars if (v := _at(s, k)) is not None)
            candidates += [pos, neg]
        else:
            candidates += [v for s in bars if (v := _at(s, k)) is not None]
        candidates += [v for s in lines if (v := _at(s, k)) is not None]
        for s in bands:
            value, base = _at(s, k), _base(s, k)
            if value is not None and base is not None:
                candidates += [base, base + value]
    low, high = (min(candidates), max(candidates)) if candidates else (0.0, 1.0)
    if high == low:
        high = low + (abs(low) or 1.0)
    return low, high


def _tip(s: Series, category: str, value: float, unit: str, lang: str) -> str:
    return f"{s.label}, {category}: {format_number(value, 1, lang)} {s.unit or unit}".strip()


def _axes_and_labels(
    f: _Frame, ticks: list[float], categories: list[str], unit: str, lang: str
) -> list[str]:
    """Grid lines with y tick labels, the unit, and x labels (thinned out when crowded)."""
    parts = []
    decimals = _decimals(ticks)
    for tick in ticks:
        ty = f.y(tick)
        parts.append(
            f'<line x1="{f.left}" x2="{f.width - f.right}" y1="{_num(ty)}" y2="{_num(ty)}" stroke="{GRID_COLOUR}"/>'
        )
        parts.append(
            f'<text x="{f.left - 6}" y="{_num(ty + 4)}" text-anchor="end" fill="{AXIS_COLOUR}">'
            f"{escape(format_number(tick, decimals, lang))}</text>"
        )
    if unit:
        parts.append(f'<text x="4" y="{f.top - 12}" fill="{AXIS_COLOUR}">{escape(unit)}</text>')
    n = max(len(categories), 1)
    plot_w = f.width - f.left - f.right
    every = max(1, math.ceil(n / max(1, plot_w // 48)))
    for k, label in enumerate(categories):
        if k % every and k != n - 1:
            continue
        cx = f.left + f.band * (k + 0.5)
        parts.append(
            f'<text x="{_num(cx)}" y="{f.height - f.bottom + 16}" text-anchor="middle" fill="{AXIS_COLOUR}">{escape(label)}</text>'
        )
    return parts


def _bar_marks(
    f: _Frame, categories: list[str], bars: list[Series], stacked: bool, unit: str, lang: str
) -> list[str]:
    parts: list[str] = []
    if not bars:
        return parts
    inner = f.band * 0.72
    slot = inner if stacked else inner / len(bars)
    for k, category in enumerate(categories):
        x0 = f.left + f.band * k + (f.band - inner) / 2
        pos_base, neg_base = 0.0, 0.0
        for j, s in enumerate(bars):
            value = _at(s, k)
            if value is None or value == 0:
                continue
            if stacked:
                base = pos_base if value > 0 else neg_base
                y_top, y_bottom = f.y(base + value), f.y(base)
                if value > 0:
                    pos_base += value
                else:
                    neg_base += value
                x = x0
            else:
                y_top, y_bottom = f.y(value), f.zero_y
                x = x0 + slot * j
            y1, y2 = sorted((y_top, y_bottom))
            parts.append(
                f'<rect data-mark="bar" x="{_num(x)}" y="{_num(y1)}" width="{_num(max(slot - 1, 1))}" '
                f'height="{_num(max(y2 - y1, 0.8))}" fill="{s.colour}"><title>{escape(_tip(s, category, value, unit, lang))}</title></rect>'
            )
    return parts


def _band_marks(
    f: _Frame, categories: list[str], bands: list[Series], unit: str, lang: str
) -> list[str]:
    """A block over the whole category, from base up by the value."""
    parts = []
    for s in bands:
        for k, category in enumerate(categories):
            value, base = _at(s, k), _base(s, k)
            if value is None or base is None or value == 0:
                continue
            y1, y2 = sorted((f.y(base), f.y(base + value)))
            parts.append(
                f'<rect data-mark="band" x="{_num(f.left + f.band * k)}" y="{_num(y1)}" width="{_num(f.band)}" '
                f'height="{_num(max(y2 - y1, 1.5))}" fill="{s.colour}" fill-opacity="0.45">'
                f"<title>{escape(_tip(s, category, value, unit, lang))}</title></rect>"
            )
    return parts


def _line_marks(f: _Frame, categories: list[str], s: Series, unit: str, lang: str) -> list[str]:
    """One line, step or dashed series: a path per run of values, points on plain lines."""
    segments: list[list[str]] = [[]]
    points = []
    for k, category in enumerate(categories):
        value = _at(s, k)
        if value is None:
            if segments[-1]:
                segments.append([])
            continue
        vy = f.y(value)
        command = "M" if not segments[-1] else "L"
        if s.kind in ("step", "dashed"):
            x_from, x_to = f.left + f.band * k, f.left + f.band * (k + 1)
            segments[-1].append(f"{command}{_num(x_from)},{_num(vy)} L{_num(x_to)},{_num(vy)}")
        else:
            cx = f.left + f.band * (k + 0.5)
            segments[-1].append(f"{command}{_num(cx)},{_num(vy)}")
            points.append((cx, vy, category, value))
    dash = ' stroke-dasharray="6 4"' if s.kind == "dashed" else ""
    parts = [
        f'<path data-mark="line" d="{" ".join(segment)}" fill="none" stroke="{s.colour}" '
        f'stroke-width="{_num(s.width)}"{dash}><title>{escape(s.label)}</title></path>'
        for segment in segments
        if segment
    ]
    if s.kind == "line":
        for cx, vy, category, value in points:
            parts.append(
                f'<circle data-mark="point" cx="{_num(cx)}" cy="{_num(vy)}" r="{_num(max(2.8, s.width))}" '
                f'fill="{s.colour}">'
                f"<title>{escape(_tip(s, category, value, unit, lang))}</title></circle>"
            )
    return parts


def category_chart(
    title: str,
    categories: list[str],
    series: list[Series],
    *,
    stacked: bool = False,
    unit: str = "",
    lang: str = "sv",
    width: int = 720,
    height: int = 250,
    note: str = "",
    chart_kind: str = "chart",
    include_zero: bool = True,
) -> str:
    """Bars (grouped or stacked) and lines over categories; returns a ``<figure>``."""
    left, right, top, bottom = 60, 12, 24, 30
    bars = [s for s in series if s.kind == "bar"]
    bands = [s for s in series if s.kind == "band"]
    lines = [s for s in series if s.kind not in ("bar", "band")]
    low, high = _value_range(len(categories), bars, bands, lines, stacked, include_zero)
    ticks = nice_ticks(low, high)
    band = (width - left - right) / max(len(categories), 1)
    f = _Frame(width, height, left, right, top, bottom, band, ticks[0], ticks[-1])

    chart_id = f"c{next(_ids)}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-t" preserveAspectRatio="xMidYMid meet" style="{FONT}">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
    ]
    parts += _axes_and_labels(f, ticks, categories, unit, lang)
    parts += _bar_marks(f, categories, bars, stacked, unit, lang)
    parts += _band_marks(f, categories, bands, unit, lang)
    for s in lines:
        parts += _line_marks(f, categories, s, unit, lang)
    # axes on top of the bars
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{_num(f.zero_y)}" y2="{_num(f.zero_y)}" stroke="{AXIS_COLOUR}"/>'
    )
    parts.append(
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + f.plot_h}" stroke="{AXIS_COLOUR}"/>'
    )
    parts.append("</svg>")
    return figure(title, "".join(parts), _legend(series), note, chart_kind)


def _base(series: Series, k: int) -> float | None:
    if series.base is None or k >= len(series.base) or series.base[k] is None:
        return None
    value = float(series.base[k])
    return value if math.isfinite(value) else None


def _at(series: Series, k: int) -> float | None:
    if k >= len(series.values):
        return None
    value = series.values[k]
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


@dataclass
class Bar:
    """One Gantt row: construction years and in-service years (calendar years, inclusive)."""

    label: str
    build: tuple[int, int] | None
    service: tuple[int, int] | None
    tooltip: str = ""


def gantt(
    title: str,
    rows: list[Bar],
    years: list[int],
    *,
    build_label: str,
    service_label: str,
    width: int = 720,
    row_height: int = 20,
    note: str = "",
) -> str:
    """A project timeline over the horizon: one row per project, one column per year."""
    left, right, top, bottom = 250, 10, 22, 8
    label_chars = 38  # what fits in the label column at 11 px
    height = top + bottom + row_height * max(len(rows), 1)
    plot_w = width - left - right
    first, last = (years[0], years[-1]) if years else (0, 1)
    span = max(last - first + 1, 1)
    col = plot_w / span
    chart_id = f"c{next(_ids)}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-t" style="{FONT}">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
    ]
    every = max(1, math.ceil(span / max(1, plot_w // 40)))
    for k, year in enumerate(range(first, last + 1)):
        x = left + col * k
        parts.append(
            f'<line x1="{_num(x)}" x2="{_num(x)}" y1="{top - 4}" y2="{height - bottom}" stroke="{GRID_COLOUR}"/>'
        )
        if k % every == 0:
            parts.append(
                f'<text x="{_num(x + col / 2)}" y="{top - 8}" text-anchor="middle" fill="{AXIS_COLOUR}">{year}</text>'
            )
    for r, row in enumerate(rows):
        y = top + row_height * r
        label = row.label if len(row.label) <= label_chars else row.label[: label_chars - 1] + "…"
        parts.append(
            f'<text x="4" y="{_num(y + row_height * 0.68)}" fill="#222">'
            f"<title>{escape(row.label)}</title>{escape(label)}</text>"
        )
        for span_years, colour, what in (
            (row.build, BUILD_COLOUR, build_label),
            (row.service, SERVICE_COLOUR, service_label),
        ):
            if span_years is None:
                continue
            start, end = max(span_years[0], first), min(span_years[1], last)
            if end < start:
                continue
            x = left + col * (start - first)
            w = col * (end - start + 1)
            tip = f"{row.label}: {what} {span_years[0]}–{span_years[1]}"
            parts.append(
                f'<rect data-mark="bar" x="{_num(x + 0.5)}" y="{_num(y + 3)}" width="{_num(max(w - 1, 1))}" '
                f'height="{row_height - 6}" rx="2" fill="{colour}"><title>{escape(tip)}</title></rect>'
            )
    parts.append("</svg>")
    legend = _legend(
        [Series(build_label, [], BUILD_COLOUR), Series(service_label, [], SERVICE_COLOUR)]
    )
    return figure(title, "".join(parts), legend, note, "gantt")
