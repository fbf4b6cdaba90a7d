"""Every constraint block has hand-checkable cases (``tests/test_block_<block>.py``) and every
row block a model writes has its entry in the registry (optimizer/model/registry.py)."""

from __future__ import annotations

import importlib
from dataclasses import replace
from pathlib import Path

import pytest
from blocks import RUNNING_SUMS
from scenario_factory import RawTiny

from optimizer.data import build_data
from optimizer.model import build
from optimizer.model.registry import CONSTRAINT_BLOCKS, DECISION_ROWS, ROW_BLOCKS, RowKey

TESTS = Path(__file__).resolve().parent


def all_cases() -> dict:
    """The CASES of every block test module, by case name."""
    cases = {}
    for path in sorted(TESTS.glob("test_block_*.py")):
        module = importlib.import_module(path.stem)
        cases.update(getattr(module, "CASES", {}))
    return cases


def test_every_constraint_block_has_a_case() -> None:
    covered = {case.block for case in all_cases().values()}
    missing = {block.name for block in CONSTRAINT_BLOCKS} - covered
    assert not missing, f"constraint blocks without a hand-checkable test: {sorted(missing)}"


def test_every_row_block_has_a_registry_entry() -> None:
    """Each row block a model writes is in the registry and declared by the block writing it."""
    from test_block_choice import modules_grouped
    from test_block_coverage import two_districts

    declared = {row: block.name for block in CONSTRAINT_BLOCKS for row in block.rows}
    declared |= {row: "decisions" for row in DECISION_ROWS}
    assert sorted(declared) == sorted(ROW_BLOCKS), "registry and constraint blocks disagree"
    scenarios = [(two_districts(0.5), None), (modules_grouped(RawTiny()).scenario(), None)]
    scenarios += [(case.scenario(), case.options) for case in all_cases().values()]
    written = set()
    for scenario, options in scenarios:
        data = build_data(scenario)
        for running_sum in RUNNING_SUMS:
            built = build(data, replace(options, running_sum=running_sum) if options else None)
            unknown = set(built.model.row_blocks) - set(ROW_BLOCKS)
            assert not unknown, f"row blocks without a registry entry: {sorted(unknown)}"
            written |= set(built.model.row_blocks)
    assert written == set(ROW_BLOCKS), f"registered but never written: {set(ROW_BLOCKS) - written}"


def _filled(entry, wording, lang: str, short: bool) -> tuple[str, dict]:
    """The wording filled in with a key whose every field is recognisable."""
    from optimizer.model.registry import RowKey

    fields = [f for f in entry.key_fields if not (short and f in entry.optional_fields)]
    values = {f: (2031 if f == "year" else f"<{f}>") for f in fields}
    return RowKey(entry.name, **values).words(wording, lang, unit="<unit>"), values


def test_every_row_block_reads_well_in_swedish_and_english() -> None:
    """Each row block says what it is (``limit``: diagnoses, checks) in both languages, and
    each with a shadow price says what one more unit is (``one_more``) and in what unit. Both
    name every field of the key (the row is identifiable); a key without its optional field
    (a municipality-wide service) has its own short form, without gaps or empty brackets."""
    from optimizer.model.registry import LANGUAGES, ROW_BLOCK_LIST, SHADOW_WORTH

    problems = []
    for entry in ROW_BLOCK_LIST:
        if entry.limit is None:
            problems.append(f"{entry.name}: no wording (limit)")
            continue
        if (entry.one_more is None) != (entry.shadow_unit is None):
            problems.append(f"{entry.name}: a shadow price needs both one_more and shadow_unit")
        wordings = {"limit": entry.limit, "one_more": entry.one_more}
        for kind, wording in wordings.items():
            if wording is None:
                continue
            for short in (False, True) if entry.optional_fields else (False,):
                texts = {}
                for lang in LANGUAGES:
                    text, values = _filled(entry, wording, lang, short)
                    texts[lang] = text
                    where = f"{entry.name}.{kind}{' (short)' if short else ''} [{lang}]"
                    if not text.strip() or "{" in text or "  " in text or "()" in text:
                        problems.append(f"{where}: reads badly: {text!r}")
                    missing = [f for f, v in values.items() if str(v) not in text]
                    if missing:
                        problems.append(f"{where}: does not name {missing}: {text!r}")
                if texts["en"] == texts["sv"]:
                    problems.append(f"{entry.name}.{kind}: Swedish is a copy of English")
        if entry.shadow_unit is not None:
            for lang in LANGUAGES:
                if not entry.shadow_unit.text(lang, False).strip():
                    problems.append(f"{entry.name}.shadow_unit [{lang}]: empty")
    for lang in LANGUAGES:
        assert "{worth}" in SHADOW_WORTH.text(lang, False)
    assert not problems, "\n".join(problems)


