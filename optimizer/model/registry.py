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
ROW_BLOCK_LIST = (
    # Order matters only for tables: the diagnosis adds slack columns and the shadow-price
    # table lists equal prices in this order.
    RowBlock(
        "budget",
        _MSEK,
        "<=",
        True,
        ("pool", "year"),
        relaxable=True,
        elastic="upper",
        limit=Wording("the {pool} budget in {year}", "budgetramen för {pool} {year}"),
        one_more=Wording(
            "1 MSEK more in the {pool} budget for {year}",
            "1 MSEK mer i budgetramen {pool} för {year}",
        ),
        shadow_unit=Wording("MSEK of budget", "MSEK budget"),
    ),
    RowBlock(
        "department_budget",
        _MSEK,
        "<=",
        True,
        ("department", "year"),
        relaxable=True,
        elastic="upper",
        limit=Wording(
            "{department}'s investment ceiling in {year}",
            "investeringsramen för {department} {year}",
        ),
        one_more=Wording(
            "1 MSEK more in {department}'s ceiling for {year}",
            "1 MSEK mer i ramen för {department} {year}",
        ),
        shadow_unit=Wording("MSEK of department ceiling", "MSEK förvaltningsram"),
    ),
    RowBlock(
        "debt",
        _MSEK,
        ">=",
        True,
        ("year",),
        limit=Wording(
            "the debt at the end of {year} (debt before, plus borrowing, less self-financing)",
            "skulden vid slutet av {year} (skulden innan plus upplåning minus självfinansiering)",
        ),
    ),
    RowBlock(
        "debt_ceiling",
        _MSEK,
        "<=",
        True,
        ("year",),
        relaxable=True,
        elastic="upper",
        limit=Wording("the debt ceiling at the end of {year}", "skuldtaket vid slutet av {year}"),
        one_more=Wording(
            "1 MSEK more debt room at the end of {year}",
            "1 MSEK mer skuldutrymme vid slutet av {year}",
        ),
        shadow_unit=Wording("MSEK of debt ceiling", "MSEK skuldtak"),
    ),
    RowBlock(
        "result",
        _MSEK,
        "=",
        True,
        ("year",),
        limit=Wording(
            "the result in {year} (revenue less operating costs, depreciation and interest)",
            "resultatet {year} (intäkter minus driftkostnader, avskrivningar och räntor)",
        ),
    ),
    RowBlock(
        "balance",
        _MSEK,
        ">=",
        True,
        ("year",),
        relaxable=True,
        elastic="lower",
        limit=Wording(
            "the balance requirement (result target) in {year}",
            "balanskravet (resultatmålet) {year}",
        ),
        one_more=Wording(
            "1 MSEK less required result in {year}",
            "1 MSEK lägre krav på resultat {year}",
        ),
        shadow_unit=Wording("MSEK of required result", "MSEK resultatkrav"),
    ),
    RowBlock(
        "self_financing_rate",
        _MSEK,
        ">=",
        True,
        ("year",),
        relaxable=True,
        elastic="lower",
        limit=Wording(
            "the self-financing rate of investment in {year}",
            "självfinansieringsgraden för investeringarna {year}",
        ),
        one_more=Wording(
            "1 MSEK less self-financing required in {year}",
            "1 MSEK lägre krav på självfinansiering {year}",
        ),
        shadow_unit=Wording("MSEK of self-financing", "MSEK självfinansiering"),
    ),
    RowBlock(
        "period_self_financing",
        _MSEK,
        ">=",
        False,
        (),
        elastic="lower",
        limit=Wording(
            "the self-financing rate over the period",
            "självfinansieringsgraden över perioden",
        ),
        one_more=Wording(
            "1 MSEK less self-financing required over the period",
            "1 MSEK lägre krav på självfinansiering över perioden",
        ),
        shadow_unit=Wording("MSEK of self-financing", "MSEK självfinansiering"),
    ),
    RowBlock(
        "debt_per_inhabitant",
        _MSEK,
        "<=",
        True,
        ("year",),
        relaxable=True,
        elastic="upper",
        limit=Wording(
            "the debt per inhabitant at the end of {year}",
            "skulden per invånare vid slutet av {year}",
        ),
        one_more=Wording(
            "1 MSEK more debt room per inhabitant ceiling at the end of {year}",
            "1 MSEK mer skuldutrymme under taket per invånare vid slutet av {year}",
        ),
        shadow_unit=Wording("MSEK of debt room", "MSEK skuldutrymme"),
    ),
    RowBlock(
        "co2e_cap",
        "t CO2e",
        "<=",
        True,
        ("year",),
        relaxable=True,
        elastic="upper",
        limit=Wording(
            "the CO2e cap in {year} (after existing emissions)",
            "CO2e-taket {year} (efter befintliga utsläpp)",
        ),
        one_more=Wording("1 tonne CO2e more room in {year}", "1 ton CO2e mer utrymme {year}"),
        shadow_unit=Wording("tonne CO2e", "ton CO2e"),
    ),
    RowBlock(
        "co2e_budget",
        "t CO2e",
        "<=",
        False,
        (),
        elastic="upper",
        limit=Wording(
            "the cumulative CO2e budget (after existing emissions)",
            "den samlade koldioxidbudgeten (efter befintliga utsläpp)",
        ),
        one_more=Wording(
            "1 tonne CO2e more in the cumulative budget",
            "1 ton CO2e mer i den samlade koldioxidbudgeten",
        ),
        shadow_unit=Wording("tonne CO2e", "ton CO2e"),
    ),
    RowBlock(
        "coverage",
        "units of the service",
        ">=",
        True,
        ("service", "district", "year"),
        optional_fields=("district",),
        limit=Wording(
            "covering {service} in {district} in {year}",
            "täckningen av {service} i {district} {year}",
            short_en="covering {service} in {year}",
            short_sv="täckningen av {service} {year}",
        ),
        one_more=Wording(
            "1 {unit} more capacity for {service} in {district} in {year}",
            "1 {unit} mer kapacitet för {service} i {district} {year}",
            short_en="1 {unit} more capacity for {service} in {year}",
            short_sv="1 {unit} mer kapacitet för {service} {year}",
        ),
        shadow_unit=Wording("unit of capacity", "enhet kapacitet"),
    ),
    RowBlock(
        "neighbour_share",
        "units of the service",
        "<=",
        True,
        ("service", "district", "year"),
        limit=Wording(
            "the share of {service} in {district} that neighbouring districts may cover in {year}",
            "den andel av {service} i {district} som grannområden får täcka {year}",
        ),
    ),
    RowBlock(
        "duty",
        "units of the service",
        "<=",
        True,
        ("service", "district", "year"),
        optional_fields=("district",),
        elastic="upper",
        limit=Wording(
            "the legal duty to cover {service} in {district} in {year} (no shortfall)",
            "den lagstadgade skyldigheten att täcka {service} i {district} {year} (ingen brist)",
            short_en="the legal duty to cover {service} in {year} (no shortfall)",
            short_sv="den lagstadgade skyldigheten att täcka {service} {year} (ingen brist)",
        ),
        one_more=Wording(
            "1 {unit} of {service} in {district} allowed uncovered in {year} despite the legal "
            "duty",
            "1 {unit} {service} i {district} som fick lämnas otäckt {year} trots den "
            "lagstadgade skyldigheten",
            short_en="1 {unit} of {service} allowed uncovered in {year} despite the legal duty",
            short_sv="1 {unit} {service} som fick lämnas otäckt {year} trots den lagstadgade "
            "skyldigheten",
        ),
        shadow_unit=Wording("unit of the duty", "enhet av skyldigheten"),
    ),
    RowBlock(
        "terminal",
        "units of the service",
        "<=",
        False,
        ("service", "district"),
        optional_fields=("district",),
        elastic="upper",
        limit=Wording(
            "capacity standing at the end of the horizon for {service} in {district} "
            "(terminal condition: no shortfall or emergency option in the last year)",
            "kapacitet som står kvar vid planperiodens slut för {service} i {district} "
            "(slutvillkor: ingen brist eller nödlösning sista året)",
            short_en="capacity standing at the end of the horizon for {service} "
            "(terminal condition: no shortfall or emergency option in the last year)",
            short_sv="kapacitet som står kvar vid planperiodens slut för {service} "
            "(slutvillkor: ingen brist eller nödlösning sista året)",
        ),
        one_more=Wording(
            "1 {unit} of {service} in {district} allowed short at the end of the horizon",
            "1 {unit} {service} i {district} som fick saknas vid planperiodens slut",
            short_en="1 {unit} of {service} allowed short at the end of the horizon",
            short_sv="1 {unit} {service} som fick saknas vid planperiodens slut",
        ),
        shadow_unit=Wording("unit of the terminal condition", "enhet av slutvillkoret"),
    ),
    RowBlock(
        "asset_fate",
        "decisions",
        "<=",
        False,
        ("asset",),
        limit=Wording(
            "one fate for {asset} (closed early or renovated, not both)",
            "ett öde för {asset} (stängs i förtid eller renoveras, inte båda)",
        ),
    ),
    RowBlock(
        "asset_closure",
        "closures",
        ">=",
        False,
        ("asset",),
        limit=Wording(
            "the closure of {asset} at the end of its life unless renovated in time",
            "avvecklingen av {asset} när den är uttjänt, om den inte renoveras i tid",
        ),
    ),
    RowBlock(
        "staff",
        "FTE",
        "<=",
        True,
        ("department", "year"),
        relaxable=True,
        elastic="upper",
        limit=Wording(
            "the staff {department} can recruit by {year}",
            "den personal {department} kan rekrytera till {year}",
        ),
        one_more=Wording(
            "1 FTE more recruitable in {department} by {year}",
            "1 åa mer rekryterbart i {department} till {year}",
        ),
        shadow_unit=Wording("FTE", "åa"),
    ),
    RowBlock(
        "delivery",
        "projects",
        "<=",
        True,
        ("department", "year"),
        optional_fields=("department",),
        relaxable=True,
        elastic="upper",
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
        shadow_unit=Wording("project slot", "projektplats"),
    ),
    RowBlock(
        "must_do",
        "project",
        "range",
        False,
        ("candidate",),
        elastic="lower",
        limit=Wording("must-do project {candidate}", "måsteprojektet {candidate}"),
    ),
    RowBlock(
        "units",
        "units",
        "<=",
        False,
        ("candidate",),
        limit=Wording(
            "the units of {candidate} that can be built", "de enheter av {candidate} som kan byggas"
        ),
    ),
    RowBlock(
        "exclusive",
        "projects",
        "<=",
        False,
        ("group",),
        limit=Wording(
            "at most one candidate of the group {group}", "högst en kandidat ur gruppen {group}"
        ),
    ),
    RowBlock(
        "exclusive_built",
        "units",
        "<=",
        False,
        ("candidate",),
        limit=Wording(
            "{candidate} counted once in its exclusive group",
            "{candidate} räknas en gång i sin uteslutande grupp",
        ),
    ),
    RowBlock(
        "committed",
        "project",
        ">=",
        False,
        ("candidate",),
        elastic="lower",
        limit=Wording(
            "the committed start of {candidate}", "den beslutade byggstarten för {candidate}"
        ),
    ),
    RowBlock(
        "precedence",
        "units",
        "<=",
        True,
        ("candidate", "requires", "year"),
        limit=Wording(
            "{candidate} started by {year} only once {requires} is in service",
            "{candidate} startad senast {year} bara när {requires} är i drift",
        ),
    ),
    RowBlock(
        "opens_with",
        "units",
        "<=",
        True,
        ("candidate", "requires", "year"),
        limit=Wording(
            "{candidate} in service in {year} only with {requires} in service",
            "{candidate} i drift {year} bara med {requires} i drift",
        ),
    ),
    RowBlock(
        "started_by_definition",
        "units",
        "=",
        True,
        ("candidate", "year"),
        limit=Wording(
            "the units of {candidate} started by {year}",
            "de enheter av {candidate} som startats till och med {year}",
        ),
    ),
    RowBlock(
        "stability_added",
        "candidates changed",
        ">=",
        False,
        ("candidate",),
        limit=Wording(
            "changes to {candidate} against the adopted plan",
            "ändringar av {candidate} mot den antagna planen",
        ),
    ),
    RowBlock(
        "stability_kept",
        "candidates changed",
        ">=",
        False,
        ("candidate", "year"),
        limit=Wording(
            "the adopted start of {candidate} in {year}",
            "den antagna starten av {candidate} {year}",
        ),
    ),
    # trade-offs (model/tradeoff.py): a frontier's epsilon limits, an alternative's cost slack
    RowBlock(
        "frontier_co2e",
        "t CO2e",
        "<=",
        False,
        (),
        limit=Wording("the frontier's CO2e limit", "frontens CO2e-gräns"),
    ),
    RowBlock(
        "frontier_shortfall",
        "unit-years",
        "<=",
        False,
        (),
        limit=Wording("the frontier's shortfall limit", "frontens gräns för brist"),
    ),
    RowBlock(
        "frontier_budget",
        _MSEK,
        "<=",
        False,
        (),
        limit=Wording("the frontier's investment limit", "frontens investeringsgräns"),
    ),
    RowBlock(
        "frontier_debt",
        _MSEK,
        "<=",
        True,
        ("year",),
        limit=Wording("the frontier's debt limit in {year}", "frontens skuldgräns {year}"),
    ),
    RowBlock(
        "frontier_score",
        "points",
        ">=",
        False,
        (),
        limit=Wording("the frontier's score floor", "frontens lägsta poäng"),
    ),
    RowBlock(
        "near_optimal_cost",
        _MSEK,
        "<=",
        False,
        (),
        limit=Wording("the cost slack of the alternatives", "alternativens kostnadsmarginal"),
    ),
    RowBlock(
        "near_optimal_started",
        "units",
        ">=",
        False,
        ("candidate", "year"),
        limit=Wording(
            "whether {candidate} starts in {year} (alternatives)",
            "om {candidate} startar {year} (alternativ)",
        ),
    ),
    RowBlock(
        "near_optimal_started_all",
        "units",
        "<=",
        False,
        ("candidate", "year"),
        limit=Wording(
            "whether {candidate} starts units in {year} (alternatives)",
            "om {candidate} startar enheter {year} (alternativ)",
        ),
    ),
    RowBlock(
        "near_optimal_differs",
        "start decisions",
        ">=",
        False,
        ("group",),
        limit=Wording(
            "the alternative differs from plan {group}",
            "alternativet skiljer sig från plan {group}",
        ),
    ),
)
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
    worth = f"{abs(dual):.4g}"
    if lang == "sv":
        worth = worth.replace(".", ",")
    lead = key.words(entry.one_more, lang, unit=unit)
    return lead + SHADOW_WORTH.text(lang, False).format(worth=worth)


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
