"""What every row block of the model means, written once (docs/model.md).

For each row block: its unit, sense, whether it is yearly, whether it can be relaxed (years that
are history in a replan) or made elastic (diagnosis of an infeasible scenario), the fields of
its key, and how to say it in Swedish and English. The model, the shadow-price table, the
diagnosis, the replan and the reports all read this table; none of them parses a row name
such as ``budget[tax,2028]`` back: keys travel as ``RowKey`` (block, pool, department, …).

``CONSTRAINT_BLOCKS`` lists the constraint block modules in the order the builder calls them,
each with the row blocks it writes. Adding a constraint block means: its module, its entry
here, its test module ``tests/test_block_<block>.py`` (``tests/test_model_registry.py`` fails
when one of them is missing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from optimizer.model.assets import add_assets
from optimizer.model.budget import add_budgets
from optimizer.model.choice import add_choice
from optimizer.model.climate import add_climate
from optimizer.model.coverage import add_coverage
from optimizer.model.debt import add_debt
from optimizer.model.decisions import Decisions
from optimizer.model.delivery import add_delivery
from optimizer.model.duties import add_duties
from optimizer.model.finance import add_finance
from optimizer.model.horizon_end import add_horizon_end
from optimizer.model.precedence import add_precedence
from optimizer.model.stability import add_stability
from optimizer.model.staff import add_staff
from optimizer.model.tradeoff import add_measure_limits, add_near_optimal

LANGUAGES = ("en", "sv")
# Every field a row key can have, in the order a row name lists them.
KEY_FIELDS = (
    "pool",
    "department",
    "service",
    "district",
    "candidate",
    "requires",
    "group",
    "asset",
    "year",
)


@dataclass(frozen=True)
class Wording:
    """Format strings over the key fields (``{pool}``, ``{year}``, …) by language.

    ``short`` is used when the key leaves out the block's optional fields (a
    municipality-wide service has no district; a municipality-wide delivery limit no department).
    """

    en: str
    sv: str = ""
    short_en: str = ""
    short_sv: str = ""

    def text(self, lang: str, short: bool) -> str:
        if short and (self.short_en or self.short_sv):
            return self.short_sv if lang == "sv" else self.short_en
        return self.sv if lang == "sv" else self.en


@dataclass(frozen=True)
class RowBlock:
    name: str
    unit: str  # of the row, as a diagnosis states a violation
    sense: Literal["<=", ">=", "=", "range"]
    yearly: bool
    key_fields: tuple[str, ...]
    optional_fields: tuple[str, ...] = ()  # left out of the key when they do not apply
    relaxable: bool = False  # a replan lifts it for years that are history
    elastic: Literal["upper", "lower"] | None = None  # the hard side a diagnosis may violate
    limit: Wording | None = None  # "the tax budget in 2028" (diagnosis)
    one_more: Wording | None = None  # "1 MSEK more in the tax budget for 2028" (shadow price)
    shadow_unit: Wording | None = None  # unit of a shadow price; None: no shadow price

    def fields_of(self, key: tuple) -> tuple[str, ...]:
        """The fields a model key of this block holds (optional fields left out if short)."""
        if len(key) == len(self.key_fields):
            return self.key_fields
        present = tuple(f for f in self.key_fields if f not in self.optional_fields)
        if len(key) != len(present):
            raise ValueError(f"{self.name}: key {key!r} does not fit {self.key_fields}")
        return present


@dataclass(frozen=True)
class RowKey:
    """One row of the model, as structured data: never a name to parse."""

    block: str
    pool: str | None = None
    department: str | None = None
    service: str | None = None
    district: str | None = None
    candidate: str | None = None
    requires: str | None = None
    group: str | None = None
    asset: str | None = None
    year: int | None = None

    @classmethod
    def of(cls, block: str, key: tuple) -> RowKey:
        entry = ROW_BLOCKS[block]
        fields = entry.fields_of(key)
        # an optional field that does not apply may also be given as "" (coverage keys are always
        # (service, district, year), district "" for a municipality-wide service): it is absent
        values = {
            f: (int(v) if f == "year" else str(v))
            for f, v in zip(fields, key, strict=True)
            if not (f in entry.optional_fields and v == "")
        }
        return cls(block, **values)

    @property
    def values(self) -> tuple:
        return tuple(getattr(self, f) for f in KEY_FIELDS if getattr(self, f) is not None)

    @property
    def name(self) -> str:
        """The row's name in solver files and tables, e.g. ``budget[tax,2028]`` (display only)."""
        return f"{self.block}[{','.join(str(v) for v in self.values)}]"

    @property
    def short(self) -> bool:
        entry = ROW_BLOCKS[self.block]
        return any(getattr(self, f) is None for f in entry.optional_fields)

    def words(self, wording: Wording, lang: str = "en", **names: str) -> str:
        """The wording filled in with this key; ``names`` replace ids (a pool's own name)."""
        fields = {f: "" if getattr(self, f) is None else getattr(self, f) for f in KEY_FIELDS}
        return wording.text(lang, self.short).format(**{**fields, **names})


