"""What every row block of the model means, written once (docs/model.md).

For each row block (the table is ``row_blocks.toml`` beside this module, data that translators
can edit): its unit, sense, whether it is yearly, whether it can be relaxed (years that are
history in a replan) or made elastic (diagnosis of an infeasible scenario), the fields of its
key, and how to say it in Swedish and English. The model, the shadow-price table, the
diagnosis, the replan and the reports all read this table; none of them parses a row name
such as ``budget[tax,2028]`` back: keys travel as ``RowKey`` (block, pool, department, …).

``CONSTRAINT_BLOCKS`` lists the constraint block modules in the order the builder calls them,
each with the row blocks it writes. Adding a constraint block means: its module, its entry
here and its rows' tables in ``row_blocks.toml``, its test module ``tests/test_block_<block>.py`` (``tests/test_model_registry.py`` fails
when one of them is missing).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
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


_KINDS = ("limit", "priced", "rule")
_TABLE_KEYS = {"kind", "unit", "sense", "key", "yearly", "optional", "relaxable", "elastic"}
_WORDINGS = ("limit", "one_more", "shadow_unit")


def _wording(words: dict[str, str], optional: tuple[str, ...]) -> Wording:
    """A wording from its table; a row whose district is optional reads without
    "in {district}" when the key has none (a municipality-wide service)."""
    short_en, short_sv = words.get("short_en", ""), words.get("short_sv", "")
    if "district" in optional and "{district}" in words["en"] and not (short_en or short_sv):
        short_en = words["en"].replace(" in {district}", "")
        short_sv = words["sv"].replace(" i {district}", "")
    return Wording(words["en"], words["sv"], short_en=short_en, short_sv=short_sv)


def _row_block(name: str, table: dict) -> RowBlock:
    """One row block from its table in row_blocks.toml, with what its ``kind`` implies (the
    file's header says what each kind means)."""
    kind = table["kind"]
    unknown = set(table) - _TABLE_KEYS - set(_WORDINGS)
    if kind not in _KINDS or unknown:
        raise ValueError(f"row_blocks.toml [{name}]: kind {kind!r}, unknown keys {sorted(unknown)}")
    yearly = table.get("yearly", True)
    optional = tuple(table.get("optional", ()))
    limit_like = kind == "limit"
    implied_elastic = ("upper" if table["sense"] == "<=" else "lower") if limit_like else None
    words = {w: _wording(table[w], optional) for w in _WORDINGS if w in table}
    if set(words) != ({"limit"} if kind == "rule" else set(_WORDINGS)):
        raise ValueError(f"row_blocks.toml [{name}]: a {kind} has the wordings {_WORDINGS}")
    return RowBlock(
        name,
        table["unit"],
        table["sense"],
        yearly,
        tuple(table["key"]),
        optional_fields=optional,
        relaxable=table.get("relaxable", yearly and limit_like),
        elastic=table.get("elastic", implied_elastic),
        **words,
    )


def _load_row_blocks() -> tuple[RowBlock, ...]:
    text = resources.files("optimizer.model").joinpath("row_blocks.toml").read_text("utf-8")
    return tuple(_row_block(name, table) for name, table in tomllib.loads(text).items())


# In the file's order: the diagnosis adds slack columns and the shadow-price table lists equal
# prices in this order.
ROW_BLOCK_LIST = _load_row_blocks()
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
