"""RESULTS.md is rebuilt by one command (`python benchmarks/run.py --render-only`) from the
recorded figures and a template holding the hand-written text (issue #13): a re-render must
neither drop hand-written text nor leave a measured section out."""

from __future__ import annotations

import pytest

from benchmarks import run as results

# One solver run of the generated S scenario, as pytest-benchmark records it.
SOLVE_S = {
    "fullname": "benchmarks/test_bench_solve.py::test_solve[S-highs]",
    "extra_info": {
        "case": "solve",
        "size": "S",
        "solver": "highs",
        "status": "optimal",
        "objective": 3491.66,
        "bound": 3491.34,
        "gap": 9.2e-05,
        "time_limit": 120.0,
        "rows": 1311,
        "cols": 1726,
        "nnz": 10216,
        "max_rss_mb": 284.1,
    },
    "stats": {"median": 6.123, "rounds": 3},
}
SMALL = {
    "datetime": "2026-12-01T02:00:00",
    "machine_info": {"capplan": {"cpu_model": "Test CPU", "cores": 2}},
    "benchmarks": [SOLVE_S],
}


def template_with(prose: dict[str, str]) -> str:
    """Every section in the renderer's order, with hand-written prose after those named."""
    lines = []
    for name in results.sections(SMALL):
        lines.append(f"{{{{ {name} }}}}")
        if name in prose:
            lines += [prose[name], ""]
    return "\n".join(lines)


def test_a_re_render_keeps_the_hand_written_text_where_it_was_written():
    prose = {
        "header": "A note written by hand about the machine's load.",
        "gate": "## explain\n\nWritten by hand: explain was measured on single candidates.",
    }
    page = results.render(SMALL, template_with(prose))
    assert "{{" not in page
    header = page.index("| CPU | Test CPU |")
    note = page.index("A note written by hand about the machine's load.")
    targets = page.index("## Targets")
    assert header < note < targets  # in the place the template gives it
    assert page.rstrip().endswith("Written by hand: explain was measured on single candidates.")
    # the measured figures are rendered from the recorded run
    assert "| S | highs | optimal | 6.12 s (limit 120 s) | 3 492 |" in page


def test_a_template_that_leaves_a_section_out_is_refused():
    template = template_with({}).replace("{{ solvers }}\n", "")
    with pytest.raises(ValueError, match="missing \\['solvers'\\]"):
        results.render(SMALL, template)


def test_a_template_naming_an_unknown_section_is_refused():
    template = template_with({}) + "\n{{ speed_of_light }}\n"
    with pytest.raises(ValueError, match="speed_of_light"):
        results.render(SMALL, template)


def test_results_md_is_what_the_one_command_renders():
    """benchmarks/RESULTS.md is up to date with its template and the recorded figures: text
    written into RESULTS.md directly (not into RESULTS.template.md) would be lost at the next
    render, so it fails here."""
    recorded = results._load(results.JSON_PATH)
    assert results.RESULTS_PATH.read_text(encoding="utf-8") == results.render(recorded)
