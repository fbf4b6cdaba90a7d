"""report.html: the plan as one self-contained page a council can read, offline and on paper.

Everything is inline: CSS, SVG charts drawn in Python (``optimizer.report.svg``), no fonts,
scripts or images from anywhere else, so the file can be mailed, archived and opened without a
network. Print CSS gives A4 pages with sections starting on a new page and charts never split.
A few lines of inline script only check the page itself (every chart drew, no errors) and mark
the result on ``<body>`` for the browser tests; the report reads the same with scripts off.

    >>> write_report_html(plan, scenario, Path("report.html"), lang="sv")
"""

from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path

from optimizer.plan import Plan
from optimizer.report import figures
from optimizer.report.closures import closure_sentences
from optimizer.report.html_page import card, page, table_html
from optimizer.report.i18n import (
    DEFAULT_LANGUAGE,
    format_gap,
    format_number,
    format_percent,
    format_quantity,
    format_significant,
    status_sentence,
    term_label,
    translator,
    unit_name,
)
from optimizer.report.projection import projection_section
from optimizer.report.svg import (
    PALETTE,
    SHORTFALL_COLOUR,
    Bar,
    Series,
    category_chart,
    gantt,
    reset_ids,
)


def _status_block(plan: Plan, t, lang: str) -> str:
    lines = [
        f"<strong>{escape(t('status'))}: {escape(status_sentence(plan, lang, short=True))}</strong>"
    ]
    lines.append(f"<p>{escape(status_sentence(plan, lang))}</p>")
    details = []
    if plan.objective is not None:
        label = t("objective_cost") if plan.objective_mode == "cost" else t("objective_value")
        details.append(f"{label}: {format_number(plan.objective, 1, lang)}")
    if plan.bound is not None:
        details.append(f"{t('bound')}: {format_number(plan.bound, 1, lang)}")
    details.append(
        f"{t('gap')}: {format_gap(plan.gap, lang) if plan.gap is not None else t('unknown')}"
    )
    details.append(
        f"{t('build_seconds')}: {format_number(plan.build_seconds, 2, lang)}; "
        f"{t('solve_seconds')}: {format_number(plan.solve_seconds, 2, lang)}"
    )
    lines.append(f'<p class="meta">{escape(" · ".join(details))}</p>')
    return f'<section class="status {escape(plan.status)}" id="status">{"".join(lines)}</section>'


def _headline(plan: Plan, scenario, t, lang: str) -> str:
    head = figures.headline(plan)
    service_names = figures.names(scenario)["service"]
    cards = []
    if plan.objective is not None:
        label = t("objective_cost") if plan.objective_mode == "cost" else t("objective_value")
        cards.append(
            card(label.replace(" (MSEK)", ""), format_number(plan.objective, 1, lang), "MSEK")
        )
    cards.append(
        card(
            t("capex_total").replace(" (MSEK)", ""),
            format_number(head.capex_total, 1, lang),
            "MSEK",
        )
    )
    total_candidates = len(scenario.candidates) if scenario is not None else None
    chosen = f"{head.projects_chosen}" + (f" / {total_candidates}" if total_candidates else "")
    cards.append(card(t("projects_chosen"), chosen))
    for service, shortfall in head.shortfall_by_service.items():
        unit = unit_name(head.units_by_service.get(service, ""), lang)
        cards.append(
            card(
                f"{t('shortfall')}: {service_names.get(service, service)}",
                format_quantity(shortfall, "units", lang),
                t("unit_years", unit=unit),
            )
        )
    if head.co2e_total_t is not None:
        cards.append(
            card(
                t("co2e_total").replace(" (ton)", "").replace(" (tonnes)", ""),
                format_quantity(head.co2e_total_t, "tonnes", lang),
                t("tonnes"),
            )
        )
    if head.peak_debt is not None:
        cards.append(
            card(
                t("peak_debt").replace(" (MSEK)", ""),
                format_number(head.peak_debt, 1, lang),
                "MSEK",
            )
        )
    terms = ""
    if plan.objective_terms:
        rows = [
            [term_label(kind, lang), format_number(value, 1, lang)]
            for kind, value in plan.objective_terms.items()
        ]
        total = [t("total"), format_number(sum(plan.objective_terms.values()), 1, lang)]
        terms = f"<h3>{escape(t('pv_by_kind'))}</h3>" + table_html(
            [t("objective"), "MSEK"], rows, {1}, total=total, nowrap=frozenset()
        )
    return f'<section id="headline"><h2>{escape(t("headline"))}</h2><div class="cards">{"".join(cards)}</div>{terms}</section>'


