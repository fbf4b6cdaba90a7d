"""Cells and numbers: what a spreadsheet user writes -> typed, sane Python values.

Every field kind of the scenario (MSEK, people, capacity, years, …) is declared here once, with
its parser and its largest sane magnitude; ``settings`` and ``tables`` build their models from
these kinds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
)


# --------------------------------------------------------------------------------------
# Cell parsers: what a spreadsheet user writes -> Python values.
# --------------------------------------------------------------------------------------
def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN from pandas/openpyxl
        return True
    return isinstance(value, str) and value.strip() == ""


def parse_number(value: Any) -> Any:
    """Accept Swedish and English spellings: ``1 234,5``, ``1234.5``, ``0,87``, ``-3``."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError("expected a number, not true/false")
    if isinstance(value, int | float):
        if not math.isfinite(value):  # nan/inf from a workbook cell or JSON
            raise ValueError(f"'{value}' is not a finite number")
        return value
    if isinstance(value, date | time):  # a workbook cell formatted as a date
        if isinstance(value, datetime) and value.time() == time():
            value = value.date()
        raise ValueError(f"'{value}' is a date, not a number; format the cell as a number")
    # any space groups thousands: a plain, no-break, narrow no-break, thin or figure space (the
    # last three are what Numbers, LibreOffice and Word put in a Swedish '12 500')
    text = "".join(str(value).split())
    text = text.replace("\u2212", "-")  # typographic minus from Word/Excel
    if text.startswith("="):
        raise ValueError(f"'{value}' is a formula; save the value, not the formula")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"'{value}' is not a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"'{value}' is not a finite number")
    return number


def parse_share(value: Any) -> Any:
    """A share of a whole (0-1). ``50%`` is refused with the share to write instead, never taken
    silently: the scenario format has no percent cells, and 50 would read as 5000 %."""
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            percent = parse_number(value.strip()[:-1])
        except ValueError:
            percent = None
        if isinstance(percent, int | float):
            raise ValueError(
                f"'{value}' is a percentage, not a share; write {percent / 100:g} for {percent:g} %"
            )
    return parse_number(value)


def parse_int(value: Any) -> Any:
    number = parse_number(value)
    if number is None:
        return None
    if float(number) != int(number):
        raise ValueError(f"'{value}' must be a whole number")
    return int(number)


def parse_bool(value: Any) -> Any:
    if _blank(value):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in {"1", "yes", "y", "true", "ja", "j", "sant", "x"}:
        return True
    if text in {"0", "no", "n", "false", "nej", "falskt"}:
        return False
    raise ValueError(f"'{value}' is not yes/no (use yes, no, ja, nej, 1 or 0)")


def parse_text(value: Any) -> Any:
    if _blank(value):
        return None
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value).strip()


def parse_list(value: Any) -> Any:
    """Lists inside one cell are separated by ``|`` (``;`` and ``,`` are CSV separators)."""
    if _blank(value):
        return []
    if isinstance(value, list):
        return value
    return [part.strip() for part in str(value).split("|") if part.strip()]


def parse_number_list(value: Any) -> Any:
    return [parse_number(part) for part in parse_list(value)]


# --------------------------------------------------------------------------------------
# Sane magnitudes: one rule for every number at the boundary.
#
# Every float of every model must be finite (``allow_inf_nan=False`` in ``_Strict``: TOML and
# JSON both accept ``nan`` and ``inf``), and each kind of quantity has a largest sane absolute
# value. Beyond it a number is a typo or a unit slip (kronor typed for MSEK), and the solver
# would only come back with "no solution in time" or a plan built on rounding noise.
# docs/scenario-format.md ("Numbers") lists the same limits; they are generated from here.
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Magnitude:
    """|value| ≤ ``limit`` for one kind of quantity; used as a pydantic after-validator."""

    kind: str
    limit: float
    unit: str
    hint: str = ""

    def __call__(self, value: Any) -> Any:
        if value is not None and abs(value) > self.limit:
            # the number in full, grouped as the limit is: '240 000 000' shows the kronor a
            # '2.4e+08' hid (an exponent only where the number has more digits than a float)
            raise ValueError(
                f"'{value:,.15g}' is beyond the sane range of {self.kind}: at most "
                f"{self.limit:,.0f} {self.unit} either way{self.hint}".replace(",", " ")
            )
        return value

    def text(self) -> str:
        """How the limit reads in the documentation: '\\|x\\| ≤ 1 000 000 MSEK'."""
        return f"|x| ≤ {self.limit:,.0f} {self.unit}".replace(",", " ")


