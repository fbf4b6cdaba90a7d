"""Report labels in Swedish (the default) and English, and numbers written the local way.

Reports are read by a finance office and a council, so every word they see comes from here;
code, logs and the command line stay in English. A missing key falls back to English and then
to the key itself, so a forgotten translation shows up as a readable word, never a crash.

    >>> t = translator("sv")
    >>> t("shortfall")
    'Brist'
    >>> format_number(12345.67, 1, "sv")
    '12\u00a0345,7'
"""

from __future__ import annotations

import math
from collections.abc import Callable

from optimizer.status import Status

LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"

TEXT: dict[str, dict[str, str]] = {
    "en": {
        # report titles and sections
        "plan_report": "Investment plan",
        "compare_report": "Scenario comparison",
        "summary": "Summary",
        "headline": "Key figures",
        "status": "Status",
        "assumptions": "Assumptions",
        "schedule": "Schedule",
        "timeline": "Project timeline",
        "capacity": "Capacity",
        "capacity_vs_demand": "Capacity and demand per service",
        "budget": "Budget",
        "spend_vs_budget": "Spend and budget per funding pool",
        "debt": "Debt",
        "co2e": "CO2e",
        "co2e_vs_cap": "CO2e per year and the cap",
        "staff": "Staff",
        "opex": "Operating costs",
        "opex_long": "Operating-cost consequences per department (MSEK per year)",
        "shadow_prices": "Shadow prices",
        "shadow_prices_note": "What one more unit of a binding limit is worth, with the chosen projects fixed.",
        "inputs": "Inputs",
        "capex_by_year": "Investment per year",
        "candidates": "Candidates",
        "budgets": "Budget ceilings",
        "input_files": "Input files",
        "legend": "Legend",
        "total": "Total",
        "none": "none",
        "yes": "yes",
        "no": "no",
        "metric": "Measure",
        "value": "Value",
        "generated": "Generated",
        "page_of": "page",
        # status in words
        "status_optimal": "Optimal: the plan is proven to be the best possible, within a relative gap of {gap}.",
        "status_optimal_short": "optimal (proven)",
        "status_feasible": (
            "A valid plan, but NOT proven to be the best: the solver stopped with a gap of {gap}; "
            "no plan can cost less than {bound} MSEK (the best bound)."
        ),
        "status_feasible_value": (
            "A valid plan, but NOT proven to be the best: the solver stopped with a gap of {gap}; "
            "the best bound on the objective is {bound} MSEK."
        ),
        "status_feasible_short": "valid, NOT proven best (gap {gap}, bound {bound})",
        "status_infeasible": "Infeasible: the hard limits cannot all be met at once.",
        "status_infeasible_short": "infeasible",
        "status_unbounded": "Unbounded: the cost can fall without limit (an input error).",
        "status_unbounded_short": "unbounded",
        "status_no_solution": "No plan was found within the time limit.",
        "status_no_solution_short": "no plan found in time",
        "unknown": "unknown",
        # summary sheet
        "scenario": "Scenario",
        "variant": "Variant",
        "description": "Description",
        "objective": "Objective",
        "objective_cost": "Present value of cost (MSEK)",
        "objective_value": "Objective, minus value (MSEK)",
        "bound": "Best bound (MSEK)",
        "gap": "Gap",
        "pv_by_kind": "Present value by kind (MSEK)",
        "build_seconds": "Model build (s)",
        "solve_seconds": "Solve (s)",
        "solver": "Solver",
        "solver_version": "Solver version",
        "time_limit": "Time limit (s)",
        "gap_target": "Gap at which the solver may stop",
        "threads": "Threads",
        "seed": "Random seed",
        "solver_message": "Solver message",
        "projects_chosen": "Projects chosen",
        "capex_total": "Investment in the plan (MSEK)",
        "shortfall_total": "Shortfall, {unit}-years",
        "co2e_total": "CO2e over the horizon (tonnes)",
        "peak_debt": "Peak debt (MSEK)",
        "horizon": "Planning horizon",
        "discount_rate": "Real discount rate",
        "input_hash": "Input hash",
        "scenario_path": "Scenario path",
        "capplan_version": "capplan version",
        # objective terms
        "term_capex": "Investment",
        "term_opex": "Operating costs",
        "term_carbon": "Carbon price",
        "term_salvage": "Residual value (deducted)",
        "term_closure": "Closures of existing buildings",
        "term_asset_opex": "Running cost saved by early closures",
        "term_emergency": "Emergency options (pavilions, bought places, transport)",
        "closures": "Closures of existing buildings",
        "closure_of": "{name} ({size}) closes, year",
        "term_shortfall": "Shortfall (bought places, temporary premises)",
        "term_value": "Value (deducted)",
        "term_stability": "Changes to the adopted plan",
        "term_interest": "Interest",
        # columns
        "candidate": "Project id",
        "name": "Name",
        "department": "Department",
        "district": "District",
        "pool": "Funding",
        "units": "Units",
        "start_year": "Start",
        "in_service_year": "In service",
        "end_of_life_year": "End of life",
        "capex": "Investment (MSEK)",
        "net_capex": "Net of grants (MSEK)",
        "committed": "Committed",
        "must_do": "Must do",
        "service": "Service",
        "unit": "Unit",
        "year": "Year",
        "demand": "Demand",
        "existing": "Existing capacity",
        "new_capacity": "New capacity",
        "shortfall": "Shortfall",
        "served_from_neighbours": "Served by neighbours",
        "serving_neighbours": "Serving neighbours",
        "utilisation": "Utilisation",
        "spend": "Spend, net (MSEK)",
        "gross_spend": "Spend, gross (MSEK)",
        "ceiling": "Ceiling (MSEK)",
        "carry_in": "Carried in (MSEK)",
        "carry_over": "Carried over (MSEK)",
        "headroom": "Headroom (MSEK)",
        "debt_financed_spend": "Debt-financed spend (MSEK)",
        "self_financing": "Self-financing (MSEK)",
        "debt_msek": "Debt at year end (MSEK)",
        "debt_ceiling": "Debt ceiling (MSEK)",
        "interest": "Interest (MSEK)",
        "no_debt": "Debt is not modelled in this scenario.",
        "embodied_t": "Embodied (t)",
        "operational_t": "Operational (t)",
        "existing_t": "Existing operations (t)",
        "total_t": "Total (t)",
        "cap_t": "Cap (t)",
        "staff_fte": "Staff need (FTE)",
        "recruitable_fte": "Recruitable (FTE)",
        "constraint": "Limit",
        "kind": "Kind",
        "value_of_one_more_unit": "Worth of one more unit (MSEK)",
        "meaning": "Meaning",
        "lead_time": "Lead time (years)",
        "lifetime": "Lifetime (years)",
        "earliest_start": "Earliest start",
        "latest_start": "Latest start",
        "chosen": "Chosen",
        "file": "File",
        "sha256": "SHA-256",
        # schedule legend
        "legend_build": "B = under construction",
        "legend_service": "S = in service",
        "mark_build": "B",
        "mark_service": "S",
        # charts
        "chart_demand": "Demand",
        "chart_capacity": "Capacity",
        "chart_shortfall": "Shortfall",
        "chart_spend": "Spend (net)",
        "chart_ceiling": "Ceiling",
        "chart_debt": "Debt",
        "chart_debt_ceiling": "Debt ceiling",
        "chart_embodied": "Embodied",
        "chart_operational": "Operational",
        "chart_existing": "Existing",
        "chart_cap": "Cap",
        "chart_build": "Construction",
        "chart_service": "In service",
        "msek": "MSEK",
        "tonnes": "tonnes",
        # assumptions
        "assume_money": "Money is in MSEK at fixed prices; costs are discounted at {rate} a year to {year}.",
        "assume_horizon": "The plan covers {first}–{last}; residual value of assets beyond {last} is deducted.",
        "assume_shortfall": "A missing {unit} in {service} costs {cost} MSEK a year (bought places, temporary premises).",
        "assume_capacity": "New capacity counts from the year a project is in service, not the year money is spent.",
        "assume_budget": "Budget ceilings are net of grants; the variant scales them by {factor}.",
        "assume_solver": "Solved with {solver} {version}, time limit {limit} s, stopping gap {gap}.",
        "assume_shadow": "Shadow prices are computed with the chosen projects fixed.",
        "assume_check": "Every constraint was re-checked against the plan independently of the solver.",
        "assume_value_mode": "The objective maximises value under the budgets; the figure shown is minus the value.",
        # compare
        "compare_metrics": "Side by side",
        "compare_matrix": "Projects: choice and start year",
        "compare_matrix_note": "Highlighted rows differ between scenarios; – means not chosen.",
        "pv_cost": "Present value of cost (MSEK)",
        "capex_period": "Investment {period} (MSEK)",
        "shortfall_service": "Shortfall {service} ({unit}-years)",
        "co2e_sum": "CO2e over the horizon (t)",
        "differs": "Differs",
        "same_in_all": "projects are the same in every scenario",
        "source": "Source",
        "solved": "solved",
        "reused": "reused",
        "not_chosen": "–",
        "no_plan": "no plan",
        "chart_pv": "Present value of cost per scenario",
        "chart_capex_periods": "Investment per period",
        "chart_shortfall_cmp": "Shortfall per service",
        "timeline_caption": "{n} projects, {first}–{last}",
        "chart_co2e_cmp": "CO2e per year",
        "chart_debt_cmp": "Debt at year end",
        "sheet_metrics": "Comparison",
        "sheet_projects": "Projects",
        "sheet_scenarios": "Scenarios",
        # why a compared scenario has no plan (capplan compare)
        "no_plan_why": "Why a scenario has no plan",
        "no_plan_why_note": "The smallest change of the hard limits that would make a plan possible (the same diagnosis capplan run gives):",
        "no_plan_unsolved": "No plan was found within the time limit of {seconds} s; a longer --time-limit or a looser --gap may find one.",
        "no_plan_unexplained": "No single group of limits explains it; check start windows and dependencies.",
        "sheet_diagnosis": "Diagnosis",
        "limit": "Limit",
        "violation": "Short by",
        "explanation": "Explanation",
        "no_shortfall_in": "No shortfall in any scenario: {services}.",
        "unit_years": "{unit}-years",
        "label": "Column",
        "folder": "Results folder",
        "period": "Period",
        # units of the services (scenario.toml writes them in English; unknown units stay as typed)
        "unit:places": "places",
        "unit:apartments": "apartments",
        "unit:pe": "pe",
        "unit:hours/week": "hours/week",
        "unit:beds": "beds",
        "unit:units": "units",
        "one:places": "place",
        "one:apartments": "apartment",
        "one:hours/week": "hour/week",
        "one:beds": "bed",
        "one:units": "unit",
        # coverage per district
        "districts": "Districts",
        "coverage_by_district": "Coverage per district",
        "coverage_by_district_note": "Services planned per district: demand and capacity in each district; the shaded band is the shortfall.",
        "district_shortfall": "shortfall {amount} {unit} in {district} {year}",
        "district_shortfall_more": "{amount} in {district} {year}",
        "district_spare": "{amount} spare {unit} in {district}",
        "district_no_shortfall": "no shortfall in any district",
        "district_and": " and ",
        "spare": "Spare capacity",
    },
    "sv": {
        "plan_report": "Investeringsplan",
        "compare_report": "Jämförelse av scenarier",
        "summary": "Sammanfattning",
        "headline": "Nyckeltal",
        "status": "Status",
        "assumptions": "Antaganden",
        "schedule": "Tidplan",
        "timeline": "Projektens tidslinje",
        "capacity": "Kapacitet",
        "capacity_vs_demand": "Kapacitet och behov per verksamhet",
        "budget": "Budget",
        "spend_vs_budget": "Utgifter och budgetram per finansiering",
        "debt": "Skuld",
        "co2e": "CO2e",
        "co2e_vs_cap": "CO2e per år och taket",
        "staff": "Personal",
        "opex": "Driftkostnader",
        "opex_long": "Driftkostnadskonsekvenser per förvaltning (MSEK per år)",
        "shadow_prices": "Skuggpriser",
        "shadow_prices_note": "Vad en enhet till av en bindande gräns är värd, med de valda projekten låsta.",
        "inputs": "Indata",
        "capex_by_year": "Investering per år",
        "candidates": "Projektförslag",
        "budgets": "Budgetramar",
        "input_files": "Indatafiler",
        "legend": "Förklaring",
        "total": "Summa",
        "none": "inga",
        "yes": "ja",
        "no": "nej",
        "metric": "Mått",
        "value": "Värde",
        "generated": "Skapad",
        "page_of": "sida",
        "status_optimal": "Optimal: planen är bevisat den bästa möjliga, inom ett relativt gap på {gap}.",
        "status_optimal_short": "optimal (bevisad)",
        "status_feasible": (
            "En giltig plan, men INTE bevisat den bästa: lösaren stoppade med ett gap på {gap}; "
            "ingen plan kan kosta mindre än {bound} MSEK (bästa gräns)."
        ),
        "status_feasible_value": (
            "En giltig plan, men INTE bevisat den bästa: lösaren stoppade med ett gap på {gap}; "
            "bästa gräns för målfunktionen är {bound} MSEK."
        ),
        "status_feasible_short": "giltig, INTE bevisat bäst (gap {gap}, gräns {bound})",
        "status_infeasible": "Ogenomförbar: de hårda gränserna kan inte uppfyllas samtidigt.",
        "status_infeasible_short": "ogenomförbar",
        "status_unbounded": "Obegränsad: kostnaden kan sjunka utan gräns (fel i indata).",
        "status_unbounded_short": "obegränsad",
        "status_no_solution": "Ingen plan hittades inom tidsgränsen.",
        "status_no_solution_short": "ingen plan inom tidsgränsen",
        "unknown": "okänt",
        "scenario": "Scenario",
        "variant": "Variant",
        "description": "Beskrivning",
        "objective": "Målfunktion",
        "objective_cost": "Nuvärde av kostnader (MSEK)",
        "objective_value": "Målfunktion, minus värde (MSEK)",
        "bound": "Bästa gräns (MSEK)",
        "gap": "Gap",
        "pv_by_kind": "Nuvärde per kostnadsslag (MSEK)",
        "build_seconds": "Bygga modellen (s)",
        "solve_seconds": "Lösa modellen (s)",
        "solver": "Lösare",
        "solver_version": "Lösarens version",
        "time_limit": "Tidsgräns (s)",
        "gap_target": "Gap då lösaren får stoppa",
        "threads": "Trådar",
        "seed": "Slumpfrö",
        "solver_message": "Lösarens meddelande",
        "projects_chosen": "Valda projekt",
        "capex_total": "Investering i planen (MSEK)",
        "shortfall_total": "Brist, {unit}-år",
        "co2e_total": "CO2e under perioden (ton)",
        "peak_debt": "Högsta skuld (MSEK)",
        "horizon": "Planeringsperiod",
        "discount_rate": "Real kalkylränta",
        "input_hash": "Kontrollsumma för indata",
        "scenario_path": "Scenariots sökväg",
        "capplan_version": "capplan-version",
        "term_capex": "Investeringar",
        "term_opex": "Driftkostnader",
        "term_carbon": "Koldioxidpris",
        "term_salvage": "Restvärde (avgår)",
        "term_closure": "Stängning av befintliga byggnader",
        "term_asset_opex": "Sparad driftkostnad vid förtida stängning",
        "term_emergency": "Nödlösningar (paviljonger, köpta platser, skolskjuts)",
        "closures": "Stängning av befintliga byggnader",
        "closure_of": "{name} ({size}) stängs, år",
        "term_shortfall": "Brist (köpta platser, tillfälliga lokaler)",
        "term_value": "Värde (avgår)",
        "term_stability": "Ändringar mot antagen plan",
        "term_interest": "Ränta",
        "candidate": "Projekt-id",
        "name": "Namn",
        "department": "Förvaltning",
        "district": "Område",
        "pool": "Finansiering",
        "units": "Antal",
        "start_year": "Byggstart",
        "in_service_year": "I drift",
        "end_of_life_year": "Livslängd slut",
        "capex": "Investering (MSEK)",
        "net_capex": "Netto efter bidrag (MSEK)",
        "committed": "Beslutad",
        "must_do": "Måste göras",
        "service": "Verksamhet",
        "unit": "Enhet",
        "year": "År",
        "demand": "Behov",
        "existing": "Befintlig kapacitet",
        "new_capacity": "Ny kapacitet",
        "shortfall": "Brist",
        "served_from_neighbours": "Betjänas av grannområden",
        "serving_neighbours": "Betjänar grannområden",
        "utilisation": "Beläggning",
        "spend": "Utgift, netto (MSEK)",
        "gross_spend": "Utgift, brutto (MSEK)",
        "ceiling": "Ram (MSEK)",
        "carry_in": "Överfört från föregående år (MSEK)",
        "carry_over": "Förs över till nästa år (MSEK)",
        "headroom": "Marginal (MSEK)",
        "debt_financed_spend": "Lånefinansierade utgifter (MSEK)",
        "self_financing": "Självfinansiering (MSEK)",
        "debt_msek": "Skuld vid årets slut (MSEK)",
        "debt_ceiling": "Skuldtak (MSEK)",
        "interest": "Ränta (MSEK)",
        "no_debt": "Skuld modelleras inte i detta scenario.",
        "embodied_t": "Byggskede (t)",
        "operational_t": "Drift (t)",
        "existing_t": "Befintlig verksamhet (t)",
        "total_t": "Totalt (t)",
        "cap_t": "Tak (t)",
        "staff_fte": "Personalbehov (åa)",
        "recruitable_fte": "Rekryterbart (åa)",
        "constraint": "Gräns",
        "kind": "Slag",
        "value_of_one_more_unit": "Värde av en enhet till (MSEK)",
        "meaning": "Betydelse",
        "lead_time": "Ledtid (år)",
        "lifetime": "Livslängd (år)",
        "earliest_start": "Tidigaste start",
        "latest_start": "Senaste start",
        "chosen": "Valt",
        "file": "Fil",
        "sha256": "SHA-256",
        "legend_build": "B = byggs",
        "legend_service": "D = i drift",
        "mark_build": "B",
        "mark_service": "D",
        "chart_demand": "Behov",
        "chart_capacity": "Kapacitet",
        "chart_shortfall": "Brist",
        "chart_spend": "Utgift (netto)",
        "chart_ceiling": "Ram",
        "chart_debt": "Skuld",
        "chart_debt_ceiling": "Skuldtak",
        "chart_embodied": "Byggskede",
        "chart_operational": "Drift",
        "chart_existing": "Befintlig",
        "chart_cap": "Tak",
        "chart_build": "Byggs",
        "chart_service": "I drift",
        "msek": "MSEK",
        "tonnes": "ton",
        "assume_money": "Belopp i MSEK i fast prisnivå; kostnader diskonteras med {rate} per år till {year}.",
        "assume_horizon": "Planen omfattar {first}–{last}; restvärdet av tillgångar efter {last} räknas av.",
        "assume_shortfall": "En saknad enhet ({unit}) inom {service} kostar {cost} MSEK per år (köpta platser, tillfälliga lokaler).",
        "assume_capacity": "Ny kapacitet räknas från det år projektet tas i drift, inte det år pengarna betalas ut.",
        "assume_budget": "Budgetramarna gäller netto efter bidrag; varianten skalar dem med {factor}.",
        "assume_solver": "Löst med {solver} {version}, tidsgräns {limit} s, stoppgap {gap}.",
        "assume_shadow": "Skuggpriserna är beräknade med de valda projekten låsta.",
        "assume_check": "Varje villkor har kontrollerats mot planen oberoende av lösaren.",
        "assume_value_mode": "Målfunktionen maximerar värde inom budgetramarna; talet som visas är minus värdet.",
        "compare_metrics": "Sida vid sida",
        "compare_matrix": "Projekt: val och byggstart",
        "compare_matrix_note": "Markerade rader skiljer sig mellan scenarierna; – betyder inte valt.",
        "pv_cost": "Nuvärde av kostnader (MSEK)",
        "capex_period": "Investering {period} (MSEK)",
        "shortfall_service": "Brist {service} ({unit}-år)",
        "co2e_sum": "CO2e under perioden (t)",
        "differs": "Skiljer sig",
        "same_in_all": "projekt är lika i alla scenarier",
        "source": "Källa",
        "solved": "löst",
        "reused": "återanvänt",
        "not_chosen": "–",
        "no_plan": "ingen plan",
        "chart_pv": "Nuvärde av kostnader per scenario",
        "chart_capex_periods": "Investering per period",
        "chart_shortfall_cmp": "Brist per verksamhet",
        "timeline_caption": "{n} projekt, {first}–{last}",
        "chart_co2e_cmp": "CO2e per år",
        "chart_debt_cmp": "Skuld vid årets slut",
        "sheet_metrics": "Jämförelse",
        "sheet_projects": "Projekt",
        "sheet_scenarios": "Scenarier",
        # why a compared scenario has no plan (capplan compare)
        "no_plan_why": "Varför ett scenario saknar plan",
        "no_plan_why_note": "Den minsta ändring av de hårda gränserna som skulle göra en plan möjlig (samma diagnos som capplan run ger):",
        "no_plan_unsolved": "Ingen plan hittades inom tidsgränsen {seconds} s; en längre --time-limit eller en större --gap kan hitta en.",
        "no_plan_unexplained": "Ingen enskild grupp av gränser förklarar det; kontrollera startfönster och beroenden.",
        "sheet_diagnosis": "Diagnos",
        "limit": "Gräns",
        "violation": "Saknas",
        "explanation": "Förklaring",
        "no_shortfall_in": "Ingen brist i något scenario: {services}.",
        "unit_years": "{unit}-år",
        "label": "Kolumn",
        "folder": "Resultatmapp",
        "period": "Period",
        "unit:places": "platser",
        "unit:apartments": "lägenheter",
        "unit:pe": "pe",
        "unit:hours/week": "timmar/vecka",
        "unit:beds": "bäddar",
        "unit:units": "enheter",
        "one:places": "plats",
        "one:apartments": "lägenhet",
        "one:hours/week": "timme/vecka",
        "one:beds": "bädd",
        "one:units": "enhet",
        "districts": "Områden",
        "coverage_by_district": "Täckning per område",
        "coverage_by_district_note": "Verksamheter som planeras per område: behov och kapacitet i varje område; det skuggade fältet är bristen.",
        "district_shortfall": "brist {amount} {unit} i {district} {year}",
        "district_shortfall_more": "{amount} i {district} {year}",
        "district_spare": "{amount} lediga {unit} i {district}",
        "district_no_shortfall": "ingen brist i något område",
        "district_and": " och ",
        "spare": "Ledig kapacitet",
    },
}