def _assumptions(plan: Plan, scenario, t, lang: str) -> str:
    items = []
    if scenario is not None:
        info = scenario.settings.scenario
        items.append(
            t(
                "assume_money",
                rate=format_quantity(info.discount_rate, "rate", lang),
                year=info.first_year,
            )
        )
        items.append(t("assume_horizon", first=info.first_year, last=info.last_year))
        items.append(t("assume_capacity"))
        for service in scenario.settings.services:
            items.append(
                t(
                    "assume_shortfall",
                    unit=unit_name(service.unit, lang),
                    service=service.name or service.id,
                    cost=format_significant(service.shortfall_cost, 2, lang),
                )
            )
        items.append(
            t("assume_budget", factor=format_number(figures.budget_factor(scenario), 2, lang))
        )
        if info.objective == "value":
            items.append(t("assume_value_mode"))
    settings = plan.settings
    items.append(
        t(
            "assume_solver",
            solver=plan.solver,
            version=settings.get("solver_version") or "",
            limit=format_number(settings.get("time_limit"), 0, lang),
            gap=format_percent(settings.get("gap"), 2, lang),
        )
    )
    if "shadow_prices" in plan.tables:
        items.append(t("assume_shadow"))
    items.append(t("assume_check"))
    lis = "".join(f"<li>{escape(item)}</li>" for item in items)
    return f'<section id="assumptions"><h2>{escape(t("assumptions"))}</h2><ul class="assumptions">{lis}</ul></section>'


def _coverage_series(by_year, unit: str, t) -> list[Series]:
    """Demand, capacity and the shortfall per year (a frame with those columns and ``year``);
    the shortfall is drawn where it is: from the capacity level up towards demand."""
    shortfall = [float(v) if v > 1e-6 else None for v in by_year["shortfall"]]
    capacity = by_year["capacity"].tolist()
    return [
        Series(t("chart_shortfall"), shortfall, SHORTFALL_COLOUR, "band", unit, base=capacity),
        Series(t("chart_demand"), by_year["demand"].tolist(), PALETTE[0], "line", unit),
        Series(t("chart_capacity"), capacity, PALETTE[2], "step", unit),
    ]


def _capacity_charts(plan: Plan, scenario, t, lang: str) -> str:
    names = figures.names(scenario)
    units = figures.headline(plan).units_by_service
    charts = []
    for service, by_year in figures.coverage_by_service(plan).items():
        unit = unit_name(names["unit"].get(service) or units.get(service, ""), lang)
        title = f"{names['service'].get(service, service)} ({unit})"
        charts.append(
            category_chart(
                title,
                [str(int(y)) for y in by_year["year"]],
                _coverage_series(by_year, unit, t),
                unit=unit,
                lang=lang,
                height=220,
                chart_kind="capacity",
                include_zero=False,  # the gap between demand and capacity is what matters
            )
        )
    body = "".join(charts)
    return f'<section id="capacity" class="page-break"><h2>{escape(t("capacity_vs_demand"))}</h2>{body}</section>'


def _district_charts(plan: Plan, scenario, t, lang: str) -> str:
    """Small multiples: per service planned by district, one chart per district and a sentence
    naming where the shortfall is and where capacity is spare."""
    by_service = figures.district_coverage(plan)
    if not by_service:
        return ""
    names = figures.names(scenario)
    blocks = []
    for service, rows in by_service.items():
        unit = names["unit"].get(service) or str(rows["unit"].iloc[0])
        service_name = names["service"].get(service, service)
        sentence = figures.district_sentence(
            service_name, figures.district_story(rows), names["district"], unit, lang
        )
        shown_unit = unit_name(unit, lang)
        charts = []
        for district, group in rows.groupby("district", sort=False):
            charts.append(
                category_chart(
                    names["district"].get(str(district), str(district)),
                    [str(int(y)) for y in group["year"]],
                    _coverage_series(group, shown_unit, t),
                    unit=shown_unit,
                    lang=lang,
                    width=420,
                    height=190,
                    chart_kind="district",
                    include_zero=False,
                )
            )
        blocks.append(
            f'<div class="district-service" data-service="{escape(service)}">'
            f"<h3>{escape(service_name)} ({escape(shown_unit)})</h3>"
            f'<p class="district-sentence">{escape(sentence)}</p>'
            f'<div class="grid2">{"".join(charts)}</div></div>'
        )
    return (
        f'<section id="districts" class="page-break"><h2>{escape(t("coverage_by_district"))}</h2>'
        f'<p class="note">{escape(t("coverage_by_district_note"))}</p>{"".join(blocks)}</section>'
    )


