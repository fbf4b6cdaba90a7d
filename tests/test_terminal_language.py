"""The terminal speaks the report language (``--lang``, Swedish by default) like plan.xlsx and
report.html: every heading, column and number of ``capplan run`` and ``capplan compare`` on
tiny (replan: tests/test_replan.py). Numbers as in the reports: decimal comma in Swedish."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from scenario_edits import copy_tiny, edit_toml, run_cli, set_cell
from scenario_factory import TINY

NBSP = "\u00a0"

RUN_WORDS = {
    "sv": [
        "Tiny — variant base, lösare highs",
        "Status: optimal (bevisad)",
        "Nuvärde av kostnader: 12,5 MSEK",
        "Tidsplan (4 investeringar)",
        "┃ projekt ┃ namn",
        "┃ förv. ┃ antal ┃ start ┃ i drift ┃ invest. MSEK ┃",
        "│ 10,0 │",
        "Stängningar (1)",
        "Old preschool stängs 2029, 40 platser (uttjänt)",
        "Täckning per verksamhet (över horisonten)",
        "┃ verksamhet ┃ enhet ┃ högsta behov ┃ kapacitet vid slutet ┃ brist enhetsår ┃ år med brist ┃",
        "│ Preschool places │ platser │",  # services and pools by their names
        "Budgetutnyttjande: hela ramen, kandidater + övriga (netto efter bidrag, MSEK)",
        "┃ finansiering ┃ kandidater ┃ övriga ┃ ram ┃ utnyttjat ┃ snävaste år ┃",
        f"│ Tax-financed │ 18,0 │ 0,0 │ 40,0 │ 45{NBSP}% │ 2028 (75{NBSP}%) │",
        "Nyckeltal per år",
    ],
    "en": [
        "Tiny — variant base, solver highs",
        "Status: optimal (proven)",
        "Present value of cost: 12.5 MSEK",
        "Schedule (4 investments)",
        "┃ candidate ┃ name",
        "┃ dept ┃ units ┃ start ┃ in service ┃ capex MSEK ┃",
        "│ 10.0 │",
        "Closures (1)",
        "Old preschool closes 2029, 40 places (end of life)",
        "Coverage per service (over the horizon)",
        "┃ service ┃ unit ┃ peak demand ┃ capacity at end ┃ shortfall unit-years ┃ years short ┃",
        "│ Preschool places │ places │",
        "Budget use: the whole frame, candidates + other (net of grants, MSEK)",
        "┃ pool ┃ candidates ┃ other ┃ ceiling ┃ use ┃ tightest year ┃",
        "│ Tax-financed │ 18.0 │ 0.0 │ 40.0 │ 45% │ 2028 (75%) │",
        "Key figures per year",
    ],
}
# the other language's headings must not leak in
RUN_FOREIGN = {
    "sv": ["Schedule", "Budget use", "Coverage", "Results:"],
    "en": ["Tidsplan", "Resultat:"],
}


def said(text: str) -> str:
    """Terminal output with rich's padding undone (one space between words and borders); the
    non-breaking space of Swedish numbers ('45\u00a0%') is kept."""
    return re.sub(r"[ \n]+", " ", text)


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # no wrapped headers, the name column shown


def language_args(lang: str) -> list[str]:
    return [] if lang == "sv" else ["--lang", "en"]  # Swedish is the default


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_run_prints_its_summary_in_the_report_language(lang: str, tmp_path: Path) -> None:
    out = tmp_path / "results"

    code, stdout, err = run_cli("run", TINY, "--out", out, "--quiet", *language_args(lang))

    assert code == 0, err
    text = said(stdout)
    for words in RUN_WORDS[lang]:
        assert words in text, words
    for words in RUN_FOREIGN[lang]:
        assert words not in text, words
    assert ("Resultat: " if lang == "sv" else "Results: ") + str(out) in text


ONE_INVESTMENT = {
    "sv": ("Tidsplan (1 investering)", "<figcaption>1 projekt, 2026–2030</figcaption>"),
    "en": ("Schedule (1 investment)", "<figcaption>1 project, 2026–2030</figcaption>"),
}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_run_of_a_plan_with_a_single_investment_says_it_in_the_singular(
    lang: str, tmp_path: Path
) -> None:
    """Preschool places made almost free to lack and the water main a must-do: one investment,
    headed 'Schedule (1 investment)' in the terminal and '1 project' on report.html's timeline."""
    folder = copy_tiny(tmp_path)
    edit_toml(folder, "shortfall_cost = 1.0          # MSEK", "shortfall_cost = 0.001  # MSEK")
    set_cell(folder, "candidates.csv", 5, "must_do", "yes")
    out = tmp_path / "results"

    code, stdout, err = run_cli("run", folder, "--out", out, "--quiet", *language_args(lang))

    assert code == 0, err
    heading, caption = ONE_INVESTMENT[lang]
    assert heading in said(stdout)
    assert caption in (out / "report.html").read_text(encoding="utf-8")


