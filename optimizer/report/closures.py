"""Closures of existing assets in words, the same sentence in every report (docs/model.md,
Existing assets): "Vallaskolan closes 2032, 420 places" / "Vallaskolan stängs 2032, 420 platser"."""

from __future__ import annotations

import pandas as pd

from optimizer.report.i18n import unit_name

KIND_WORDS = {
    "en": {"early": "closed early by the plan", "end_of_life": "end of life"},
    "sv": {"early": "stängs i förtid enligt planen", "end_of_life": "uttjänt"},
}


def closure_sentence(row, unit: str, lang: str = "en") -> str:
    """One closure (a row of the ``closures`` table) as a sentence; ``unit``: the service's."""
    places = f"{row.capacity:,.0f}".replace(",", " ")
    kind = KIND_WORDS.get(lang, KIND_WORDS["en"]).get(row.kind, row.kind)
    replaced = str(row.replaced_by or "").replace("|", ", ")
    if lang == "sv":
        text = f"{row.name} stängs {row.year}, {places} {unit} ({kind}"
        return text + (f"; ersätts av {replaced})" if replaced else ")")
    text = f"{row.name} closes {row.year}, {places} {unit} ({kind}"
    return text + (f"; replaced by {replaced})" if replaced else ")")


def closure_sentences(closures: pd.DataFrame | None, units: dict[str, str], lang: str = "en"):
    """Every closure, in year order, as sentences."""
    if closures is None or closures.empty:
        return []
    ordered = closures.sort_values(["year", "asset"], kind="stable")
    return [
        closure_sentence(row, unit_name(units.get(row.service, ""), lang), lang)
        for row in ordered.itertuples(index=False)
    ]