def is_relaxed(key: RowKey, relaxed_years: frozenset[int]) -> bool:
    """Whether a row of this key is lifted because its year is history (a replan)."""
    entry = ROW_BLOCKS.get(key.block)
    return bool(entry and entry.relaxable and key.year is not None and key.year in relaxed_years)


_MSEK = "MSEK"


def _words(wording: Wording | tuple[str, str]) -> Wording:
    return wording if isinstance(wording, Wording) else Wording(*wording)


def _per_district(en: str, sv: str) -> Wording:
    """The wording of a row per district; for a municipality-wide service (no district) it
    reads without "in {district}" / "i {district}"."""
    return Wording(
        en, sv, short_en=en.replace(" in {district}", ""), short_sv=sv.replace(" i {district}", "")
    )


def _limit(
    name: str,
    unit: str,
    sense: Literal["<=", ">="],
    key_fields: tuple[str, ...],
    *,
    limit: Wording | tuple[str, str],
    one_more: Wording | tuple[str, str],
    shadow_unit: Wording | tuple[str, str],
    yearly: bool = True,
    relaxable: bool | None = None,
    optional: tuple[str, ...] = (),
) -> RowBlock:
    """A limit set by the council or the law: a diagnosis may break its hard side (elastic), one
    unit more of it has a shadow price, and a replan lifts it in years that are history (a yearly
    one, unless ``relaxable=False``)."""
    return RowBlock(
        name,
        unit,
        sense,
        yearly,
        key_fields,
        optional_fields=optional,
        relaxable=yearly if relaxable is None else relaxable,
        elastic="upper" if sense == "<=" else "lower",
        limit=_words(limit),
        one_more=_words(one_more),
        shadow_unit=_words(shadow_unit),
    )


def _rule(
    name: str,
    unit: str,
    sense: Literal["<=", ">=", "=", "range"],
    yearly: bool,
    key_fields: tuple[str, ...],
    en: str,
    sv: str,
    elastic: Literal["upper", "lower"] | None = None,
) -> RowBlock:
    """A row of the model's own logic (a definition, a link, a choice): no shadow price, never
    relaxed; a diagnosis may break it only where ``elastic`` says."""
    return RowBlock(name, unit, sense, yearly, key_fields, elastic=elastic, limit=Wording(en, sv))


