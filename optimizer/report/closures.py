"""Closures of existing assets in words, the same sentence in every report (docs/model.md,
Existing assets): "Vallaskolan closes 2032, 420 places" / "Vallaskolan stängs 2032, 420 platser",
with the decision that follows it: the chosen candidates that replace or renovate the asset."""

from __future__ import annotations

import pandas as pd

from optimizer.report.i18n import format_number, unit_name

KIND_WORDS = {
    "en": {"early": "closed early by the plan", "end_of_life": "end of life"},
    "sv": {"early": "stängs i förtid enligt planen", "end_of_life": "uttjänt"},
}
# what follows the closure, in the order of the closures table's columns
DECISION_WORDS = {
    "en": {"replaced_by": "replaced by", "renovated_by": "renovated by"},
    "sv": {"replaced_by": "ersätts av", "renovated_by": "renoveras av"},
}


def closure_sentence(row, unit: str, lang: str = "en") -> str:
    """One closure (a row of the ``closures`` table) as a sentence; ``unit``: the service's."""
    places = format_number(row.capacity, 0, lang)  # "15,000 pe" in English, "15 000 pe" in Swedish
    kind = KIND_WORDS.get(lang, KIND_WORDS["en"]).get(row.kind, row.kind)
    words = DECISION_WORDS.get(lang, DECISION_WORDS["en"])
    # a results folder written before renovated_by existed has no such column
    decisions = [
        f"; {words[column]} {str(ids).replace('|', ', ')}"
        for column in ("replaced_by", "renovated_by")
        if isinstance(ids := getattr(row, column, ""), str) and ids
    ]
    closes = "stängs" if lang == "sv" else "closes"
    return f"{row.name} {closes} {row.year}, {places} {unit} ({kind}{''.join(decisions)})"


def closure_sentences(closures: pd.DataFrame | None, units: dict[str, str], lang: str = "en"):
    """Every closure, in year order, as sentences."""
    if closures is None or closures.empty:
        return []
    ordered = closures.sort_values(["year", "asset"], kind="stable")
    return [
        closure_sentence(row, unit_name(units.get(row.service, ""), lang), lang)
        for row in ordered.itertuples(index=False)
    ]
