"""docs/scenario-format.md matches the code: its field tables are generated from the schema."""

from __future__ import annotations

import pytest

from optimizer import docs, schema


def test_scenario_format_doc_is_up_to_date() -> None:
    text = docs.DOC.read_text(encoding="utf-8")
    assert docs.missing_blocks(text) == []
    assert docs.render(text) == text, "run: python -m optimizer.docs"


def test_check_mode_reports_a_stale_doc(tmp_path, monkeypatch) -> None:
    stale = tmp_path / "scenario-format.md"
    stale.write_text(docs.DOC.read_text(encoding="utf-8").replace("| `capex` |", "| `capex_old` |"))
    monkeypatch.setattr(docs, "DOC", stale)
    assert docs.main(["--check"]) == 1
    assert docs.main([]) == 0
    assert docs.main(["--check"]) == 0


@pytest.mark.parametrize(
    "model", [*docs.SETTINGS_MODELS.values(), *schema.ROW_MODELS.values()], ids=lambda m: m.__name__
)
def test_every_field_says_what_it_means(model) -> None:
    """The generated tables are only as good as the descriptions: every field needs one."""
    assert [name for name, info in model.model_fields.items() if not info.description] == []
