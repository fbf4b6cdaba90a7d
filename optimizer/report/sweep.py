"""sweep.html and sweep.xlsx: how often each candidate is chosen and when, and the distribution
of cost, debt and shortfall over the samples (docs/sweep.md), in the house style of report.html."""

from __future__ import annotations

import math
from html import escape
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from optimizer.report import figures
from optimizer.report.excel_sheet import MSEK, autosize, set_cell, write_header
from optimizer.report.html_page import card, page, table_html
from optimizer.report.i18n import (
    DEFAULT_LANGUAGE,
    format_number,
    format_percent,
    translator,
    unit_name,
)
from optimizer.report.svg import PALETTE, Series, category_chart, reset_ids
from optimizer.sweep import SAMPLE_COLUMNS, infeasible_causes
from optimizer.sweep_summary import (
    candidate_frequency,
    distribution,
    fan,
    histogram,
    shortfall_risk,
    start_years,
)

HISTOGRAM_MEASURES = ("objective", "max_debt", "shortfall_units")


def _n(value, lang: str, decimals: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return format_number(value, decimals, lang)


def _year(value, lang: str) -> str:
    """A mean year with one decimal and no thousands separator: 2029,4 (sv), 2029.4 (en)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{float(value):.1f}"
    return text.replace(".", ",") if lang == "sv" else text


def render_sweep_html(
    results: pd.DataFrame, candidates, scenario, parameters, lang=DEFAULT_LANGUAGE
) -> str:
    t = translator(lang)
    solved = int(results["status"].isin(["optimal", "feasible"]).sum())
    dist = distribution(results).set_index("measure")
    unit = "MSEK"
    cards = [
        card(t("cost_p50"), _n(dist.loc["objective", "p50"], lang), unit),
        card(t("cost_p90"), _n(dist.loc["objective", "p90"], lang), unit),
        card(t("shortfall_risk"), format_percent(shortfall_risk(results), 0, lang) or "–"),
    ]
    names = scenario.candidate_by_id
    freq = candidate_frequency(results, candidates)
    freq_rows = [
        [
            r.candidate,
            names[r.candidate].name if r.candidate in names else "",
            format_percent(r.share_chosen, 0, lang),
            _year(r.mean_start, lang),
            "" if pd.isna(r.earliest) else str(int(r.earliest)),
            "" if pd.isna(r.latest) else str(int(r.latest)),
        ]  # fmt: skip
        for r in freq.itertuples(index=False)
    ]
    frequency = table_html(
        [t("candidate"), t("name"), t("share_chosen"), t("mean_start"), t("earliest"), t("latest")],
        freq_rows, {2, 3, 4, 5},
    )  # fmt: skip
    dist_rows = [
        [t(f"m_{m}"), *(_n(dist.loc[m, c], lang) for c in ("mean", "p10", "p50", "p90", "max"))]
        for m in dist.index
    ]
    dist_html = table_html(
        [t("measure"), t("mean"), "P10", "P50", "P90", "max"], dist_rows, {1, 2, 3, 4, 5}
    )
    by_variant = results.groupby(["variant", "status"], sort=True).size()
    variant_html = table_html(
        [t("variant"), t("status"), t("samples")],
        [[v, status, str(n)] for (v, status), n in by_variant.items()],
        {2},
    )
    causes = infeasible_causes(results, lang)
    causes_html = (
        f"<h3>{escape(t('sweep_causes'))}</h3>"
        + table_html(
            [t("limit"), t("samples")],
            [[r.limit, str(r.samples)] for r in causes.itertuples()],
            {1},
        )
        if len(causes)
        else ""
    )
    reset_ids()
    lead = t("sweep_lead", solved=solved, samples=len(results), seed=parameters["seed"])
    adopted = (
        f'<p class="note">{escape(t("sweep_adopted"))}</p>' if parameters.get("adopted") else ""
    )
    body = [
        f'<header><h1>{escape(t("sweep_report"))}</h1><p class="lead">{escape(scenario.settings.scenario.name)}. {escape(lead)}</p>{adopted}</header>',
        f'<section id="headline"><div class="cards">{"".join(cards)}</div></section>',
        _fan_section(results, scenario, t, lang),
        f'<section id="frequency" class="page-break"><h2>{escape(t("frequency"))}</h2>{frequency}'
        f"{_start_year_table(results, candidates, t, lang)}</section>",
        f'<section id="distribution" class="page-break"><h2>{escape(t("distribution"))}</h2>'
        f"{dist_html}{_histograms(results, t, lang)}</section>",
        f'<section id="variants"><h2>{escape(t("by_variant"))}</h2>{variant_html}{causes_html}</section>',
    ]
    return page(t("sweep_report"), "\n".join(body), lang)


def fan_charts(rows: pd.DataFrame, scenario, t, lang: str, note: str = "") -> str:
    """One fan chart per service: the P10-P90 band and the median of demand and of capacity
    per year (rows as ``optimizer.sweep_summary.fan`` gives them)."""
    names = figures.names(scenario)
    charts = []
    for service, group in rows.groupby("service", sort=False):
        unit = unit_name(names["unit"].get(service, ""), lang)
        years = sorted(group["year"].unique())
        series = []
        for measure, colour, kind in (("demand", PALETTE[0], "line"),
                                      ("capacity", PALETTE[2], "step")):  # fmt: skip
            by_year = group[group["measure"] == measure].set_index("year").reindex(years)
            series.append(
                Series(
                    t(f"fan_{measure}_band"),
                    (by_year["p90"] - by_year["p10"]).tolist(),
                    colour,
                    "band",
                    unit,
                    base=by_year["p10"].tolist(),
                )
            )
            series.append(Series(t(f"fan_{measure}_median"), by_year["p50"].tolist(), colour,
                                 kind, unit))  # fmt: skip
        charts.append(
            category_chart(
                f"{names['service'].get(service, service)} ({unit})",
                [str(int(y)) for y in years],
                series,
                unit=unit,
                lang=lang,
                height=220,
                note=note,
                chart_kind="fan",
                include_zero=False,
            )
        )
    return "".join(charts)


def _fan_section(results: pd.DataFrame, scenario, t, lang: str) -> str:
    rows = fan(results)
    if rows.empty:
        return ""
    body = fan_charts(rows, scenario, t, lang)
    return (
        f'<section id="fan" class="page-break"><h2>{escape(t("fan_title"))}</h2>'
        f'<p class="note">{escape(t("fan_note"))}</p>{body}</section>'
    )


def _start_year_table(results: pd.DataFrame, candidates, t, lang: str) -> str:
    """Candidates down, first start years across: the share of samples, shaded by size."""
    shares = start_years(results, candidates)
    if shares.empty:
        return ""
    head = "".join(f'<th class="num">{int(y)}</th>' for y in shares.columns)
    body = []
    for candidate, row in shares.iterrows():
        cells = []
        for year, share in row.items():
            tip = escape(t("start_year_tip", candidate=candidate, year=int(year),
                           share=format_percent(share, 0, lang)))  # fmt: skip
            text = format_percent(share, 0, lang) if share > 0 else ""
            shade = f"background:rgba(0,114,178,{0.08 + 0.62 * share:.2f})" if share > 0 else ""
            cells.append(f'<td class="num" style="{shade}" title="{tip}">{escape(text)}</td>')
        body.append(f'<tr><td class="id">{escape(str(candidate))}</td>{"".join(cells)}</tr>')
    return (
        f"<h3>{escape(t('start_year_distribution'))}</h3>"
        f'<p class="note">{escape(t("start_year_note"))}</p>'
        f'<table class="wide" id="start-years"><thead><tr><th>{escape(t("candidate"))}</th>{head}'
        f"</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def _histograms(results: pd.DataFrame, t, lang: str) -> str:
    """How the samples spread: one bar per bin of equal width, the number of samples in it."""
    solved = results[results["status"].isin(["optimal", "feasible"])]
    charts = []
    for measure in HISTOGRAM_MEASURES:
        bins = histogram(solved[measure].astype(float).tolist())
        if not bins:
            continue
        width = bins[0][1] - bins[0][0]
        decimals = 0 if width >= 5 or width == 0 else (1 if width >= 0.5 else 2)
        categories = [format_number((a + b) / 2, decimals, lang) for a, b, _ in bins]
        series = [Series(t("samples"), [float(n) for _, _, n in bins], PALETTE[0], "bar")]
        note = t("histogram_note", width=format_number(width, decimals, lang))
        charts.append(
            category_chart(
                t(f"m_{measure}"),
                categories,
                series,
                unit=t("samples"),
                lang=lang,
                width=360,
                height=200,
                note=note if len(bins) > 1 else "",
                chart_kind="histogram",
            )  # fmt: skip
        )
    return f'<div class="grid2">{"".join(charts)}</div>' if charts else ""


def build_sweep_workbook(results: pd.DataFrame, candidates, lang=DEFAULT_LANGUAGE) -> Workbook:
    t = translator(lang)
    workbook = Workbook()
    ws = workbook.active
    ws.title = t("sheet_samples")
    write_header(ws, 1, SAMPLE_COLUMNS)
    for r, record in enumerate(results[SAMPLE_COLUMNS].itertuples(index=False), 2):
        for k, value in enumerate(record, 1):
            set_cell(ws, r, k, None if isinstance(value, float) and math.isnan(value) else value)
    autosize(ws, maximum=40)
    ws = workbook.create_sheet(t("sheet_frequency"))
    write_header(
        ws, 1, [t("candidate"), t("share_chosen"), t("mean_start"), t("earliest"), t("latest")]
    )
    for r, row in enumerate(candidate_frequency(results, candidates).itertuples(index=False), 2):
        for k, value in enumerate(row, 1):
            plain = (
                None if value is None or (isinstance(value, float) and math.isnan(value)) else value
            )
            set_cell(ws, r, k, plain, "0%" if k == 2 else ("0.0" if k == 3 else None))
    autosize(ws, maximum=40)
    ws = workbook.create_sheet(t("sheet_distribution"))
    write_header(ws, 1, [t("measure"), t("mean"), "P10", "P50", "P90", "max"])
    for r, row in enumerate(distribution(results).itertuples(index=False), 2):
        set_cell(ws, r, 1, t(f"m_{row.measure}"))
        for k, value in enumerate(row[1:], 2):
            set_cell(ws, r, k, None if math.isnan(value) else value, MSEK)
    autosize(ws, maximum=40)
    ws = workbook.create_sheet(t("sheet_fan"))
    write_header(ws, 1, [t("service"), t("year"), t("measure"), "P10", "P50", "P90", t("samples")])
    for r, row in enumerate(fan(results).itertuples(index=False), 2):
        values = [row.service, row.year, t(f"chart_{row.measure}"), row.p10, row.p50, row.p90,
                  row.samples]  # fmt: skip
        for k, value in enumerate(values, 1):
            set_cell(ws, r, k, value, "0.0" if 4 <= k <= 6 else None)
    autosize(ws, maximum=40)
    causes = infeasible_causes(results, lang)
    if len(causes):
        ws = workbook.create_sheet(t("sheet_causes"))
        write_header(ws, 1, [t("limit"), t("samples")])
        for r, row in enumerate(causes.itertuples(index=False), 2):
            set_cell(ws, r, 1, row.limit)
            set_cell(ws, r, 2, int(row.samples))
        autosize(ws, maximum=80)
    shares = start_years(results, candidates)
    ws = workbook.create_sheet(t("sheet_start_years"))
    write_header(ws, 1, [t("candidate"), *(int(y) for y in shares.columns)])
    for r, (candidate, row) in enumerate(shares.iterrows(), 2):
        set_cell(ws, r, 1, candidate)
        for k, share in enumerate(row, 2):
            set_cell(ws, r, k, float(share), "0%")
    autosize(ws, maximum=40)
    return workbook


def write_sweep_reports(results, candidates, scenario, parameters, folder: Path, lang: str) -> None:
    """sweep.html, sweep.xlsx and samples.csv in the sweep folder (each written aside, then renamed)."""
    folder = Path(folder)
    html = render_sweep_html(results, candidates, scenario, parameters, lang)
    for name, write in (
        ("sweep.html", lambda p: p.write_text(html, encoding="utf-8")),
        ("sweep.xlsx", lambda p: build_sweep_workbook(results, candidates, lang).save(p)),
        ("samples.csv", lambda p: results.to_csv(p, index=False)),
    ):
        tmp = folder / f".{name}.partial{Path(name).suffix}"
        write(tmp)
        tmp.replace(folder / name)


def print_sweep(
    results: pd.DataFrame, candidates, console, folder: Path, lang: str = DEFAULT_LANGUAGE
) -> None:
    """The sweep on the terminal, in the report language (``--lang``): what sweep.html leads
    with (solved samples, shortfall risk, the distribution, the most chosen candidates, why
    samples are infeasible) and where the reports are."""
    from rich.table import Table

    from optimizer.text import shown

    t = translator(lang)
    solved = int(results["status"].isin(["optimal", "feasible"]).sum())
    share = format_percent(shortfall_risk(results), 0, lang) or "–"
    console.print(t("sweep_terminal_solved", solved=solved, samples=len(results), share=share))
    table = Table(title=t("distribution"))
    for column in ("measure", "mean", "P10", "P50", "P90", "max"):
        table.add_column(t(column), justify="left" if column == "measure" else "right")
    for row in distribution(results).itertuples(index=False):
        table.add_row(t(f"m_{row.measure}"), *(_n(v, lang) for v in row[1:]))
    console.print(table)
    freq = Table(title=t("sweep_terminal_most_chosen"))
    for column in ("candidate", "share_chosen", "mean_start"):
        freq.add_column(t(column), justify="left" if column == "candidate" else "right")
    for row in candidate_frequency(results, candidates).head(15).itertuples(index=False):
        freq.add_row(
            shown(row.candidate),
            format_percent(row.share_chosen, 0, lang),
            "–" if math.isnan(row.mean_start) else format_number(row.mean_start, 1, lang),
        )
    console.print(freq)
    causes = infeasible_causes(results, lang)
    if not causes.empty:
        why = Table(title=t("sweep_causes"))
        why.add_column(t("limit"))
        why.add_column(t("samples"), justify="right")
        for row in causes.itertuples(index=False):
            why.add_row(shown(row.limit), str(row.samples))
        console.print(why)
    console.print(
        t(
            "sweep_terminal_reports",
            html=shown(folder / "sweep.html"),
            xlsx=shown(folder / "sweep.xlsx"),
            samples=shown(folder / "samples"),
        )
    )