PROGRESS_WORDS = {
    "sv": ["bygger modellen", "löser (54 rader × 53 kolumner, 130 nollskilda element)",
           "kontrollerar planen", "klar"],
    "en": ["building", "solving (54 rows × 53 columns, 130 non-zeros)", "checking", "done"],
}  # fmt: skip


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_run_reports_its_progress_in_the_report_language(lang: str, tmp_path: Path) -> None:
    code, _, err = run_cli("run", TINY, "--out", tmp_path / "results", *language_args(lang))

    assert code == 0, err
    lines = [said(line).strip() for line in err.splitlines() if " s " in line]
    phases = [line.split(" s ", 1)[1].strip() for line in lines]
    assert phases == PROGRESS_WORDS[lang], err
    other = "en" if lang == "sv" else "sv"
    assert PROGRESS_WORDS[other][0] not in err
    decimal = "," if lang == "sv" else "."
    assert all(re.match(rf"^\d+\{decimal}\d s ", line) for line in lines), lines


COMPARE_WORDS = {
    "sv": [
        "Scenarier sida vid sida",
        "┃ mått ┃ base ┃ high ┃",
        "│ status │ optimal (bevisad) │ optimal (bevisad) │",
        "│ källa │ löst │ löst │",
        "│ Nuvärde av kostnader (MSEK) │ 12,5 │ 54,5 │",
        "│ Brist Preschool places (platser·år) │ 8 │ 40 │",  # units in Swedish too
        "│ Old preschool (40 platser) stängs, år │ 2029 │ 2029 │",
        "Inget projekt skiljer sig i val eller startår.",
        "4 valda projekt är lika i alla scenarier; 1 väljs aldrig.",
    ],
    "en": [
        "Scenarios side by side",
        "┃ measure ┃ base ┃ high ┃",
        "│ status │ optimal (proven) │ optimal (proven) │",
        "│ source │ solved │ solved │",
        "│ Present value of cost (MSEK) │ 12.5 │ 54.5 │",
        "│ Shortfall Preschool places (places·years) │ 8 │ 40 │",
        "│ Old preschool (40 places) closes, year │ 2029 │ 2029 │",
        "No project differs in choice or start year.",
        "4 chosen projects the same in every scenario; 1 never chosen.",
    ],
}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_compare_prints_its_table_in_the_report_language(lang: str, tmp_path: Path) -> None:
    out = tmp_path / "cmp"

    code, stdout, err = run_cli(
        "compare", TINY, "--variants", "base,high", "--out", out, "--quiet", *language_args(lang)
    )

    assert code == 0, err
    text = said(stdout)
    for words in COMPARE_WORDS[lang]:
        assert words in text, words
    other = "en" if lang == "sv" else "sv"
    assert COMPARE_WORDS[other][0] not in text
    assert ("Jämförelse: " if lang == "sv" else "Comparison: ") + str(out) in text
    # compare.json stays English whatever the terminal's language (a file for programs)
    assert '"label": "base"' in (out / "compare.json").read_text(encoding="utf-8")