def _money_charts(plan: Plan, scenario, t, lang: str) -> str:
    names = figures.names(scenario)
    budget = plan.tables["budget"]
    charts = []
    for pool, group in budget.groupby("pool", sort=False):
        categories = [str(int(y)) for y in group["year"]]
        series = [
            Series(t("chart_spend"), group["spend"].tolist(), PALETTE[0], "bar", "MSEK"),
            Series(t("chart_ceiling"), group["ceiling"].tolist(), PALETTE[3], "dashed", "MSEK"),
        ]
        if group["other"].any():  # the ceiling is the whole frame: show what else loads it
            series.insert(
                1, Series(t("chart_other"), group["other"].tolist(), PALETTE[1], "bar", "MSEK")
            )
        charts.append(
            category_chart(
                f"{names['pool'].get(pool, pool)}",
                categories,
                series,
                stacked=True,
                unit="MSEK",
                lang=lang,
                height=200,
                chart_kind="budget",
            )
        )
    debt = plan.tables.get("debt")
    if debt is not None and not debt.empty:
        categories = [str(int(y)) for y in debt["year"]]
        series = [Series(t("chart_debt"), debt["debt"].tolist(), PALETTE[0], "line", "MSEK")]
        if debt["debt_ceiling"].notna().any():
            series.append(
                Series(
                    t("chart_debt_ceiling"),
                    debt["debt_ceiling"].tolist(),
                    PALETTE[3],
                    "dashed",
                    "MSEK",
                )
            )
        charts.append(
            category_chart(
                t("debt"), categories, series, unit="MSEK", lang=lang, height=200, chart_kind="debt"
            )
        )
    return f'<section id="budget" class="page-break"><h2>{escape(t("spend_vs_budget"))}</h2>{"".join(charts)}</section>'


def _co2e_chart(plan: Plan, scenario, t, lang: str) -> str:
    co2e = plan.tables["co2e"]
    categories = [str(int(y)) for y in co2e["year"]]
    unit = t("tonnes")
    series = [
        Series(t("chart_existing"), co2e["existing_t"].tolist(), "#9AA5B1", "bar", unit),
        Series(t("chart_operational"), co2e["operational_t"].tolist(), PALETTE[4], "bar", unit),
        Series(t("chart_embodied"), co2e["embodied_t"].tolist(), PALETTE[1], "bar", unit),
    ]
    if co2e["cap_t"].notna().any():
        series.append(Series(t("chart_cap"), co2e["cap_t"].tolist(), PALETTE[3], "dashed", unit))
    elif not (co2e[["existing_t", "operational_t", "embodied_t"]].abs().to_numpy() > 0).any():
        # nothing to stack: a total line at zero still shows the years (and that it drew)
        series.append(
            Series(
                t("total_t").replace(" (t)", ""), co2e["total_t"].tolist(), "#333333", "line", unit
            )
        )
    note = ""
    if scenario is not None and scenario.settings.climate.cumulative_budget_t is not None:
        note = f"{t('co2e_total')}: {format_number(co2e['total_t'].sum(), 0, lang)} / {format_number(scenario.settings.climate.cumulative_budget_t, 0, lang)}"
    chart = category_chart(
        t("co2e_vs_cap"),
        categories,
        series,
        stacked=True,
        unit=unit,
        lang=lang,
        height=230,
        note=note,
        chart_kind="co2e",
    )
    return f'<section id="co2e"><h2>{escape(t("co2e"))}</h2>{chart}</section>'


