"""Report labels in Swedish (the default) and English, and numbers written the local way.

Reports are read by a finance office and a council, so every word they see comes from here,
also the terminal summaries and progress lines of run, replan, compare and sweep (``--lang``);
code, logs, errors and option help stay in English. A missing key falls back to English and
then to the key itself, so a forgotten translation shows up as a readable word, never a crash.

    >>> t = translator("sv")
    >>> t("shortfall")
    'Brist'
    >>> format_number(12345.67, 1, "sv")
    '12\u00a0345,7'
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

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
        "shadow_prices_more": "{count} more binding limits: the Shadow prices sheet of plan.xlsx and shadow_prices.csv list them all.",
        "shadow_prices_more_one": "{count} more binding limit: the Shadow prices sheet of plan.xlsx and shadow_prices.csv list it.",
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
        "status_feasible_word": "valid, not proven best",
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
        "objective_mode_cost": "lowest cost",
        "objective_mode_value": "most value within the budgets",
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
        "shortfall_total": "Shortfall, {unit}·years",
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
        "other": "Other investment (MSEK)",
        "frame_spend": "Whole frame, candidates + other (MSEK)",
        "debt_financed_spend": "Debt-financed spend (MSEK)",
        "self_financing": "Self-financing (MSEK)",
        "debt_msek": "Debt at year end (MSEK)",
        "debt_ceiling": "Debt ceiling (MSEK)",
        "interest": "Interest (MSEK)",
        "no_debt": "Debt is not modelled in this scenario.",
        "key_figures": "Key figures per year",
        "key_figures_note": "MSEK in fixed prices unless marked nominal. Investment is the whole frame (candidates and other investment); the result and the self-financing rate cover the debt-financed pools.",
        "kf_investment_candidates": "Investment, candidates (MSEK)",
        "kf_investment_other": "Investment, other (MSEK)",
        "kf_investment": "Investment, total (MSEK)",
        "kf_revenue": "Tax revenue and general grants (MSEK)",
        "kf_net_cost": "Net cost of existing operations (MSEK)",
        "kf_opex": "Operating costs of new projects (MSEK)",
        "kf_closure_costs": "Closure costs (MSEK)",
        "kf_emergency_costs": "Emergency options: pavilions, bought places, transport (MSEK)",
        "kf_depreciation": "Depreciation (MSEK)",
        "kf_interest": "Interest (MSEK)",
        "kf_result": "Result (MSEK)",
        "kf_self_financing": "Self-financing: result + depreciation (MSEK)",
        "kf_self_financing_rate": "Self-financing rate of investment",
        "kf_debt": "Debt at year end (MSEK)",
        "kf_inhabitants": "Inhabitants",
        "kf_debt_per_inhabitant": "Debt per inhabitant (SEK)",
        "kf_price_index": "Price index",
        "kf_investment_nominal": "Investment, nominal (MSEK)",
        "kf_result_nominal": "Result, nominal (MSEK)",
        "kf_debt_nominal": "Debt, nominal (MSEK)",
        "kf_in_year": "{figure} {year}",
        "kf_terminal_title": "Key figures per year (MSEK in fixed prices unless nominal)",
        "kf_period_rate": "Self-financing rate of investment over the period",
        "kf_period_self_financing": "Self-financing rate of investment over the period {first}–{last}: {rate}",
        "kft_year": "year",
        "kft_investment_candidates": "invest. candidates",
        "kft_investment_other": "invest. other",
        "kft_result": "result",
        "kft_self_financing_rate": "self-financing",
        "kft_debt": "debt",
        "kft_debt_per_inhabitant": "debt/inhab. SEK",
        "kft_investment_nominal": "invest. nominal",
        # the terminal (run, replan, compare): short, lower-case headers as a terminal table has
        "tt_heading": "{scenario} — variant {variant}, solver {solver}",
        # live progress of a solve (optimizer/report/progress.py)
        "progress_starting": "starting",
        "progress_building": "building",
        "progress_solving": "solving",
        "progress_checking": "checking",
        "progress_done": "done",
        "progress_size": "{rows} rows × {columns} columns, {nonzeros} non-zeros",
        "progress_incumbent": "incumbent",
        "progress_bound": "bound",
        "progress_gap": "gap",
        "tt_status": "Status",
        "tt_status_optimal": "optimal (proven)",
        "tt_status_optimal_gap": "optimal (proven, gap {gap})",
        "tt_status_feasible": "feasible, NOT proven optimal (gap {gap}, bound {bound})",
        "tt_status_infeasible": "infeasible",
        "tt_status_unbounded": "unbounded",
        "tt_status_no_solution": "no solution in time",
        "tt_objective_cost": "Present value of cost",
        "tt_objective_value": "Objective (−value)",
        "tt_times": "Build {build} s, solve {solve} s",
        "tt_solver_said": "the solver: {message}",
        "tt_no_plan_within": "no plan found within {limit} s",
        "tt_try_longer": (
            "Try a longer --time-limit (now {limit} s), or a looser --gap (e.g. --gap 0.01) "
            "so the solver may stop at the first good plan; on knapsack-like scenarios "
            "--solver cbc is often faster."
        ),
        "tt_try_longer_no_limit": "Try a longer --time-limit, or a looser --gap (e.g. --gap 0.01).",
        "tt_schedule": "Schedule ({count} investments)",
        "tt_schedule_one": "Schedule ({count} investment)",
        "tt_candidate": "candidate",
        "tt_name": "name",
        "tt_dept": "dept",
        "tt_units": "units",
        "tt_start": "start",
        "tt_in_service": "in service",
        "tt_capex": "capex MSEK",
        "tt_closures": "Closures ({count})",
        "tt_coverage": "Coverage per service (over the horizon)",
        "tt_service": "service",
        "tt_unit": "unit",
        "tt_peak_demand": "peak demand",
        "tt_capacity_at_end": "capacity at end",
        "tt_shortfall": "shortfall unit-years",
        "tt_years_short": "years short",
        "tt_budget": "Budget use: the whole frame, candidates + other (net of grants, MSEK)",
        "tt_pool": "pool",
        "tt_candidates": "candidates",
        "tt_other": "other",
        "tt_ceiling": "ceiling",
        "tt_use": "use",
        "tt_tightest_year": "tightest year",
        "tt_results": "Results: {folder}",
        "tt_compare": "Scenarios side by side",
        "tt_measure": "measure",
        "tt_source": "source",
        "tt_differ": "Projects that differ in choice or start year",
        "tt_none_differ": "No project differs in choice or start year.",
        "tt_same_one": "{same} chosen project the same in every scenario{among}; {never} never chosen.",
        "tt_same_many": "{same} chosen projects the same in every scenario{among}; {never} never chosen.",
        "tt_among_planned": " with a plan",
        "tt_comparison": "Comparison: {folder}",
        "tt_reusing": "{label}: reusing {folder} (same inputs, variant and solver settings)",
        "tt_not_reusing": "{label}: not reusing {folder}: {problem}; solving again",
        "tt_what_changed": "What changed from {year} on, and why",
        "tt_attributing": "Replanning with each input change alone, to attribute the moves…",
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
        "chart_other": "Other investment",
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
        "assume_shortfall": "A missing unit ({unit}) in {service} costs {cost} MSEK a year (bought places, temporary premises).",
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
        "capex_period": "Investment in the plan {period} (gross, MSEK)",
        "shortfall_service": "Shortfall {service} ({unit}·years)",
        "co2e_sum": "CO2e over the horizon (t)",
        "differs": "Differs",
        "same_in_all": "projects are the same in every scenario",
        "source": "Source",
        "solved": "solved",
        "reused": "reused",
        "not_chosen": "–",
        "no_plan": "no plan",
        "chart_pv": "Present value of cost per scenario",
        "chart_capex_periods": "Investment in the plan per period (gross, MSEK)",
        "chart_shortfall_cmp": "Shortfall per service",
        "timeline_caption": "{n} projects, {first}–{last}",
        "timeline_caption_one": "{n} project, {first}–{last}",
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
        "unit_years": "{unit}·years",
        # the what-changed report of a replan
        "what_changed": "What changed and why",
        "about_replan": "About this replan",
        "adopted": "Adopted",
        "adopted_plan": "Adopted plan",
        "adopted_start": "Adopted start",
        "adopted_units": "Adopted units",
        "new_start": "New start",
        "new_units": "New units",
        "attribution": "How moves are linked to changes",
        "attribution_method": "Each group of input changes (one candidate's rows, or one table) was applied alone to the adopted plan's inputs and replanned; a move is caused by a change when that replan makes the same move. A move no single change makes is caused by the changes together. The cost of a change is the plan's cost with that change alone minus its cost with no change (present value, MSEK, without the stability price).",
        "cannot_alone": "cannot be applied alone",
        "cause_candidate": "candidate {candidate}",
        "cause_together": "the changes together (no single change alone)",
        "cause_not_alone": "{change}: cannot be applied alone (it needs another change)",
        "cause_cost": "{change}: alone, it changes the plan's cost by {cost} MSEK and moves {moves}",
        "stability_bought": "Stability: {paid} MSEK paid for the changes made (price {price} MSEK each); keeping the rest costs {cost} MSEK more than a free re-optimisation, which would make {free} changes",
        "stability_bought_one": "Stability: {paid} MSEK paid for the changes made (price {price} MSEK each); keeping the rest costs {cost} MSEK more than a free re-optimisation, which would make {free} change",
        # the details of a replan move (optimizer/replan_inputs.py)
        "reason_field_changed": "{table}: {field} changed {adopted} → {now}",
        "reason_row_added": "{table}: row {key} added",
        "reason_row_removed": "{table}: row {key} removed",
        "reason_demand": "demand for {service} changed by {change} {unit} by {year} ({adopted} → {now})",
        "reason_budget": "the {pool} budget changed for {years}",
        "reason_cheaper": "the re-optimised plan is cheaper by more than the stability price",
        "caused_by": "Caused by",
        "change": "Change",
        "change_added": "added",
        "change_removed": "removed",
        "change_earlier": "moved earlier",
        "change_later": "moved later",
        "change_units": "units changed",
        "changes_count": "Changes to the adopted plan",
        "changes_to_adopted": "Changes to the adopted plan",
        "chart_change_costs": "Plan cost: adopted inputs, each change alone, all changes, and without the stability price",
        "cost_all_changes": "Plan cost with every change",
        "cost_free": "Plan cost without the stability price",
        "cost_unchanged": "Plan cost with the adopted inputs",
        "cost_msek": "Cost (MSEK)",
        "details": "Details",
        "fact": "Fact",
        "field": "Field",
        "input_change": "Input change",
        "input_changes_rows": "Input changes, row by row",
        "inputs_identical": "The inputs are identical.",
        "key": "Key",
        "lock_years": "Lock years",
        "moves_it_causes": "Moves it causes alone",
        "no_adopted_inputs": "The adopted plan has no copy of its inputs: input changes and their causes are not shown.",
        "no_changes": "No changes to the adopted plan from {year} on.",
        "no_moves": "nothing",
        "now": "Now",
        "replan_year": "Replan year",
        "rows": "Rows",
        "stability_cost": "Stability cost (above a free re-optimisation)",
        "stability_paid": "Stability price paid",
        "stability_price": "Stability price per change",
        "table": "Table",
        "what_each_change_costs": "What each input change causes and costs",
        "sheet_summary_changes": "Summary",
        "sheet_changes": "Changes",
        "sheet_change_costs": "Change costs",
        "sheet_input_changes": "Input changes",
        "bar_unchanged": "Adopted inputs",
        "bar_all_changes": "All changes",
        "bar_free": "No stability price",
        "diff_changed": "changed",
        "diff_added": "added",
        "diff_removed": "removed",
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
        "shadow_prices_more": "{count} bindande gränser till: bladet Skuggpriser i plan.xlsx och shadow_prices.csv tar upp alla.",
        "shadow_prices_more_one": "{count} bindande gräns till: bladet Skuggpriser i plan.xlsx och shadow_prices.csv tar upp den.",
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
        "status_feasible_word": "giltig, inte bevisat bäst",
        "status_unbounded": "Obegränsad: kostnaden kan sjunka utan gräns (fel i indata).",
        "status_unbounded_short": "obegränsad",
        "status_no_solution": "Ingen plan hittades inom tidsgränsen.",
        "status_no_solution_short": "ingen plan inom tidsgränsen",
        "unknown": "okänt",
        "scenario": "Scenario",
        "variant": "Variant",
        "description": "Beskrivning",
        "objective": "Målfunktion",
        "objective_mode_cost": "lägsta kostnad",
        "objective_mode_value": "största värde inom budgetramarna",
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
        "shortfall_total": "Brist, {unit}·år",
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
        "other": "Övriga investeringar (MSEK)",
        "frame_spend": "Hela ramen, kandidater + övrigt (MSEK)",
        "debt_financed_spend": "Lånefinansierade utgifter (MSEK)",
        "self_financing": "Självfinansiering (MSEK)",
        "debt_msek": "Skuld vid årets slut (MSEK)",
        "debt_ceiling": "Skuldtak (MSEK)",
        "interest": "Ränta (MSEK)",
        "no_debt": "Skuld modelleras inte i detta scenario.",
        "key_figures": "Nyckeltal per år",
        "key_figures_note": "MSEK i fasta priser om inte löpande anges. Investeringarna är hela ramen (kandidater och övriga investeringar); resultat och självfinansieringsgrad avser de lånefinansierade finansieringarna.",
        "kf_investment_candidates": "Investeringar, kandidater (MSEK)",
        "kf_investment_other": "Investeringar, övriga (MSEK)",
        "kf_investment": "Investeringar, totalt (MSEK)",
        "kf_revenue": "Skatteintäkter och generella statsbidrag (MSEK)",
        "kf_net_cost": "Nettokostnad befintlig verksamhet (MSEK)",
        "kf_opex": "Driftkostnader nya projekt (MSEK)",
        "kf_closure_costs": "Avvecklingskostnader (MSEK)",
        "kf_emergency_costs": "Nödlösningar: paviljonger, köpta platser, skolskjuts (MSEK)",
        "kf_depreciation": "Avskrivningar (MSEK)",
        "kf_interest": "Räntor (MSEK)",
        "kf_result": "Resultat (MSEK)",
        "kf_self_financing": "Självfinansiering: resultat + avskrivningar (MSEK)",
        "kf_self_financing_rate": "Självfinansieringsgrad för investeringarna",
        "kf_debt": "Skuld vid årets slut (MSEK)",
        "kf_inhabitants": "Invånare",
        "kf_debt_per_inhabitant": "Skuld per invånare (kr)",
        "kf_price_index": "Prisindex",
        "kf_investment_nominal": "Investeringar, löpande priser (MSEK)",
        "kf_result_nominal": "Resultat, löpande priser (MSEK)",
        "kf_debt_nominal": "Skuld, löpande priser (MSEK)",
        "kf_in_year": "{figure} {year}",
        "kf_terminal_title": "Nyckeltal per år (MSEK i fasta priser om inte löpande anges)",
        "kf_period_rate": "Självfinansieringsgrad för investeringarna över perioden",
        "kf_period_self_financing": "Självfinansieringsgrad för investeringarna över perioden {first}–{last}: {rate}",
        "kft_year": "år",
        "kft_investment_candidates": "invest. kandidater",
        "kft_investment_other": "invest. övriga",
        "kft_result": "resultat",
        "kft_self_financing_rate": "självfin.grad",
        "kft_debt": "skuld",
        "kft_debt_per_inhabitant": "skuld/inv. kr",
        "kft_investment_nominal": "invest. löpande",
        "tt_heading": "{scenario} — variant {variant}, lösare {solver}",
        "progress_starting": "startar",
        "progress_building": "bygger modellen",
        "progress_solving": "löser",
        "progress_checking": "kontrollerar planen",
        "progress_done": "klar",
        "progress_size": "{rows} rader × {columns} kolumner, {nonzeros} nollskilda element",
        "progress_incumbent": "bästa plan",
        "progress_bound": "gräns",
        "progress_gap": "gap",
        "tt_status": "Status",
        "tt_status_optimal": "optimal (bevisad)",
        "tt_status_optimal_gap": "optimal (bevisad, gap {gap})",
        "tt_status_feasible": "giltig, INTE bevisat optimal (gap {gap}, gräns {bound})",
        "tt_status_infeasible": "ogenomförbar",
        "tt_status_unbounded": "obegränsad",
        "tt_status_no_solution": "ingen lösning inom tidsgränsen",
        "tt_objective_cost": "Nuvärde av kostnader",
        "tt_objective_value": "Målfunktion (−värde)",
        "tt_times": "Uppbyggnad {build} s, lösning {solve} s",
        "tt_solver_said": "lösaren: {message}",
        "tt_no_plan_within": "ingen plan hittades inom {limit} s",
        "tt_try_longer": (
            "Prova en längre --time-limit (nu {limit} s) eller ett större --gap (t.ex. --gap 0.01) "
            "så att lösaren får stanna vid första goda plan; i ryggsäcksliknande scenarier "
            "är --solver cbc ofta snabbare."
        ),
        "tt_try_longer_no_limit": "Prova en längre --time-limit eller ett större --gap (t.ex. --gap 0.01).",
        "tt_schedule": "Tidsplan ({count} investeringar)",
        "tt_schedule_one": "Tidsplan ({count} investering)",
        "tt_candidate": "projekt",
        "tt_name": "namn",
        "tt_dept": "förv.",
        "tt_units": "antal",
        "tt_start": "start",
        "tt_in_service": "i drift",
        "tt_capex": "invest. MSEK",
        "tt_closures": "Stängningar ({count})",
        "tt_coverage": "Täckning per verksamhet (över horisonten)",
        "tt_service": "verksamhet",
        "tt_unit": "enhet",
        "tt_peak_demand": "högsta behov",
        "tt_capacity_at_end": "kapacitet vid slutet",
        "tt_shortfall": "brist enhetsår",
        "tt_years_short": "år med brist",
        "tt_budget": "Budgetutnyttjande: hela ramen, kandidater + övriga (netto efter bidrag, MSEK)",
        "tt_pool": "finansiering",
        "tt_candidates": "kandidater",
        "tt_other": "övriga",
        "tt_ceiling": "ram",
        "tt_use": "utnyttjat",
        "tt_tightest_year": "snävaste år",
        "tt_results": "Resultat: {folder}",
        "tt_compare": "Scenarier sida vid sida",
        "tt_measure": "mått",
        "tt_source": "källa",
        "tt_differ": "Projekt som skiljer sig i val eller startår",
        "tt_none_differ": "Inget projekt skiljer sig i val eller startår.",
        "tt_same_one": "{same} valt projekt är lika i alla scenarier{among}; {never} väljs aldrig.",
        "tt_same_many": "{same} valda projekt är lika i alla scenarier{among}; {never} väljs aldrig.",
        "tt_among_planned": " med en plan",
        "tt_comparison": "Jämförelse: {folder}",
        "tt_reusing": "{label}: återanvänder {folder} (samma indata, variant och lösarinställningar)",
        "tt_not_reusing": "{label}: återanvänder inte {folder}: {problem}; löser igen",
        "tt_what_changed": "Vad som ändrats från {year} och varför",
        "tt_attributing": "Planerar om med varje ändrad indata för sig, för att hitta orsakerna…",
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
        "chart_other": "Övriga investeringar",
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
        "capex_period": "Investering i planen {period} (brutto, MSEK)",
        "shortfall_service": "Brist {service} ({unit}·år)",
        "co2e_sum": "CO2e under perioden (t)",
        "differs": "Skiljer sig",
        "same_in_all": "projekt är lika i alla scenarier",
        "source": "Källa",
        "solved": "löst",
        "reused": "återanvänt",
        "not_chosen": "–",
        "no_plan": "ingen plan",
        "chart_pv": "Nuvärde av kostnader per scenario",
        "chart_capex_periods": "Investering i planen per period (brutto, MSEK)",
        "chart_shortfall_cmp": "Brist per verksamhet",
        "timeline_caption": "{n} projekt, {first}–{last}",
        "timeline_caption_one": "{n} projekt, {first}–{last}",
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
        "unit_years": "{unit}·år",
        # the what-changed report of a replan
        "what_changed": "Vad som ändrats och varför",
        "about_replan": "Om omplaneringen",
        "adopted": "Antagen",
        "adopted_plan": "Antagen plan",
        "adopted_start": "Antagen start",
        "adopted_units": "Antagna enheter",
        "new_start": "Ny start",
        "new_units": "Nya enheter",
        "attribution": "Hur ändringar i planen kopplas till ändrade indata",
        "attribution_method": "Varje grupp av ändrade indata (en kandidats rader, eller en tabell) lades ensam på den antagna planens indata och planerades om; en ändring i planen orsakas av en indataändring när den omplaneringen gör samma ändring. En ändring som ingen enskild indataändring ger orsakas av ändringarna tillsammans. Kostnaden för en indataändring är planens kostnad med bara den ändringen minus kostnaden utan ändringar (nuvärde, MSEK, utan stabilitetspriset).",
        "cannot_alone": "kan inte läggas in ensam",
        "cause_candidate": "kandidat {candidate}",
        "cause_together": "ändringarna tillsammans (ingen enskild ändring)",
        "cause_not_alone": "{change}: kan inte läggas in ensam (kräver en annan ändring)",
        "cause_cost": "{change}: ensam ändrar den planens kostnad med {cost} MSEK och flyttar {moves}",
        "stability_bought": "Stabilitet: {paid} MSEK betalt för de ändringar som gjordes ({price} MSEK per ändring); att behålla resten kostar {cost} MSEK mer än en fri omoptimering, som skulle göra {free} ändringar",
        "stability_bought_one": "Stabilitet: {paid} MSEK betalt för de ändringar som gjordes ({price} MSEK per ändring); att behålla resten kostar {cost} MSEK mer än en fri omoptimering, som skulle göra {free} ändring",
        "reason_field_changed": "{table}: {field} ändrat {adopted} → {now}",
        "reason_row_added": "{table}: rad {key} tillagd",
        "reason_row_removed": "{table}: rad {key} borttagen",
        "reason_demand": "behovet av {service} har ändrats med {change} {unit} till {year} ({adopted} → {now})",
        "reason_budget": "budgetramen för {pool} har ändrats för {years}",
        "reason_cheaper": "den omoptimerade planen är billigare med mer än stabilitetspriset",
        "caused_by": "Orsakas av",
        "change": "Ändring",
        "change_added": "tillagd",
        "change_removed": "borttagen",
        "change_earlier": "tidigarelagd",
        "change_later": "senarelagd",
        "change_units": "antal enheter ändrat",
        "changes_count": "Ändringar i den antagna planen",
        "changes_to_adopted": "Ändringar i den antagna planen",
        "chart_change_costs": "Planens kostnad: antagna indata, varje ändring ensam, alla ändringar och utan stabilitetspris",
        "cost_all_changes": "Planens kostnad med alla ändringar",
        "cost_free": "Planens kostnad utan stabilitetspris",
        "cost_unchanged": "Planens kostnad med antagna indata",
        "cost_msek": "Kostnad (MSEK)",
        "details": "Detaljer",
        "fact": "Uppgift",
        "field": "Fält",
        "input_change": "Ändrade indata",
        "input_changes_rows": "Ändrade indata, rad för rad",
        "inputs_identical": "Indata är oförändrade.",
        "key": "Nyckel",
        "lock_years": "Låsta år",
        "moves_it_causes": "Ändringar den ensam orsakar",
        "no_adopted_inputs": "Den antagna planen har ingen kopia av sina indata: ändrade indata och deras följder visas inte.",
        "no_changes": "Inga ändringar i den antagna planen från {year}.",
        "no_moves": "ingenting",
        "now": "Nu",
        "replan_year": "Omplaneringsår",
        "rows": "Rader",
        "stability_cost": "Stabilitetens kostnad (utöver en fri omoptimering)",
        "stability_paid": "Betalt stabilitetspris",
        "stability_price": "Stabilitetspris per ändring",
        "table": "Tabell",
        "what_each_change_costs": "Vad varje indataändring orsakar och kostar",
        "sheet_summary_changes": "Sammanfattning",
        "sheet_changes": "Ändringar",
        "sheet_change_costs": "Ändringarnas kostnad",
        "sheet_input_changes": "Ändrade indata",
        "bar_unchanged": "Antagna indata",
        "bar_all_changes": "Alla ändringar",
        "bar_free": "Utan stabilitetspris",
        "diff_changed": "ändrad",
        "diff_added": "tillagd",
        "diff_removed": "borttagen",
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


# Trade-offs (capplan frontier, capplan alternatives; docs/tradeoffs.md).
TEXT["en"].update(
    {
        "frontier_report": "Efficient frontier",
        "alternatives_report": "Near-optimal alternatives",
        "frontier_lead": "The cheapest plan when {measure} may be at most each limit in turn.",
        "frontier_lead_score": "The cheapest plan when the score must be at least each floor.",
        "frontier_points": "Points of the frontier",
        "frontier_chart": "Cost against {measure}",
        "frontier_changes": "What changes at each step",
        "frontier_stopped": "No plan exists with {measure} limited to {limit}: the frontier ends there ({status}).",
        "frontier_flat": "The cheapest plan already has the least {measure} any plan can have: there is nothing to trade.",
        "frontier_knee": "Knee: beyond this point each further step costs markedly more.",
        "frontier_grid": "Cost (MSEK) with both measures limited",
        "point": "Point",
        "limit": "Limit",
        "cost_msek": "Cost (MSEK, present value)",
        "extra_cost": "More than the optimum (MSEK)",
        "score": "Score",
        "seconds": "Solve time (s)",
        "knee": "knee",
        "enters": "enters",
        "leaves": "leaves",
        "moves": "moves",
        "no_change": "no change",
        "optimum": "Optimum",
        "plan_column": "Plan",
        "alternative_n": "Alternative {n}",
        "alternative_none_within": "none within the slack",
        "alternative_line": "{cost} MSEK, {changed} start decisions changed ({seconds} s)",
        "alternative_line_one": "{cost} MSEK, {changed} start decision changed ({seconds} s)",
        # a frontier point's limit in a progress line and the Limit column: "shortfall ≤ 12.0"
        "limit_co2e": "CO2e",
        "limit_shortfall": "shortfall",
        "limit_budget": "net investment",
        "limit_debt": "peak debt",
        "limit_score": "score",
        "alternatives_lead": "Plans that cost at most {within} more than the optimum ({limit} MSEK) and differ from it and from each other in as many start decisions as possible.",
        "alternatives_prefer": "The search favours projects tagged {tag}.",
        "alternatives_stopped": "Only {n} alternatives exist within the slack ({status}).",
        "alternatives_stopped_one": "Only {n} alternative exists within the slack ({status}).",
        "alternatives_plans": "The plans",
        "alternatives_matrix": "Projects in each plan",
        "must_haves": "Must-haves (in every plan)",
        "interchangeable": "Interchangeable (in some plans)",
        "changed_starts": "Start decisions changed from the optimum",
        "measure_co2e": "CO2e from the projects (t)",
        "measure_shortfall": "Shortfall (unit-years)",
        "measure_budget": "Net investment (MSEK)",
        "measure_debt": "Peak debt (MSEK)",
        "measure_score": "Score (points)",
        "sheet_frontier": "Frontier",
        "sheet_changes": "Changes",
        "sheet_alternatives": "Alternatives",
        "sheet_matrix": "Projects",
    }
)
TEXT["sv"].update(
    {
        "frontier_report": "Effektiv front",
        "alternatives_report": "Nästan lika billiga alternativ",
        "frontier_lead": "Den billigaste planen när {measure} får vara högst varje gräns i tur och ordning.",
        "frontier_lead_score": "Den billigaste planen när poängen måste vara minst varje golv.",
        "frontier_points": "Frontens punkter",
        "frontier_chart": "Kostnad mot {measure}",
        "frontier_changes": "Vad som ändras i varje steg",
        "frontier_stopped": "Ingen plan finns med {measure} begränsat till {limit}: fronten slutar där ({status}).",
        "frontier_flat": "Den billigaste planen har redan det lägsta värdet för {measure} som någon plan kan ha: det finns inget att väga mot.",
        "frontier_knee": "Knä: efter denna punkt kostar varje ytterligare steg märkbart mer.",
        "frontier_grid": "Kostnad (MSEK) med båda måtten begränsade",
        "point": "Punkt",
        "limit": "Gräns",
        "cost_msek": "Kostnad (MSEK, nuvärde)",
        "extra_cost": "Mer än optimum (MSEK)",
        "score": "Poäng",
        "seconds": "Lösningstid (s)",
        "knee": "knä",
        "enters": "tillkommer",
        "leaves": "utgår",
        "moves": "flyttas",
        "no_change": "ingen ändring",
        "optimum": "Optimum",
        "plan_column": "Plan",
        "alternative_n": "Alternativ {n}",
        "alternative_none_within": "inget inom marginalen",
        "alternative_line": "{cost} MSEK, {changed} startbeslut ändrade ({seconds} s)",
        "alternative_line_one": "{cost} MSEK, {changed} startbeslut ändrat ({seconds} s)",
        "limit_co2e": "CO2e",
        "limit_shortfall": "brist",
        "limit_budget": "nettoinvestering",
        "limit_debt": "högsta skuld",
        "limit_score": "poäng",
        "alternatives_lead": "Planer som kostar högst {within} mer än optimum ({limit} MSEK) och skiljer sig från det och från varandra i så många startbeslut som möjligt.",
        "alternatives_prefer": "Sökningen gynnar projekt märkta {tag}.",
        "alternatives_stopped": "Bara {n} alternativ finns inom marginalen ({status}).",
        "alternatives_stopped_one": "Bara {n} alternativ finns inom marginalen ({status}).",
        "alternatives_plans": "Planerna",
        "alternatives_matrix": "Projekt i varje plan",
        "must_haves": "Måste-projekt (i alla planer)",
        "interchangeable": "Utbytbara (i vissa planer)",
        "changed_starts": "Startbeslut ändrade från optimum",
        "measure_co2e": "CO2e från projekten (t)",
        "measure_shortfall": "Brist (enhetsår)",
        "measure_budget": "Nettoinvestering (MSEK)",
        "measure_debt": "Högsta skuld (MSEK)",
        "measure_score": "Poäng",
        "sheet_frontier": "Front",
        "sheet_changes": "Ändringar",
        "sheet_alternatives": "Alternativ",
        "sheet_matrix": "Projekt",
    }
)


# Robust plan (capplan robust; docs/robust.md).
TEXT["en"].update(
    {
        "robust_report": "Robust plan across growth paths",
        "robust_lead": "Variants {variants}; decisions up to {year} shared by all; criterion: {criterion}.",
        "criterion_expected": "lowest expected cost",
        "criterion_regret": "smallest largest regret",
        "expected_cost": "Expected cost",
        "max_regret": "Largest regret",
        "core": "Decide now: the robust core",
        "core_note": "Started up to {year} in every variant: right whichever growth path comes.",
        "core_empty": "No start before {next} is right in every variant: nothing needs deciding yet.",
        "deferred": "Can wait: depends on the growth path",
        "deferred_note": "Started after {year} in some variants; decide by the year given (its earliest start).",
        "decide_by": "Decide by",
        "same_everywhere": "Same in every variant",
        "regret_table": "Regret table",
        "regret_note": "Each plan's decisions up to {year} fixed while a variant comes true, the rest re-solved. Regret = cost − that variant's own optimum (MSEK, present value).",
        "robust_decisions_from": "Decisions up to {year} from",
        "robust_plan": "Robust plan",
        "own_plan": "Own optimum of {variant}",
        "if_true": "if {variant} comes true",
        "variant_plans": "The plan per variant (core fixed)",
        "own_optimum": "Own optimum",
        "weight": "Weight",
        "shortfall_cost": "Shortfall cost",
        "regret": "Regret",
        "cost": "Cost",
        "sheet_core": "Core",
        "sheet_deferred": "Deferred",
        "sheet_regret": "Regret",
        "sheet_variants": "Variants",
        "comes_true": "Comes true",
        "no_plan_short": "no plan",
        "robust_say_own": "own optimum of {variant}",
        "robust_say_model": "robust model over {variants}",
        "robust_say_fixed": "{variant} with the robust core fixed",
        "robust_say_regret": "{plan}'s first stage if {variant} comes true",
        "tt_report_files": "Report: {files}",
        "tt_reports_in": "Reports: {folder}",
        "frontier_terminal_changes": "What changes: + projects entering, − leaving, ~ moving (named in frontier.html)",
    }
)
TEXT["sv"].update(
    {
        "robust_report": "Robust plan över tillväxtvägar",
        "robust_lead": "Varianter {variants}; beslut till och med {year} gemensamma för alla; kriterium: {criterion}.",
        "criterion_expected": "lägsta förväntade kostnad",
        "criterion_regret": "minsta största ånger",
        "expected_cost": "Förväntad kostnad",
        "max_regret": "Största ånger",
        "core": "Besluta nu: den robusta kärnan",
        "core_note": "Startar senast {year} i varje variant: rätt vilken tillväxtväg som än kommer.",
        "core_empty": "Ingen start före {next} är rätt i alla varianter: inget behöver beslutas ännu.",
        "deferred": "Kan vänta: beror på tillväxtvägen",
        "deferred_note": "Startar efter {year} i någon variant; besluta senast det angivna året (tidigaste start).",
        "decide_by": "Besluta senast",
        "same_everywhere": "Lika i alla varianter",
        "regret_table": "Ångertabell",
        "regret_note": "Varje plans beslut till och med {year} låsta medan en variant inträffar, resten omoptimerat. Ånger = kostnad − variantens egen optimala kostnad (MSEK, nuvärde).",
        "robust_decisions_from": "Beslut till och med {year} från",
        "robust_plan": "Robust plan",
        "own_plan": "Egen optimal plan för {variant}",
        "if_true": "om {variant} inträffar",
        "variant_plans": "Planen per variant (kärnan låst)",
        "own_optimum": "Egen optimal kostnad",
        "weight": "Vikt",
        "shortfall_cost": "Bristkostnad",
        "regret": "Ånger",
        "cost": "Kostnad",
        "sheet_core": "Kärna",
        "sheet_deferred": "Kan vänta",
        "sheet_regret": "Ånger",
        "sheet_variants": "Varianter",
        "comes_true": "Inträffar",
        "no_plan_short": "ingen plan",
        "robust_say_own": "egen optimal plan för {variant}",
        "robust_say_model": "robust modell över {variants}",
        "robust_say_fixed": "{variant} med den robusta kärnan låst",
        "robust_say_regret": "{plan}: första etappen låst om {variant} inträffar",
        "tt_report_files": "Rapport: {files}",
        "tt_reports_in": "Rapporter: {folder}",
        "frontier_terminal_changes": "Vad som ändras: + projekt som tillkommer, − som utgår, ~ som flyttas (namngivna i frontier.html)",
    }
)


# Monte Carlo sweep (capplan sweep).
TEXT["en"].update(
    {
        "sweep_report": "Monte Carlo sweep",
        "sweep_lead": "{solved} of {samples} samples solved (seed {seed}); each draws a growth path, cost overruns per candidate and an interest rate.",
        "sweep_adopted": "The adopted plan's decisions are fixed in every sample; only shortfall, transfers, carry-over and debt are re-solved.",
        "cost_p50": "Cost, median",
        "cost_p90": "Cost, 90th percentile",
        "shortfall_risk": "Samples with shortfall",
        "frequency": "How often each candidate is chosen, and when",
        "share_chosen": "Chosen in",
        "mean_start": "Mean first start",
        "earliest": "Earliest",
        "latest": "Latest",
        "distribution": "Cost, debt and shortfall over the samples",
        "measure": "Measure",
        "mean": "Mean",
        "m_objective": "Cost (PV, MSEK)",
        "m_capex": "Investment (MSEK)",
        "m_max_debt": "Largest debt (MSEK)",
        "m_end_debt": "Debt at the end (MSEK)",
        "m_shortfall_units": "Shortfall (units × years)",
        "m_shortfall_cost": "Shortfall cost (PV, MSEK)",
        "by_variant": "Samples per growth path and status (infeasible: a hard limit cannot be met, e.g. an adopted plan's spending after overruns)",
        "samples": "Samples",
        "sheet_samples": "Samples",
        "sheet_frequency": "Candidates",
        "sheet_distribution": "Distribution",
        "sweep_causes": "Why samples are infeasible: the limits they cannot meet",
        "sheet_causes": "Infeasible",
        "sweep_terminal_solved": "{solved} of {samples} samples solved; shortfall in {share} of them.",
        "sweep_terminal_most_chosen": "Candidates chosen most often",
        "sweep_terminal_reports": "Report: {html}, {xlsx}; samples in {samples}",
        "sweep_resuming": "Resuming {folder}: {done} of {samples} samples already solved.",
        "sweep_progress": "samples on {workers} worker(s)",
    }
)
TEXT["sv"].update(
    {
        "sweep_report": "Monte Carlo-körning",
        "sweep_lead": "{solved} av {samples} utfall lösta (frö {seed}); varje utfall drar en tillväxtväg, kostnadsöverskridanden per projekt och en ränta.",
        "sweep_adopted": "Den antagna planens beslut är låsta i varje utfall; bara brist, överföringar, överföring av medel och skuld optimeras om.",
        "cost_p50": "Kostnad, median",
        "cost_p90": "Kostnad, 90:e percentilen",
        "shortfall_risk": "Utfall med brist",
        "frequency": "Hur ofta varje projekt väljs, och när",
        "share_chosen": "Väljs i",
        "mean_start": "Första start, medel",
        "earliest": "Tidigast",
        "latest": "Senast",
        "distribution": "Kostnad, skuld och brist över utfallen",
        "measure": "Mått",
        "mean": "Medel",
        "m_objective": "Kostnad (nuvärde, MSEK)",
        "m_capex": "Investering (MSEK)",
        "m_max_debt": "Största skuld (MSEK)",
        "m_end_debt": "Skuld vid slutet (MSEK)",
        "m_shortfall_units": "Brist (enheter × år)",
        "m_shortfall_cost": "Bristkostnad (nuvärde, MSEK)",
        "by_variant": "Utfall per tillväxtväg och status (ogenomförbar: en hård gräns kan inte hållas, t.ex. en antagen plans utgifter efter överskridanden)",
        "samples": "Utfall",
        "sheet_samples": "Utfall",
        "sheet_frequency": "Projekt",
        "sheet_distribution": "Fördelning",
        "sweep_causes": "Varför utfall är ogenomförbara: gränserna de inte kan hålla",
        "sheet_causes": "Ogenomförbara",
        "sweep_terminal_solved": "{solved} av {samples} utfall lösta; brist i {share} av dem.",
        "sweep_terminal_most_chosen": "Projekt som väljs oftast",
        "sweep_terminal_reports": "Rapport: {html}, {xlsx}; utfallen i {samples}",
        "sweep_resuming": "Fortsätter {folder}: {done} av {samples} utfall redan lösta.",
        "sweep_progress": "utfall på {workers} arbetsprocess(er)",
    }
)


# Fan charts, start years and histograms of the sweep and robust reports (docs/sweep.md, docs/robust.md).
TEXT["en"].update(
    {
        "fan_title": "Demand and capacity over the samples",
        "fan_note": "Shaded: the middle 80 % of the samples (10th to 90th percentile) per year; line and step: the median.",
        "fan_demand_band": "Demand, P10–P90",
        "fan_demand_median": "Demand, median",
        "fan_capacity_band": "Capacity, P10–P90",
        "fan_capacity_median": "Capacity, median",
        "start_year_distribution": "First start year",
        "start_year_note": "Share of the solved samples in which the candidate first starts in that year.",
        "start_year_tip": "{candidate} first starts in {year} in {share} of the samples",
        "histogram_note": "Each bar: the samples with a value within a band {width} wide, labelled by its middle.",
        "sheet_fan": "Demand and capacity",
        "sheet_start_years": "Start years",
        "robust_fan_title": "Demand and capacity in each variant",
        "robust_fan_note": "The robust plan's capacity (step) against the demand (line) of each growth path; shaded: the range of demand across the variants.",
        "robust_fan_range": "Demand, range over the variants",
        "robust_fan_demand": "Demand, {variant}",
        "robust_fan_capacity": "Capacity, {variant}",
        "sheet_coverage": "Coverage",
    }
)
TEXT["sv"].update(
    {
        "fan_title": "Behov och kapacitet över utfallen",
        "fan_note": "Skuggat: de mittersta 80 % av utfallen (10:e till 90:e percentilen) per år; linje och trappa: medianen.",
        "fan_demand_band": "Behov, P10–P90",
        "fan_demand_median": "Behov, median",
        "fan_capacity_band": "Kapacitet, P10–P90",
        "fan_capacity_median": "Kapacitet, median",
        "start_year_distribution": "Första startår",
        "start_year_note": "Andel av de lösta utfallen där projektet startar första gången det året.",
        "start_year_tip": "{candidate} startar första gången {year} i {share} av utfallen",
        "histogram_note": "Varje stapel: utfallen med ett värde inom ett intervall {width} brett, märkt med dess mitt.",
        "sheet_fan": "Behov och kapacitet",
        "sheet_start_years": "Startår",
        "robust_fan_title": "Behov och kapacitet i varje variant",
        "robust_fan_note": "Den robusta planens kapacitet (trappa) mot behovet (linje) i varje tillväxtväg; skuggat: behovets spann mellan varianterna.",
        "robust_fan_range": "Behov, spann mellan varianterna",
        "robust_fan_demand": "Behov, {variant}",
        "robust_fan_capacity": "Kapacitet, {variant}",
        "sheet_coverage": "Täckning",
    }
)


# The population projection's assumptions in report.html (optimizer/report/projection.py).
TEXT["en"].update(
    {
        "projection_title": "Population projection",
        "projection_lead": "The population table comes from a cohort-component projection (capplan project, projection.toml; docs/projection.md): single years of age, population on 31 December.",
        "projection_base": "Base population {year}: {persons} inhabitants, ages 0 to {max_age} (the last age open).",
        "projection_fertility_fitted": "Births: {rate} a year per 1,000 inhabitants aged {first}–{last}, fitted to the {births} births of {year}; changing {change} a year.",
        "projection_fertility_table": "Births: rates by age from projection.toml; changing {change} a year.",
        "projection_mortality_gompertz": "Mortality: a Gompertz curve rising {slope} per year of age, its level fitted to the {deaths} deaths of {year}; infant death risk {infant} per 1,000; risks falling {improvement} a year.",
        "projection_mortality_table": "Mortality: death risks by age from projection.toml, falling {improvement} a year.",
        "projection_migration": "Net migration by age (shares of the yearly net migration): {profile}.",
        "projection_known": "Published totals reproduced by the net migration of {known}.",
        "projection_districts": "Split over the districts {districts} by the district figures of projection.toml.",
        "projection_current": "population.csv is what the projection gives.",
        "projection_stale": "population.csv differs from what the projection gives: it was edited or the assumptions changed since; run capplan project to bring it in line.",
        "projection_unreadable": "projection.toml could not be projected: {error}",
        "projection_assumption": "Growth path",
        "projection_net_migration": "Net migration a year",
        "projection_total_in": "Inhabitants {year}",
        "projection_calibrated": "{total} inhabitants in {year} (net migration calibrated)",
        "projection_stated": "net migration as stated",
        "projection_growth_split": "(growth above {above} split by district)",
        "projection_reported": "Marked: the population variant of this report ({variant}).",
    }
)
TEXT["sv"].update(
    {
        "projection_title": "Befolkningsprognos",
        "projection_lead": "Befolkningstabellen kommer från en kohort-komponentprognos (capplan project, projection.toml; docs/projection.md): ettåriga åldrar, befolkning den 31 december.",
        "projection_base": "Basbefolkning {year}: {persons} invånare, åldrarna 0 till {max_age} (den sista åldern öppen).",
        "projection_fertility_fitted": "Födda: {rate} per år och 1\u00a0000 invånare i åldern {first}–{last}, anpassat till de {births} födda {year}; förändring {change} per år.",
        "projection_fertility_table": "Födda: fruktsamhetstal per ålder från projection.toml; förändring {change} per år.",
        "projection_mortality_gompertz": "Dödlighet: en Gompertzkurva som stiger {slope} per levnadsår, nivån anpassad till de {deaths} döda {year}; spädbarnsdödlighet {infant} per 1\u00a0000; riskerna minskar {improvement} per år.",
        "projection_mortality_table": "Dödlighet: dödsrisker per ålder från projection.toml, minskar {improvement} per år.",
        "projection_migration": "Nettoinflyttning per ålder (andelar av årets nettoinflyttning): {profile}.",
        "projection_known": "Publicerade folkmängder återges av nettoinflyttningen {known}.",
        "projection_districts": "Fördelad på kommundelarna {districts} med kommundelsuppgifterna i projection.toml.",
        "projection_current": "population.csv är det som prognosen ger.",
        "projection_stale": "population.csv skiljer sig från det prognosen ger: den har ändrats eller antagandena har ändrats sedan dess; kör capplan project för att stämma av.",
        "projection_unreadable": "projection.toml gick inte att räkna fram: {error}",
        "projection_assumption": "Tillväxtväg",
        "projection_net_migration": "Nettoinflyttning per år",
        "projection_total_in": "Invånare {year}",
        "projection_calibrated": "{total} invånare {year} (nettoinflyttningen kalibrerad)",
        "projection_stated": "angiven nettoinflyttning",
        "projection_growth_split": "(tillväxten över {above} fördelad per kommundel)",
        "projection_reported": "Markerad: befolkningsvarianten i denna rapport ({variant}).",
    }
)


# Diagnosis of hard limits that conflict (optimizer/diagnose.py: run, replan, compare, explain).
TEXT["en"].update(
    {
        "diagnosis_lead": "The hard limits conflict. The smallest violation that makes a plan possible:",
        "diagnosis_none": "(no single group of limits explains it; check windows and dependencies)",
        "diag_decided": "{where} cannot be carried out within the other hard limits",
        "diag_duty": "{where} cannot be met: {amount} {unit} are missing even with every project and emergency option that fits",
        "diag_coverage": "hard coverage of {service}{place} in {year} cannot be met: {amount} {unit} are missing even with every project that fits",
        "diag_coverage_place": " in {district}",
        "diag_money": "{who} {needed} MSEK in {year}; {where} is {limit} MSEK (short by {amount} MSEK)",
        "diag_money_decided": "must-do/committed projects {ids}",
        "diag_money_forced": "the forced start of {id}",
        "diag_money_need": "{who} need",
        "diag_money_needs": "{who} needs",
        "diag_money_default": "the projects that must go ahead need",
        "diag_money_default_ids": "the projects that must go ahead ({ids}) need",
        "diag_and": " and ",
        "diag_other": "the plan needs {needed} {unit} but {where} allows {limit} {unit} (short by {amount})",
        "unit:t CO2e": "t CO2e",
        "unit:FTE": "FTE",
        "unit:projects": "projects",
        "unit:project": "project",
    }
)
TEXT["sv"].update(
    {
        "diagnosis_lead": "De hårda gränserna går inte ihop. Den minsta avvikelse som gör en plan möjlig:",
        "diagnosis_none": "(ingen enskild grupp av gränser förklarar det; kontrollera startfönster och beroenden)",
        "diag_decided": "{where} kan inte genomföras inom de övriga hårda gränserna",
        "diag_duty": "{where} kan inte uppfyllas: {amount} {unit} saknas även med alla projekt och nödlösningar som ryms",
        "diag_coverage": "den hårda täckningen av {service}{place} {year} kan inte uppfyllas: {amount} {unit} saknas även med alla projekt som ryms",
        "diag_coverage_place": " i {district}",
        "diag_money": "{who} {needed} MSEK {year}; {where} är {limit} MSEK ({amount} MSEK för lite)",
        "diag_money_decided": "obligatoriska/beslutade projekt {ids}",
        "diag_money_forced": "den tvingade starten av {id}",
        "diag_money_need": "{who} behöver",
        "diag_money_needs": "{who} behöver",
        "diag_money_default": "projekten som måste genomföras behöver",
        "diag_money_default_ids": "projekten som måste genomföras ({ids}) behöver",
        "diag_and": " och ",
        "diag_other": "planen behöver {needed} {unit} men {where} tillåter {limit} {unit} ({amount} för lite)",
        "unit:t CO2e": "t CO2e",
        "unit:FTE": "åa",
        "unit:projects": "projekt",
        "unit:project": "projekt",
    }
)


# capplan explain (optimizer/explain.py, optimizer/cli/explain.py)
TEXT["en"].update(
    {
        "explain_title": "What each decision is worth (re-solved, ranked)",
        "explain_progress": "Re-solving, candidate by candidate",
        "explain_progress_line": "{done}/{total} re-solved: {candidate}",
        "explain_candidate": "candidate",
        "explain_question": "question",
        "explain_start": "start",
        "explain_answer": "answer",
        "explain_force_in_earliest": "force in at earliest start",
        "explain_force_out": "force out",
        "explain_one_year_earlier": "one year earlier",
        "explain_one_year_later": "one year later",
        "explain_why": "why: {text}",
        "explain_instead": "instead: {text}",
        "explain_binding": "Binding limits (shadow prices, with the chosen projects fixed):",
        "explain_proven": "Each cost is the best plan with the decision forced, proven to within {amount} MSEK, against the plan's cost; a re-solve stopped by the time limit says what it proved.",
        "explain_committed_removed": "committed to start in {year}: cannot be removed",
        "explain_committed_moved": "committed to start in {year}: cannot be moved",
        "explain_must_do": "must-do, cannot be removed",
        "explain_deadline": " (must be in service by {year})",
        "explain_replaces": "; replaces {ids} (exclusive group {group}: at most one is built)",
        "explain_outside_window": "outside its start window",
        "explain_already_out": "already out of the plan",
        "explain_already_starts": "already starts then",
        "explain_costs": "costs {amount} MSEK",
        "explain_saves": "saves {amount} MSEK",
        "explain_same": "changes the cost by less than {amount} MSEK",
        "explain_between": "costs between {low} and {high} MSEK (not proven within the time limit)",
        "explain_at_most": "costs at most {high} MSEK (not proven within the time limit)",
        "explain_no_plan": "no plan within the time limit",
        "explain_at_least": "; it costs at least {amount} MSEK more (the solver's bound)",
        "explain_impossible": "impossible within the hard limits",
        "explain_excluded": "excluded by {ids}, which must go ahead (exclusive group {group}: at most one is built)",
        "explain_no_single_limit": "no single limit explains it: the start window, a dependency or an exclusive group",
        "explain_own_spending": "the forced start of {id} itself takes {amount} MSEK of that budget in {years}, so projects the plan needs must be paid in other years",
        "explain_no_start": "no start in {first}–{last} is possible within the hard limits",
        "explain_only_start": "the only possible start is {year}",
        "explain_span": "earliest possible start {first}, latest {last}",
    }
)
TEXT["sv"].update(
    {
        "explain_title": "Vad varje beslut är värt (omräknat, rangordnat)",
        "explain_progress": "Räknar om, projekt för projekt",
        "explain_progress_line": "{done}/{total} omräknade: {candidate}",
        "explain_candidate": "kandidat",
        "explain_question": "fråga",
        "explain_start": "start",
        "explain_answer": "svar",
        "explain_force_in_earliest": "tvinga in vid tidigaste start",
        "explain_force_out": "tvinga bort",
        "explain_one_year_earlier": "ett år tidigare",
        "explain_one_year_later": "ett år senare",
        "explain_why": "varför: {text}",
        "explain_instead": "i stället: {text}",
        "explain_binding": "Bindande gränser (skuggpriser, med de valda projekten fasta):",
        "explain_proven": "Varje kostnad gäller den bästa planen med beslutet tvingat, jämfört med planens kostnad och bevisad på {amount} MSEK när; en omräkning som stoppades av tidsgränsen anger vad den hann bevisa.",
        "explain_committed_removed": "beslutat att starta {year}: kan inte tas bort",
        "explain_committed_moved": "beslutat att starta {year}: kan inte flyttas",
        "explain_must_do": "måste göras, kan inte tas bort",
        "explain_deadline": " (ska vara i drift senast {year})",
        "explain_replaces": "; ersätter {ids} (ömsesidigt uteslutande grupp {group}: högst ett byggs)",
        "explain_outside_window": "utanför startfönstret",
        "explain_already_out": "redan utanför planen",
        "explain_already_starts": "startar redan då",
        "explain_costs": "kostar {amount} MSEK mer",
        "explain_saves": "sparar {amount} MSEK",
        "explain_same": "ändrar kostnaden med mindre än {amount} MSEK",
        "explain_between": "kostar mellan {low} och {high} MSEK mer (inte bevisat inom tidsgränsen)",
        "explain_at_most": "kostar högst {high} MSEK mer (inte bevisat inom tidsgränsen)",
        "explain_no_plan": "ingen plan inom tidsgränsen",
        "explain_at_least": "; det kostar minst {amount} MSEK mer (lösarens gräns)",
        "explain_impossible": "omöjligt inom de hårda gränserna",
        "explain_excluded": "utesluts av {ids}, som måste genomföras (ömsesidigt uteslutande grupp {group}: högst ett byggs)",
        "explain_no_single_limit": "ingen enskild gräns förklarar det: startfönstret, ett beroende eller en ömsesidigt uteslutande grupp",
        "explain_own_spending": "den tvingade starten av {id} tar själv {amount} MSEK av den budgeten {years}, så projekt som planen behöver måste betalas andra år",
        "explain_no_start": "ingen start {first}–{last} är möjlig inom de hårda gränserna",
        "explain_only_start": "den enda möjliga starten är {year}",
        "explain_span": "tidigaste möjliga start {first}, senaste {last}",
    }
)


def translator(lang: str) -> Callable[..., str]:
    """``t(key, **fields)``: the text in ``lang``, English if missing, else the key."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown report language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    table, fallback = TEXT[lang], TEXT["en"]

    def t(key: str, /, **fields) -> str:  # positional: a field may be called "key"
        text = table.get(key) or fallback.get(key) or key
        return text.format(**fields) if fields else text

    return t