# One row block a line or a few (name, unit, sense, [yearly], key fields, wording en/sv).
# Order matters only for tables: the diagnosis adds slack columns and the shadow-price table
# lists equal prices in this order.
# fmt: off
ROW_BLOCK_LIST = (
    _limit("budget", _MSEK, "<=", ("pool", "year"),
           limit=("the {pool} budget in {year}", "budgetramen för {pool} {year}"),
           one_more=("1 MSEK more in the {pool} budget for {year}", "1 MSEK mer i budgetramen {pool} för {year}"),
           shadow_unit=("MSEK of budget", "MSEK budget")),
    _limit("department_budget", _MSEK, "<=", ("department", "year"),
           limit=("{department}'s investment ceiling in {year}", "investeringsramen för {department} {year}"),
           one_more=("1 MSEK more in {department}'s ceiling for {year}", "1 MSEK mer i ramen för {department} {year}"),
           shadow_unit=("MSEK of department ceiling", "MSEK förvaltningsram")),
    _rule("debt", _MSEK, ">=", True, ("year",),
          "the debt at the end of {year} (debt before, plus borrowing, less self-financing)",
          "skulden vid slutet av {year} (skulden innan plus upplåning minus självfinansiering)"),
    _limit("debt_ceiling", _MSEK, "<=", ("year",),
           limit=("the debt ceiling at the end of {year}", "skuldtaket vid slutet av {year}"),
           one_more=("1 MSEK more debt room at the end of {year}", "1 MSEK mer skuldutrymme vid slutet av {year}"),
           shadow_unit=("MSEK of debt ceiling", "MSEK skuldtak")),
    _rule("result", _MSEK, "=", True, ("year",),
          "the result in {year} (revenue less operating costs, depreciation and interest)",
          "resultatet {year} (intäkter minus driftkostnader, avskrivningar och räntor)"),
    _limit("balance", _MSEK, ">=", ("year",),
           limit=("the balance requirement (result target) in {year}", "balanskravet (resultatmålet) {year}"),
           one_more=("1 MSEK less required result in {year}", "1 MSEK lägre krav på resultat {year}"),
           shadow_unit=("MSEK of required result", "MSEK resultatkrav")),
    _limit("self_financing_rate", _MSEK, ">=", ("year",),
           limit=("the self-financing rate of investment in {year}", "självfinansieringsgraden för investeringarna {year}"),
           one_more=("1 MSEK less self-financing required in {year}", "1 MSEK lägre krav på självfinansiering {year}"),
           shadow_unit=("MSEK of self-financing", "MSEK självfinansiering")),
    _limit("period_self_financing", _MSEK, ">=", (), yearly=False,
           limit=("the self-financing rate over the period", "självfinansieringsgraden över perioden"),
           one_more=("1 MSEK less self-financing required over the period", "1 MSEK lägre krav på självfinansiering över perioden"),
           shadow_unit=("MSEK of self-financing", "MSEK självfinansiering")),
    _limit("debt_per_inhabitant", _MSEK, "<=", ("year",),
           limit=("the debt per inhabitant at the end of {year}", "skulden per invånare vid slutet av {year}"),
           one_more=("1 MSEK more debt room per inhabitant ceiling at the end of {year}",
                     "1 MSEK mer skuldutrymme under taket per invånare vid slutet av {year}"),
           shadow_unit=("MSEK of debt room", "MSEK skuldutrymme")),
    _limit("co2e_cap", "t CO2e", "<=", ("year",),
           limit=("the CO2e cap in {year} (after existing emissions)", "CO2e-taket {year} (efter befintliga utsläpp)"),
           one_more=("1 tonne CO2e more room in {year}", "1 ton CO2e mer utrymme {year}"),
           shadow_unit=("tonne CO2e", "ton CO2e")),
    _limit("co2e_budget", "t CO2e", "<=", (), yearly=False,
           limit=("the cumulative CO2e budget (after existing emissions)", "den samlade koldioxidbudgeten (efter befintliga utsläpp)"),
           one_more=("1 tonne CO2e more in the cumulative budget", "1 ton CO2e mer i den samlade koldioxidbudgeten"),
           shadow_unit=("tonne CO2e", "ton CO2e")),
    RowBlock(
        "coverage",
        "units of the service",
        ">=",
        True,
        ("service", "district", "year"),
        optional_fields=("district",),
        limit=_per_district("covering {service} in {district} in {year}",
                            "täckningen av {service} i {district} {year}"),
        one_more=_per_district("1 {unit} more capacity for {service} in {district} in {year}",
                               "1 {unit} mer kapacitet för {service} i {district} {year}"),
        shadow_unit=Wording("unit of capacity", "enhet kapacitet"),
    ),
    _rule("neighbour_share", "units of the service", "<=", True, ("service", "district", "year"),
          "the share of {service} in {district} that neighbouring districts may cover in {year}",
          "den andel av {service} i {district} som grannområden får täcka {year}"),
    # the legal duty is never lifted, not even for years that are history (relaxable=False)
    _limit("duty", "units of the service", "<=", ("service", "district", "year"),
           optional=("district",), relaxable=False,
           limit=_per_district(
               "the legal duty to cover {service} in {district} in {year} (no shortfall)",
               "den lagstadgade skyldigheten att täcka {service} i {district} {year} (ingen brist)"),
           one_more=_per_district(
               "1 {unit} of {service} in {district} allowed uncovered in {year} despite the legal duty",
               "1 {unit} {service} i {district} som fick lämnas otäckt {year} trots den lagstadgade skyldigheten"),
           shadow_unit=("unit of the duty", "enhet av skyldigheten")),
    _limit("terminal", "units of the service", "<=", ("service", "district"),
           optional=("district",), yearly=False,
           limit=_per_district(
               "capacity standing at the end of the horizon for {service} in {district} "
               "(terminal condition: no shortfall or emergency option in the last year)",
               "kapacitet som står kvar vid planperiodens slut för {service} i {district} "
               "(slutvillkor: ingen brist eller nödlösning sista året)"),
           one_more=_per_district(
               "1 {unit} of {service} in {district} allowed short at the end of the horizon",
               "1 {unit} {service} i {district} som fick saknas vid planperiodens slut"),
           shadow_unit=("unit of the terminal condition", "enhet av slutvillkoret")),
    _rule("asset_fate", "decisions", "<=", False, ("asset",),
          "one fate for {asset} (closed early or renovated, not both)",
          "ett öde för {asset} (stängs i förtid eller renoveras, inte båda)"),
    _rule("asset_closure", "closures", ">=", False, ("asset",),
          "the closure of {asset} at the end of its life unless renovated in time",
          "avvecklingen av {asset} när den är uttjänt, om den inte renoveras i tid"),
    _limit("staff", "FTE", "<=", ("department", "year"),
           limit=("the staff {department} can recruit by {year}", "den personal {department} kan rekrytera till {year}"),
           one_more=("1 FTE more recruitable in {department} by {year}", "1 åa mer rekryterbart i {department} till {year}"),
           shadow_unit=("FTE", "åa")),
    _limit("delivery", "projects", "<=", ("department", "year"),
           optional=("department",),
           limit=Wording(
               "the projects {department} can have under construction at once in {year}",
               "de projekt {department} kan ha i bygge samtidigt {year}",
               short_en="the projects that can be under construction at once in {year}",
               short_sv="de projekt som kan vara i bygge samtidigt {year}",
           ),
           one_more=Wording(
               "1 more {department} project under construction at once in {year}",
               "1 projekt till i bygge samtidigt ({department}, {year})",
               short_en="1 more project under construction at once in {year}",
               short_sv="1 projekt till i bygge samtidigt ({year})",
           ),
           shadow_unit=("project slot", "projektplats")),
    _rule("must_do", "project", "range", False, ("candidate",),
          "must-do project {candidate}", "måsteprojektet {candidate}", elastic="lower"),
    _rule("units", "units", "<=", False, ("candidate",),
          "the units of {candidate} that can be built", "de enheter av {candidate} som kan byggas"),
    _rule("exclusive", "projects", "<=", False, ("group",),
          "at most one candidate of the group {group}", "högst en kandidat ur gruppen {group}"),
    _rule("exclusive_built", "units", "<=", False, ("candidate",),
          "{candidate} counted once in its exclusive group", "{candidate} räknas en gång i sin uteslutande grupp"),
    _rule("committed", "project", ">=", False, ("candidate",),
          "the committed start of {candidate}", "den beslutade byggstarten för {candidate}", elastic="lower"),
    _rule("precedence", "units", "<=", True, ("candidate", "requires", "year"),
          "{candidate} started by {year} only once {requires} is in service",
          "{candidate} startad senast {year} bara när {requires} är i drift"),
    _rule("opens_with", "units", "<=", True, ("candidate", "requires", "year"),
          "{candidate} in service in {year} only with {requires} in service",
          "{candidate} i drift {year} bara med {requires} i drift"),
    _rule("started_by_definition", "units", "=", True, ("candidate", "year"),
          "the units of {candidate} started by {year}", "de enheter av {candidate} som startats till och med {year}"),
    _rule("stability_added", "candidates changed", ">=", False, ("candidate",),
          "changes to {candidate} against the adopted plan", "ändringar av {candidate} mot den antagna planen"),
    _rule("stability_kept", "candidates changed", ">=", False, ("candidate", "year"),
          "the adopted start of {candidate} in {year}", "den antagna starten av {candidate} {year}"),
    # trade-offs (model/tradeoff.py): a frontier's epsilon limits, an alternative's cost slack
    _rule("frontier_co2e", "t CO2e", "<=", False, (), "the frontier's CO2e limit", "frontens CO2e-gräns"),
    _rule("frontier_shortfall", "unit-years", "<=", False, (), "the frontier's shortfall limit", "frontens gräns för brist"),
    _rule("frontier_budget", _MSEK, "<=", False, (), "the frontier's investment limit", "frontens investeringsgräns"),
    _rule("frontier_debt", _MSEK, "<=", True, ("year",), "the frontier's debt limit in {year}", "frontens skuldgräns {year}"),
    _rule("frontier_score", "points", ">=", False, (), "the frontier's score floor", "frontens lägsta poäng"),
    _rule("near_optimal_cost", _MSEK, "<=", False, (), "the cost slack of the alternatives", "alternativens kostnadsmarginal"),
    _rule("near_optimal_started", "units", ">=", False, ("candidate", "year"),
          "whether {candidate} starts in {year} (alternatives)", "om {candidate} startar {year} (alternativ)"),
    _rule("near_optimal_started_all", "units", "<=", False, ("candidate", "year"),
          "whether {candidate} starts units in {year} (alternatives)", "om {candidate} startar enheter {year} (alternativ)"),
    _rule("near_optimal_differs", "start decisions", ">=", False, ("group",),
          "the alternative differs from plan {group}", "alternativet skiljer sig från plan {group}"),
)
# fmt: on
ROW_BLOCKS: dict[str, RowBlock] = {b.name: b for b in ROW_BLOCK_LIST}

