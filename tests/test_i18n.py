"""The one dictionary of report wording (optimizer/report/i18n.py): every key used anywhere in
the code is there in Swedish and in English, with the same fields, and numbers read right.

A key is "used" when the source calls ``t("key")`` (or ``t("key", field=...)``), names it as
a table column (``table_columns("a b c")`` and its ``headers``), as a sheet (``sheet_title``,
``PLAN_SHEETS``), or builds it from a status or a unit; the walk reads the source, so a new
report that forgets a translation fails here, not in front of a council.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from optimizer.report.excel import PLAN_SHEETS
from optimizer.report.i18n import (
    LANGUAGES,
    TEXT,
    format_significant,
    translator,
    unit_name,
)
from optimizer.status import Status

SOURCE = Path(__file__).resolve().parents[1] / "optimizer"
T_CALL = re.compile(r"""\bt\(\s*["']([A-Za-z0-9_:/]+)["']""")
SHEET = re.compile(r"""sheet_title\(\s*t\s*,\s*["']([A-Za-z0-9_]+)["']""")
COLUMNS = re.compile(r"""table_columns\(\s*["']([^"']+)["']""")
HEADERS = re.compile(r"""headers=\{([^}]*)\}""")
QUOTED = re.compile(r"""["']([A-Za-z0-9_]+)["']""")


def used_keys() -> dict[str, str]:
    """Every literal key the code looks up, with the file that uses it."""
    used: dict[str, str] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        where = str(path.relative_to(SOURCE.parent))
        for pattern in (T_CALL, SHEET):
            for key in pattern.findall(text):
                used.setdefault(key, where)
        for columns in COLUMNS.findall(text):
            for key in columns.split():
                used.setdefault(key, where)
        for mapping in HEADERS.findall(text):
            for key in QUOTED.findall(mapping)[1::2]:  # {"column": "header key", ...}
                used.setdefault(key, where)
    for key in PLAN_SHEETS:
        used.setdefault(key, "optimizer/report/excel.py (PLAN_SHEETS)")
    for status in Status:  # status_sentence: t(f"status_{status}{suffix}")
        for suffix in ("", "_short"):
            used.setdefault(f"status_{status}{suffix}", "optimizer/report/i18n.py")
    return used


def test_the_walk_finds_the_keys_of_every_report() -> None:
    used = used_keys()
    # one key of each way of using one, so that a broken pattern cannot pass silently
    assert {"plan_report", "compare_report", "coverage_by_district", "sheet_metrics"} <= set(used)
    assert {"utilisation", "debt_msek", "spare", "status_infeasible_short"} <= set(used)
    assert len(used) > 150


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_key_used_is_in_the_dictionary(lang: str) -> None:
    missing = {key: where for key, where in used_keys().items() if key not in TEXT[lang]}
    assert missing == {}


def test_both_languages_have_the_same_keys() -> None:
    assert sorted(set(TEXT["en"]) - set(TEXT["sv"])) == []
    assert sorted(set(TEXT["sv"]) - set(TEXT["en"])) == []


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_fill_in_the_same_fields() -> None:
    differ = {
        key: (_fields(TEXT["en"][key]), _fields(TEXT["sv"][key]))
        for key in TEXT["en"]
        if key in TEXT["sv"] and _fields(TEXT["en"][key]) != _fields(TEXT["sv"][key])
    }
    assert differ == {}


def test_no_text_is_empty() -> None:
    assert [(lang, k) for lang in LANGUAGES for k, v in TEXT[lang].items() if not v.strip()] == []


def test_units_are_swedish_in_swedish() -> None:
    assert [unit_name(u, "sv") for u in ("places", "apartments", "pe", "hours/week")] == [
        "platser",
        "lägenheter",
        "pe",
        "timmar/vecka",
    ]
    assert unit_name("places", "sv", one=True) == "plats"
    assert unit_name("places", "en") == "places"
    assert unit_name("kWh", "sv") == "kWh"  # a unit the dictionary does not know: as written


def test_small_costs_keep_their_significant_digits() -> None:
    """The assumptions list once rounded 0.006 and 0.012 MSEK both to '0,01'."""
    assert format_significant(0.006, 2, "sv") == "0,006"
    assert format_significant(0.012, 2, "sv") == "0,012"
    assert format_significant(0.25, 2, "sv") == "0,25"
    assert format_significant(12.5, 2, "en") == "12.5"
    assert format_significant(1500, 2, "sv") == "1\u00a0500"


def test_translator_fills_in_a_district_sentence() -> None:
    t = translator("sv")
    assert (
        t("district_shortfall", amount="40", unit="platser", district="Lövsta", year=2029)
        == "brist 40 platser i Lövsta 2029"
    )
    assert t("district_spare", amount="60", unit="platser", district="Centrum") == (
        "60 lediga platser i Centrum"
    )


def test_a_sentence_field_may_be_called_key():
    """replan's detail 'row <key> added' has a field named key: it must not clash with the
    sentence's own key (a TypeError stopped replan when a candidate was added)."""
    from optimizer.report.i18n import said

    assert said("reason_row_added", table="candidates", key="PS-X") == {
        "sv": "candidates: rad PS-X tillagd",
        "en": "candidates: row PS-X added",
    }