MSEK = Magnitude(
    "an amount of money",
    1_000_000,
    "MSEK",
    " (amounts are in MSEK: was it typed in kronor?)",
)
PEOPLE = Magnitude("a population count", 10_000_000, "inhabitants")
CAPACITY = Magnitude("a capacity or need", 10_000_000, "units of the service")
RATE = Magnitude("a rate per inhabitant", 1_000, "units per inhabitant")
FTE = Magnitude("staff", 1_000_000, "FTE")
CO2E = Magnitude("an amount of CO2e", 1_000_000_000, "tonnes")
SEK_PER_T = Magnitude("a carbon price", 1_000_000, "SEK per tonne")
SCORE = Magnitude("a value score", 1_000_000, "points")
FACTOR = Magnitude("a factor or weight", 1_000, "")
MIN_YEAR, MAX_YEAR = 1900, 2200
MAX_COUNT = 10_000  # projects under construction at once

Number = Annotated[float, BeforeValidator(parse_number)]
OptNumber = Annotated[float | None, BeforeValidator(parse_number)]
Int = Annotated[int, BeforeValidator(parse_int)]
OptInt = Annotated[int | None, BeforeValidator(parse_int)]
Msek = Annotated[float, BeforeValidator(parse_number), AfterValidator(MSEK)]
OptMsek = Annotated[float | None, BeforeValidator(parse_number), AfterValidator(MSEK)]
People = Annotated[float, BeforeValidator(parse_number), AfterValidator(PEOPLE)]
Capacity = Annotated[float, BeforeValidator(parse_number), AfterValidator(CAPACITY)]
Rate = Annotated[float, AfterValidator(RATE)]
Staff = Annotated[float, BeforeValidator(parse_number), AfterValidator(FTE)]
Co2e = Annotated[float, BeforeValidator(parse_number), AfterValidator(CO2E)]
OptCo2e = Annotated[float | None, BeforeValidator(parse_number), AfterValidator(CO2E)]
Score = Annotated[float, BeforeValidator(parse_number), AfterValidator(SCORE)]
Year = Annotated[int, BeforeValidator(parse_int), Field(ge=MIN_YEAR, le=MAX_YEAR)]
OptYear = Annotated[int | None, BeforeValidator(parse_int), Field(ge=MIN_YEAR, le=MAX_YEAR)]
OptCount = Annotated[int | None, BeforeValidator(parse_int), Field(ge=0, le=MAX_COUNT)]
Share = Annotated[float, BeforeValidator(parse_share), Field(ge=0, le=1)]  # of a whole
# The same kinds in scenario.toml, where TOML already types the values.
MsekSetting = Annotated[float, AfterValidator(MSEK)]
OptMsekSetting = Annotated[float | None, AfterValidator(MSEK)]
CapacitySetting = Annotated[float, AfterValidator(CAPACITY)]
Co2eSetting = Annotated[float | None, AfterValidator(CO2E)]
FactorSetting = Annotated[float, AfterValidator(FACTOR)]
ShareSetting = Annotated[float, Field(ge=0, le=1)]
YearSetting = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]
OptYearSetting = Annotated[int | None, Field(ge=MIN_YEAR, le=MAX_YEAR)]
Flag = Annotated[bool, BeforeValidator(parse_bool)]
Text = Annotated[str, BeforeValidator(parse_text)]
OptText = Annotated[str | None, BeforeValidator(parse_text)]
TextList = Annotated[list[str], BeforeValidator(parse_list)]
NumberList = Annotated[list[float], BeforeValidator(parse_number_list)]


class _Strict(BaseModel):
    # allow_inf_nan=False: the finite-number rule for every float field (see Magnitude above)
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False
    )


# --------------------------------------------------------------------------------------
# Rules of one row (or of the settings as a whole), beside the fields they read.
# --------------------------------------------------------------------------------------
PROFILE_TOLERANCE = 1e-6
ROW_PROBLEMS = "row_problems"  # validation context key: where the loader collects rule problems


class RowRuleError(ValueError):
    """A row broke its own rules: (field, message) pairs."""

    def __init__(self, found: list[tuple[str, str]]):
        self.found = found
        super().__init__("; ".join(f"{name}: {message}" for name, message in found))


def _report(info: ValidationInfo, found: list[tuple[str, str]]) -> None:
    """Raise what a row rule found, or hand it to the loader (``optimizer.validate``), which
    keeps the row, all of whose cells are valid, for the rules across tables (no "unknown
    candidate" because a spend profile sums to 0.9) and returns no ``Scenario`` then."""
    if not found:
        return
    sink = info.context.get(ROW_PROBLEMS) if isinstance(info.context, dict) else None
    if sink is None:
        raise RowRuleError(found)
    sink.extend(found)