# The shadow price's closing words, by language ({worth}: |dual|, MSEK).
SHADOW_WORTH = Wording(
    " lowers total cost by {worth} MSEK"
    " (with the chosen projects fixed, their start years relaxed to the LP)",
    " sänker den totala kostnaden med {worth} MSEK (med de valda projekten låsta)",
)


def shadow_price_meaning(key: RowKey, dual: float, lang: str = "en", unit: str = "unit") -> str:
    """What one more unit of a binding limit is worth, in words (``unit``: a service's unit)."""
    entry = ROW_BLOCKS[key.block]
    lead = key.words(entry.one_more, lang, unit=unit)
    return lead + shadow_worth(dual, lang)


def shadow_worth(dual: float, lang: str) -> str:
    """The closing words with |dual| as the reports write amounts: two significant digits at
    least, the language's separators, never an exponent (``.4g`` wrote 12 345 as 1.234e+04)."""
    from optimizer.report.i18n import format_significant  # formatting only: no report stack

    return SHADOW_WORTH.text(lang, False).format(worth=format_significant(abs(dual), 2, lang))


@dataclass(frozen=True)
class ConstraintBlock:
    """A constraint block module: the function the builder calls and the row blocks it writes."""

    name: str
    add: Callable[[Decisions], object]
    rows: tuple[str, ...]
    # written after the objective: its rows hold the objective itself (near-optimal cost slack)
    after_objective: bool = False