def translator(lang: str) -> Callable[..., str]:
    """``t(key, **fields)``: the text in ``lang``, English if missing, else the key."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown report language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    table, fallback = TEXT[lang], TEXT["en"]

    def t(key: str, **fields) -> str:
        text = table.get(key) or fallback.get(key) or key
        return text.format(**fields) if fields else text

    return t


def format_number(value, decimals: int = 1, lang: str = DEFAULT_LANGUAGE) -> str:
    """12345.67 -> '12 345,7' (sv, non-breaking space) or '12,345.7' (en); blank for missing."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    text = f"{float(value):,.{decimals}f}"
    if text.startswith("-"):
        text = "\u2212" + text[1:]  # a real minus sign: it does not break from the number
    if lang == "sv":
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text


def format_significant(value, digits: int = 2, lang: str = DEFAULT_LANGUAGE) -> str:
    """An amount with at least ``digits`` significant digits (and at most two decimals where
    they suffice): 0.006 -> '0,006', 0.012 -> '0,012', 0.25 -> '0,25', 12.5 -> '12,5', so that
    two different costs never both read '0,01'."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    value = float(value)
    if value == 0:
        return format_number(0, 0, lang)
    # at least two decimals as before; more where a small amount needs them to stay distinct
    decimals = max(2, digits - 1 - math.floor(math.log10(abs(value))))
    text = format_number(round(value, decimals), decimals, lang)
    sep = "," if lang == "sv" else "."
    head, tail = text.rsplit(sep, 1)
    tail = tail.rstrip("0")  # 1.50 -> 1.5, 1.00 -> 1: trailing zeros say nothing here
    return f"{head}{sep}{tail}" if tail else head


def unit_name(unit: str, lang: str = DEFAULT_LANGUAGE, one: bool = False) -> str:
    """A service's unit in the report's language: 'places' -> 'platser' ('plats' for ``one``);
    an unknown unit as the scenario wrote it."""
    plural = f"unit:{unit}"
    key = f"one:{unit}" if one and f"one:{unit}" in TEXT["en"] else plural
    return TEXT[lang].get(key) or TEXT["en"].get(key) or unit


def format_percent(value, decimals: int = 1, lang: str = DEFAULT_LANGUAGE) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    return format_number(100.0 * float(value), decimals, lang) + (
        "\u00a0%" if lang == "sv" else "%"
    )


def status_sentence(plan, lang: str = DEFAULT_LANGUAGE, short: bool = False) -> str:
    """The plan's status in honest words: the word "optimal" only when proven; gap and bound
    whenever the solver stopped early."""
    t = translator(lang)
    suffix = "_short" if short else ""
    gap = format_percent(plan.gap, 2, lang) if plan.gap is not None else t("unknown")
    bound = format_number(plan.bound, 1, lang) if plan.bound is not None else t("unknown")
    status = Status(plan.status)
    if status is Status.OPTIMAL:
        return t("status_optimal" + suffix, gap=format_percent(plan.gap or 0.0, 2, lang))
    if status is Status.FEASIBLE:
        key = (
            "status_feasible_value"
            if (plan.objective_mode == "value" and not short)
            else "status_feasible"
        )
        return t(key + suffix, gap=gap, bound=bound)
    return t(f"status_{status}{suffix}")


def term_label(kind: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A readable name for an objective term (capex, opex, shortfall, ...)."""
    t = translator(lang)
    label = t(f"term_{kind}")
    return kind if label == f"term_{kind}" else label