def _timeline(plan: Plan, t, lang: str, years: list[int]) -> str:
    schedule = plan.tables["schedule"].sort_values(["start_year", "candidate"], kind="stable")
    if schedule.empty:
        return f'<section id="timeline" class="page-break"><h2>{escape(t("timeline"))}</h2><p>{escape(t("none"))}</p></section>'
    bars = []
    for row in schedule.itertuples(index=False):
        start, opens, ends = (
            int(row.start_year),
            int(row.in_service_year),
            int(row.end_of_life_year),
        )
        label = f"{row.candidate} {row.name}" + (f" ×{row.units}" if row.units > 1 else "")
        bars.append(Bar(label, (start, opens - 1) if opens > start else None, (opens, ends)))
    projects = schedule["candidate"].nunique()
    caption_key = "timeline_caption_one" if projects == 1 else "timeline_caption"
    caption = t(caption_key, n=projects, first=years[0], last=years[-1]) if years else ""
    chart = gantt(
        caption, bars, years, build_label=t("chart_build"), service_label=t("chart_service")
    )
    return f'<section id="timeline" class="page-break"><h2>{escape(t("timeline"))}</h2>{chart}</section>'


def _schedule_table(plan: Plan, scenario, t, lang: str) -> str:
    schedule = plan.tables["schedule"].sort_values(["start_year", "candidate"], kind="stable")
    departments = figures.names(scenario)["department"]
    headers = [
        t(k)
        for k in (
            "candidate",
            "name",
            "department",
            "units",
            "start_year",
            "in_service_year",
            "capex",
            "net_capex",
        )
    ]
    rows = [
        [
            row.candidate,
            row.name,
            str(row.department),
            str(row.units),
            str(row.start_year),
            str(row.in_service_year),
            format_number(row.capex, 1, lang),
            format_number(row.net_capex, 1, lang),
        ]
        for row in schedule.itertuples(index=False)
    ]
    total = [
        "",
        t("total"),
        "",
        "",
        "",
        "",
        format_number(schedule["capex"].sum(), 1, lang),
        format_number(schedule["net_capex"].sum(), 1, lang),
    ]
    legend = ", ".join(f"{k} = {v}" for k, v in departments.items())
    note = f'<p class="note">{escape(legend)}</p>' if legend else ""
    table = table_html(headers, rows, {3, 4, 5, 6, 7}, total=total)
    coverage = plan.tables.get("coverage")
    units = (
        dict(zip(coverage["service"], coverage["unit"], strict=True))
        if coverage is not None
        else {}
    )
    sentences = closure_sentences(plan.tables.get("closures"), units, lang)
    if sentences:
        items = "".join(f"<li>{escape(s)}</li>" for s in sentences)
        note += f'<h3>{escape(t("closures"))}</h3><ul class="closures">{items}</ul>'
    return f'<section id="schedule"><h2>{escape(t("schedule"))}</h2>{table}{note}</section>'


def _opex_table(plan: Plan, scenario, t, lang: str, years: list[int]) -> str:
    opex = plan.tables["opex"]
    departments = figures.names(scenario)["department"]
    wide = opex.pivot_table(
        index="department", columns="year", values="opex", aggfunc="sum", sort=False
    )
    wide = wide.reindex(columns=years, fill_value=0.0)
    headers = [t("department"), *[str(y) for y in years]]
    rows = [
        [departments.get(d, d), *[format_number(wide.loc[d, y], 1, lang) for y in years]]
        for d in wide.index
    ]
    total = [t("total"), *[format_number(wide[y].sum(), 1, lang) for y in years]]
    numeric = set(range(1, len(years) + 1))
    table = table_html(headers, rows, numeric, css_class="wide", total=total)
    return f'<section id="opex"><h2>{escape(t("opex_long"))}</h2>{table}</section>'


def _key_figures_table(plan: Plan, t, lang: str) -> str:
    """Figures down, years across, as a finance office reads a multi-year plan."""
    from optimizer.report import key_figures as kf

    table = kf.key_figures(plan)
    if table is None:
        return ""
    years = [int(y) for y in table["year"]]
    rows = [
        [t(f.label), *[kf.formatted(v, f.kind, lang) for v in table[f.column]]]
        for f in kf.shown(table)
    ]
    headers = [t("metric"), *[str(y) for y in years]]
    body = table_html(headers, rows, set(range(1, len(years) + 1)), css_class="wide")
    sentence = kf.period_sentence(table, lang)
    period = f"<p>{escape(sentence)}</p>" if sentence else ""
    return (
        f'<section id="key-figures"><h2>{escape(t("key_figures"))}</h2>'
        f'<p class="note">{escape(t("key_figures_note"))}</p>{body}{period}</section>'
    )