def said(key: str, /, **fields) -> dict[str, str]:
    """The sentence ``key`` in every language, ``{"sv": …, "en": …}``: for answers and reasons
    kept in both (a JSON file, a report written later in either). A field may itself be a
    sentence by language (a dict), put into each language's own sentence."""
    out = {}
    for lang in LANGUAGES:
        values = {
            name: value.get(lang, "") if isinstance(value, dict) else value
            for name, value in fields.items()
        }
        out[lang] = translator(lang)(key, **values)
    return out


# How many decimals each kind of quantity is written with, in every report: the terminal, the
# HTML and (as the number format of its cells, ``excel_format``) every workbook. One table, so
# that a figure reads the same wherever it is shown: a sports hall's shortfall of 0.4
# hours/week·years read "0,4" in compare and "0" in report.html and the terminal. Quantities of
# a service are whole units (places, apartments, pe): below half a unit is none, as the years
# with shortfall and the district sentences count it.
DECIMALS = {
    "msek": 1,
    "units": 0,
    "tonnes": 0,
    "fte": 1,
    "count": 0,
    "sek": 0,
    "people": 0,
    "percent": 0,
    "rate": 1,  # an interest or discount rate: 3,5 %, never "4 %"
    "index": 3,
}


# The kinds written as a percentage: shares of a whole and rates, never an amount.
PERCENT_KINDS = frozenset({"percent", "rate"})


