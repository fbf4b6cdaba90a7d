"""Pydantic models of a scenario: the one place where input is typed and validated.

A scenario is read once, at the boundary (``optimizer.io``), into these models. Everything
downstream (demand, arrays, model, checker, reports) trusts them. Field descriptions carry
units; ``docs/scenario-format.md`` documents the same fields for people who edit scenarios.

Money is MSEK at fixed (real) prices, CO2e in tonnes, staff in full-time equivalents (FTE),
years are calendar years.

The models live in three modules: ``cells`` (field kinds, parsers, magnitudes), ``settings``
(scenario.toml) and ``tables`` (one row model per table). The models, magnitudes and parsers
are importable from here; the field kinds (``Msek``, ``OptYear``, …), which only the models
use, are imported from ``cells`` where a model is declared.
"""

from __future__ import annotations

from optimizer.schema.cells import (  # noqa: F401
    CAPACITY,
    CO2E,
    FACTOR,
    FTE,
    MAX_COUNT,
    MAX_YEAR,
    MIN_YEAR,
    MSEK,
    PEOPLE,
    RATE,
    ROW_PROBLEMS,
    SCORE,
    SEK_PER_T,
    Magnitude,
    RowRuleError,
    _blank,
    parse_bool,
    parse_int,
    parse_list,
    parse_number,
    parse_number_list,
    parse_text,
)
from optimizer.schema.settings import (  # noqa: F401
    MAX_SEED,
    MAX_THREADS,
    MAX_TIME_LIMIT,
    REQUIRED_TABLES,
    TABLE_NAMES,
    Climate,
    Criterion,
    Debt,
    Department,
    District,
    Finance,
    FundingPool,
    Horizon,
    Replan,
    ScenarioInfo,
    Service,
    Settings,
    SolverSettings,
    Variant,
)
from optimizer.schema.tables import (  # noqa: F401
    DEPENDENCY_KINDS,
    EMERGENCY_KINDS,
    ROW_MODELS,
    BudgetRow,
    Candidate,
    CandidateCapacity,
    DepartmentBudgetRow,
    Dependency,
    DependencyKind,
    EmergencyOption,
    ExistingAsset,
    OtherInvestmentRow,
    PolicyYearRow,
    PopulationRow,
    StaffRow,
)