def _shadow_table(plan: Plan, scenario, t, lang: str, limit: int = 12) -> str:
    prices = plan.tables.get("shadow_prices")
    if prices is None or prices.empty:
        return ""
    names = figures.names(scenario)
    rows = []
    for row in prices.head(limit).itertuples(index=False):
        meaning = figures.shadow_meaning(row, lang, names["unit"], names)
        rows.append([meaning, format_number(row.value_of_one_more_unit, 3, lang)])
    table = table_html([t("meaning"), t("value_of_one_more_unit")], rows, {1}, nowrap=frozenset())
    more_key = "shadow_prices_more_one" if len(prices) - limit == 1 else "shadow_prices_more"
    more = (
        f'<p class="note">{escape(t(more_key, count=len(prices) - limit))}</p>'
        if len(prices) > limit
        else ""
    )
    return (
        f'<section id="shadow-prices"><h2>{escape(t("shadow_prices"))}</h2>'
        f'<p class="note">{escape(t("shadow_prices_note"))}</p>{table}{more}</section>'
    )


def _footer(plan: Plan, scenario, t) -> str:
    from optimizer import __version__
    from optimizer.io.results import input_hash

    parts = [
        f"capplan {__version__}",
        f"{t('solver')}: {plan.solver} {plan.settings.get('solver_version') or ''}".strip(),
    ]
    if scenario is not None:
        parts.append(f"{t('input_hash')}: {input_hash(list(scenario.source_files))}")
    parts.append(f"{t('generated')}: {date.today().isoformat()}")
    return f"<footer>{escape(' · '.join(parts))}</footer>"


def render_plan_html(plan: Plan, scenario=None, lang: str = DEFAULT_LANGUAGE) -> str:
    """The whole report as one HTML string."""
    reset_ids()
    t = translator(lang)
    years = figures.plan_years(plan)
    title = f"{t('plan_report')}: {plan.scenario} ({plan.variant})"
    description = scenario.settings.scenario.description if scenario is not None else ""
    variant_text = figures.variant_description(scenario)
    intro = [f"<h1>{escape(title)}</h1>"]
    if description:
        intro.append(f'<p class="lead">{escape(description)}</p>')
    if variant_text:
        intro.append(
            f'<p class="lead">{escape(t("variant"))} {escape(plan.variant)}: {escape(variant_text)}</p>'
        )
    if years:
        intro.append(f'<p class="meta">{escape(t("horizon"))}: {years[0]}–{years[-1]}</p>')
    sections = ["<header>" + "".join(intro) + "</header>", _status_block(plan, t, lang)]
    if plan.has_solution and plan.tables:
        sections += [
            _headline(plan, scenario, t, lang),
            _key_figures_table(plan, t, lang),
            _assumptions(plan, scenario, t, lang),
            projection_section(scenario, lang),
            _capacity_charts(plan, scenario, t, lang),
            _district_charts(plan, scenario, t, lang),
            _money_charts(plan, scenario, t, lang),
            _co2e_chart(plan, scenario, t, lang),
            _timeline(plan, t, lang, years),
            _schedule_table(plan, scenario, t, lang),
            _opex_table(plan, scenario, t, lang, years),
            _shadow_table(plan, scenario, t, lang),
        ]
    else:
        sections.append(f"<p>{escape(plan.message)}</p>")
    sections.append(_footer(plan, scenario, t))
    return page(title, "\n".join(sections), lang)


def write_report_html(plan: Plan, scenario, path: Path, lang: str = DEFAULT_LANGUAGE) -> Path:
    Path(path).write_text(render_plan_html(plan, scenario, lang), encoding="utf-8")
    return path


def report_html_writer(lang: str = DEFAULT_LANGUAGE):
    """A results-folder writer (``write_results(..., writers=[...])``) for report.html."""

    def writer(plan: Plan, scenario, folder: Path) -> None:
        write_report_html(plan, scenario, Path(folder) / "report.html", lang)

    return writer


__all__ = ["render_plan_html", "write_report_html", "report_html_writer"]