def rounded(value, decimals: int) -> Decimal:
    """``value`` rounded half away from zero, on the number as Python writes it (0.45, not the
    binary 0.450000000000000011): as Excel rounds the digits a number format shows. Python's
    own formatting rounds half to even on the binary value (20.5 -> '20', 0.25 -> '0.2'), so
    the same figure read '20' in report.html and '21' in plan.xlsx."""
    exact = Decimal(repr(float(value)))
    result = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return result if result else abs(result)  # never "-0,0"


def format_quantity(value, kind: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A quantity of ``kind`` (``DECIMALS``) as every report writes it; a percentage with its
    sign ('51 %')."""
    if kind in PERCENT_KINDS:
        return format_percent(value, DECIMALS[kind], lang)
    return format_number(value, DECIMALS[kind], lang)


def excel_format(kind: str) -> str:
    """The number format that shows a quantity of ``kind`` with the digits ``format_quantity``
    writes: '#,##0.0' for MSEK, '#,##0' for places, '0%' for a share."""
    decimals = DECIMALS[kind]
    digits = "." + "0" * decimals if decimals else ""
    return f"0{digits}%" if kind in PERCENT_KINDS else f"#,##0{digits}"


def format_number(value, decimals: int = 1, lang: str = DEFAULT_LANGUAGE) -> str:
    """12345.67 -> '12 345,7' (sv, non-breaking space) or '12,345.7' (en); blank for missing.
    Rounded half away from zero (``rounded``), as the workbooks show it."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    text = f"{rounded(value, decimals):,.{decimals}f}"
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
    text = format_number(value, decimals, lang)
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


def format_gap(value, lang: str = DEFAULT_LANGUAGE) -> str:
    """A relative gap in percent with two decimals; a small non-zero gap with two significant
    digits (0,0017 %), because "inom ett relativt gap på 0,00 %" claims a proof the solver did
    not give, and the terminal, report.html and plan.xlsx must state the same gap."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    percent = 100.0 * float(value)
    # below 0,00005 % a gap is the solver's rounding noise (1e-16 after a replan): 0,00 %
    small = 0.00005 <= abs(percent) < 0.005
    text = format_significant(percent, 2, lang) if small else format_number(percent, 2, lang)
    return text + ("\u00a0%" if lang == "sv" else "%")


def status_sentence(plan, lang: str = DEFAULT_LANGUAGE, short: bool = False) -> str:
    """The plan's status in honest words: the word "optimal" only when proven; gap and bound
    whenever the solver stopped early."""
    t = translator(lang)
    suffix = "_short" if short else ""
    gap = format_gap(plan.gap, lang) if plan.gap is not None else t("unknown")
    bound = format_number(plan.bound, 1, lang) if plan.bound is not None else t("unknown")
    status = Status(plan.status)
    if status is Status.OPTIMAL:
        return t("status_optimal" + suffix, gap=format_gap(plan.gap or 0.0, lang))
    if status is Status.FEASIBLE:
        key = (
            "status_feasible_value"
            if (plan.objective_mode == "value" and not short)
            else "status_feasible"
        )
        return t(key + suffix, gap=gap, bound=bound)
    return t(f"status_{status}{suffix}")


def status_word(status, lang: str = DEFAULT_LANGUAGE) -> str:
    """A status alone in the report's words ('optimal (bevisad)', 'ogenomförbar'), where a table
    keeps the status but not the plan's gap and bound (the regret table)."""
    status = Status(status)
    t = translator(lang)
    if status is Status.FEASIBLE:
        return t("status_feasible_word")
    if status is Status.OPTIMAL:
        return t("status_optimal_short", gap="")
    return t(f"status_{status}_short")


def term_label(kind: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A readable name for an objective term (capex, opex, shortfall, ...)."""
    t = translator(lang)
    label = t(f"term_{kind}")
    return kind if label == f"term_{kind}" else label