# In the order the builder calls them (the order of rows and columns in the model).
CONSTRAINT_BLOCKS = (
    ConstraintBlock("coverage", add_coverage, ("coverage", "neighbour_share")),
    ConstraintBlock("assets", add_assets, ("asset_fate", "asset_closure")),
    ConstraintBlock("duties", add_duties, ("duty",)),
    ConstraintBlock("horizon_end", add_horizon_end, ("terminal",)),
    ConstraintBlock("budget", add_budgets, ("budget", "department_budget")),
    ConstraintBlock("debt", add_debt, ("debt", "debt_ceiling")),
    ConstraintBlock(
        "finance",
        add_finance,
        (
            "result",
            "balance",
            "self_financing_rate",
            "period_self_financing",
            "debt_per_inhabitant",
        ),
    ),
    ConstraintBlock("precedence", add_precedence, ("precedence", "opens_with")),
    ConstraintBlock(
        "choice", add_choice, ("must_do", "units", "exclusive", "exclusive_built", "committed")
    ),
    ConstraintBlock("climate", add_climate, ("co2e_cap", "co2e_budget")),
    ConstraintBlock("staff", add_staff, ("staff",)),
    ConstraintBlock("delivery", add_delivery, ("delivery",)),
    ConstraintBlock("stability", add_stability, ("stability_added", "stability_kept")),
    ConstraintBlock(
        "frontier",
        add_measure_limits,
        tuple(f"frontier_{m}" for m in ("co2e", "shortfall", "budget", "debt", "score")),
    ),
    ConstraintBlock(
        "near_optimal",
        add_near_optimal,
        (
            "near_optimal_cost",
            "near_optimal_started",
            "near_optimal_started_all",
            "near_optimal_differs",
        ),
        after_objective=True,
    ),
)
# Row blocks the decisions themselves write (the running-sum form of S).
DECISION_ROWS = ("started_by_definition",)
