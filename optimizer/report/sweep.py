"""sweep.html and sweep.xlsx: how often each candidate is chosen and when, and the distribution
of cost, debt and shortfall over the samples (docs/sweep.md), in the house style of report.html."""

from __future__ import annotations

import math
from html import escape
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from optimizer.report.excel_sheet import MSEK, autosize, set_cell, write_header
from optimizer.report.html_page import card, page, table_html
from optimizer.report.i18n import DEFAULT_LANGUAGE, format_number, format_percent, translator
from optimizer.sweep import SAMPLE_COLUMNS, candidate_frequency, distribution, shortfall_risk


def _n(value, lang: str, decimals: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return format_number(value, decimals, lang)


def render_sweep_html(
    results: pd.DataFrame, candidates, scenario, parameters, lang=DEFAULT_LANGUAGE
) -> str:
    t = translator(lang)
    solved = int(results["status"].isin(["optimal", "feasible"]).sum())
    dist = distribution(results).set_index("measure")
    unit = "mnkr" if lang == "sv" else "MSEK"
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
            _n(r.mean_start, lang),
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
    lead = t("sweep_lead", solved=solved, samples=len(results), seed=parameters["seed"])
    adopted = (
        f'<p class="note">{escape(t("sweep_adopted"))}</p>' if parameters.get("adopted") else ""
    )
    body = [
        f'<header><h1>{escape(t("sweep_report"))}</h1><p class="lead">{escape(scenario.settings.scenario.name)}. {escape(lead)}</p>{adopted}</header>',
        f'<section id="headline"><div class="cards">{"".join(cards)}</div></section>',
        f'<section id="frequency"><h2>{escape(t("frequency"))}</h2>{frequency}</section>',
        f'<section id="distribution"><h2>{escape(t("distribution"))}</h2>{dist_html}</section>',
        f'<section id="variants"><h2>{escape(t("by_variant"))}</h2>{variant_html}</section>',
    ]
    return page(t("sweep_report"), "\n".join(body), lang)


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


def print_sweep(results: pd.DataFrame, candidates, console, folder: Path) -> None:
    from rich.table import Table

    from optimizer.text import shown

    solved = int(results["status"].isin(["optimal", "feasible"]).sum())
    console.print(
        f"{solved} of {len(results)} samples solved; shortfall in {shortfall_risk(results):.0%} of them."
    )
    table = Table(title="Distribution over the samples")
    for column in ("measure", "mean", "P10", "P50", "P90", "max"):
        table.add_column(column, justify="left" if column == "measure" else "right")
    for row in distribution(results).itertuples(index=False):
        table.add_row(row.measure, *(f"{v:,.1f}" for v in row[1:]))
    console.print(table)
    freq = Table(title="Candidates chosen most often")
    for column in ("candidate", "chosen", "mean first start"):
        freq.add_column(column, justify="left" if column == "candidate" else "right")
    for row in candidate_frequency(results, candidates).head(15).itertuples(index=False):
        freq.add_row(
            shown(row.candidate),
            f"{row.share_chosen:.0%}",
            "–" if math.isnan(row.mean_start) else f"{row.mean_start:.1f}",
        )
    console.print(freq)
    console.print(
        f"Report: {folder / 'sweep.html'}, {folder / 'sweep.xlsx'}; samples in {folder / 'samples'}"
    )
