"""The population projection's assumptions in report.html (docs/projection.md): when the scenario
folder has ``projection.toml``, the report says what the population table rests on (base
population, fertility, mortality, net migration, each variant's calibration target) and whether
population.csv is still what ``capplan project`` gives. A projection that cannot be read is
named in the section; it never stops the report."""

from __future__ import annotations

from html import escape
from pathlib import Path

from optimizer.report.html_page import table_html
from optimizer.report.i18n import DEFAULT_LANGUAGE, format_number, format_percent, translator


def projection_section(scenario, lang: str = DEFAULT_LANGUAGE) -> str:
    """The "Population projection" section of report.html, or "" without projection.toml."""
    from optimizer import projection as cohort
    from optimizer.errors import CapplanError

    if scenario is None or not (Path(scenario.root) / cohort.PROJECTION_FILE).is_file():
        return ""
    t = translator(lang)
    root = Path(scenario.root)
    try:
        given = cohort.read_projection(root)
        result = cohort.project(given.settings, given.first_year, given.last_year, given.districts)
        projected_text = cohort.table_text(cohort.table_rows(result))
    except (CapplanError, cohort.ProjectionError, ValueError) as exc:
        return _section(
            t, f'<p class="note">{escape(t("projection_unreadable", error=str(exc)))}</p>'
        )
    items = [escape(item) for item in _assumption_items(result, t, lang)]
    population_file = root / cohort.POPULATION_FILE
    if population_file.is_file():
        current = population_file.read_bytes() == projected_text.encode("utf-8")
        items.append(escape(t("projection_current" if current else "projection_stale")))
    body = f'<ul class="assumptions">{"".join(f"<li>{i}</li>" for i in items)}</ul>'
    return _section(t, body + _variant_table(result, _population_variant(scenario), t, lang))


def _section(t, body: str) -> str:
    return (
        f'<section id="projection"><h2>{escape(t("projection_title"))}</h2>'
        f'<p class="note">{escape(t("projection_lead"))}</p>{body}</section>'
    )


def _population_variant(scenario) -> str:
    """The population variant this report's plan reads (docs/scenario-format.md, variants)."""
    variant = scenario.settings.variants.get(scenario.variant)
    return (variant.population if variant is not None else None) or scenario.variant


def _assumption_items(result, t, lang: str) -> list[str]:
    s = result.settings
    base = s.base
    items = [
        t(
            "projection_base",
            year=s.base_year,
            persons=format_number(sum(g.persons for g in base.groups), 0, lang),
            max_age=s.max_age,
        )
    ]
    change = format_percent(s.fertility.yearly_change, 1, lang)
    if s.fertility.rates is None:
        items.append(
            t(
                "projection_fertility_fitted",
                rate=format_number(1000 * result.fertility_rate, 1, lang),
                first=s.fertility.first,
                last=s.fertility.last,
                births=format_number(base.births, 0, lang),
                year=s.base_year,
                change=change,
            )
        )
    else:
        items.append(t("projection_fertility_table", change=change))
    m = s.mortality
    improvement = format_percent(m.improvement, 1, lang)
    if m.risks is None:
        items.append(
            t(
                "projection_mortality_gompertz",
                slope=format_number(m.gompertz_slope, 3, lang),
                deaths=format_number(base.deaths, 0, lang),
                year=s.base_year,
                infant=format_number(1000 * m.infant_death_risk, 1, lang),
                improvement=improvement,
            )
        )
    else:
        items.append(t("projection_mortality_table", improvement=improvement))
    profile = ", ".join(
        f"{g.first}–{g.last}: {format_percent(g.share, _decimals(100 * g.share), lang)}"
        for g in s.migration.profile
    )
    items.append(t("projection_migration", profile=profile))
    if result.known_migration:
        known = ", ".join(
            f"{year}: {_signed(net, lang)}" for year, net in sorted(result.known_migration.items())
        )
        items.append(t("projection_known", known=known))
    if result.districts != [""]:
        items.append(t("projection_districts", districts=", ".join(result.districts)))
    return items


def _decimals(value: float) -> int:
    """0 for whole numbers, else 1 (or 2 where 1 would round to a different share)."""
    if abs(value - round(value)) < 1e-9:
        return 0
    return 1 if abs(value * 10 - round(value * 10)) < 1e-9 else 2


def _signed(value: float, lang: str) -> str:
    text = format_number(value, 0, lang)
    return text if text.startswith("\u2212") or value <= 0 else f"+{text}"


def _variant_table(result, reported: str, t, lang: str) -> str:
    years = result.years
    shown = sorted({years[0], years[len(years) // 2], years[-1]})
    headers = [t("variant"), t("projection_assumption"), t("projection_net_migration")]
    headers += [t("projection_total_in", year=y) for y in shown]
    rows, classes = [], []
    for name, variant in result.settings.variants.items():
        if variant.total is not None:
            assumption = t(
                "projection_calibrated",
                total=format_number(variant.total, 0, lang),
                year=variant.year,
            )
        else:
            assumption = t("projection_stated")
        if variant.growth_above is not None:
            assumption += " " + t("projection_growth_split", above=variant.growth_above)
        rows.append(
            [
                name,
                assumption,
                _signed(result.net_migration[name], lang),
                *(format_number(result.total(name, y), 0, lang) for y in shown),
            ]
        )
        classes.append("diff" if name == reported else "")
    note = (
        f'<p class="note">{escape(t("projection_reported", variant=reported))}</p>'
        if reported in result.settings.variants
        else ""
    )
    numeric = set(range(2, len(headers)))
    return table_html(headers, rows, numeric, row_classes=classes) + note