def test_every_limit_a_diagnosis_can_name_has_swedish_words() -> None:
    """A diagnosis names the limit that gives way in the report language (--lang sv default)."""
    elastic = [entry for entry in ROW_BLOCKS.values() if entry.elastic]
    assert elastic
    missing = [e.name for e in elastic if e.limit is None or not e.limit.sv]
    missing += [
        e.name for e in elastic if e.optional_fields and e.limit.short_en and not e.limit.short_sv
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("dual", "lang", "worth"),
    [
        (-2.2291, "sv", "med 2,23 MSEK"),
        (0.77291, "sv", "med 0,77 MSEK"),
        (0.006, "sv", "med 0,006 MSEK"),
        (12345.6, "sv", "med 12\u00a0345,6 MSEK"),
        (12345.6, "en", "by 12,345.6 MSEK"),
    ],
)
def test_a_shadow_price_reads_as_the_reports_write_amounts(dual, lang, worth):
    """The worth of one more unit is written like every other amount of the reports: two
    significant digits at least, the language's separators, never an exponent (``.4g`` wrote
    12 345 as '1.235e+04' and 2.229 next to 0.7729 in the same list)."""
    from optimizer.model.registry import shadow_price_meaning

    text = shadow_price_meaning(RowKey("budget", pool="tax", year=2028), dual, lang)
    assert worth in text
    assert "e+" not in text


def test_a_limit_in_row_blocks_toml_implies_its_elastic_side_and_replan_lifting() -> None:
    """The file says ``kind = "limit"``; the loader gives it what a limit is (docs in the file's
    header): a diagnosis may break its hard side, a replan lifts it in years that are history,
    and the legal duty overrides that (``relaxable = false``)."""
    assert ROW_BLOCKS["budget"].elastic == "upper" and ROW_BLOCKS["budget"].relaxable
    assert ROW_BLOCKS["balance"].elastic == "lower" and ROW_BLOCKS["balance"].relaxable
    assert not ROW_BLOCKS["co2e_budget"].relaxable  # not yearly: nothing to lift by year
    assert ROW_BLOCKS["duty"].elastic == "upper" and not ROW_BLOCKS["duty"].relaxable
    assert ROW_BLOCKS["coverage"].elastic is None and ROW_BLOCKS["coverage"].shadow_unit
    assert ROW_BLOCKS["debt"].elastic is None and ROW_BLOCKS["debt"].shadow_unit is None
    assert ROW_BLOCKS["must_do"].elastic == "lower"
    # a municipality-wide service reads without its district
    assert ROW_BLOCKS["coverage"].limit.short_sv == "täckningen av {service} {year}"


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ({"kind": "limt", "limit": {}}, "kind 'limt'"),
        ({"kind": "rule", "limits": {}}, "unknown keys ['limits']"),
        ({"kind": "limit", "limit": {"en": "a", "sv": "b"}}, "a limit has the wordings"),
    ],
)
def test_a_slip_in_row_blocks_toml_is_named(table, words) -> None:
    from optimizer.model.registry import _row_block

    table = {"unit": "MSEK", "sense": "<=", "key": ["year"], **table}
    with pytest.raises(ValueError, match=r"row_blocks.toml \[x\]") as raised:
        _row_block("x", table)
    assert words in str(raised.value)
