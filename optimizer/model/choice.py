"""Which candidates may be chosen (docs/model.md, Constraints: choice).

    Σ_y x[p,y] ≤ max_units[p]            (units[p]; ≥ 1 as well for must-do: must_do[p])
    Σ_{p∈G, m_p=1} S[p,yN] + Σ_{p∈G, m_p>1} b[p] ≤ 1
                                         (exclusive[G]: build new vs renovate, F-6 vs F-9)
    S[p,yN] ≤ m_p·b[p], b[p] ∈ {0,1}     (exclusive_built[p]: modular member p of a group built)
    x[p,y*] ≥ 1                          (committed[p]: start already decided)

An exclusive group means "at most one candidate of the group is built", whatever its number of
units: a modular member (m_p = max_units > 1) counts once, through its binary b[p]. The link is
the convex hull of {S ∈ {0..m_p}, b ∈ {0,1}, S ≤ m_p·b}, so it weakens no LP bound; a member
with one unit counts by S directly and needs no extra variable.

A deadline is met by the window: p's latest start is deadline − L[p] (see start_windows).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from optimizer.model.decisions import Decisions


def add_choice(dec: Decisions) -> None:
    data, model = dec.data, dec.model
    candidates = data.scenario.candidates
    year_n = int(data.years[-1])
    for name, members in (
        ("must_do", [i for i, c in enumerate(candidates) if c.must_do or c.deadline is not None]),
        (
            "units",
            [i for i, c in enumerate(candidates) if not (c.must_do or c.deadline is not None)],
        ),
    ):
        if not members:
            continue
        members = np.array(members)
        lower = 1.0 if name == "must_do" else 0.0
        rows = model.add_rows(
            name, [(data.ids[i],) for i in members], lower, data.max_units[members].astype(float)
        )
        dec.started_by(rows, members, np.full(len(members), year_n))

    groups: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(candidates):
        if c.exclusive_group:
            groups[c.exclusive_group].append(i)
    if groups:
        names = sorted(groups)
        rows = model.add_rows("exclusive", [(g,) for g in names], -np.inf, 1.0)
        owner = np.concatenate(
            [np.full(len(groups[g]), r) for g, r in zip(names, rows, strict=True)]
        )
        members = np.concatenate([groups[g] for g in names])
        # the row counts candidates, not units: a modular member counts by its built[p]
        modular = data.max_units[members] > 1
        single = ~modular
        dec.started_by(owner[single], members[single], np.full(int(single.sum()), year_n))
        if modular.any():
            grouped = members[modular]
            keys = [(data.ids[i],) for i in grouped]
            built = model.add_columns("built", keys, 0.0, 1.0, 0.0, integer=True)
            model.add_terms(owner[modular], built, 1.0)
            linked = model.add_rows("exclusive_built", keys, -np.inf, 0.0)
            dec.started_by(linked, grouped, np.full(len(grouped), year_n))
            model.add_terms(linked, built, -data.max_units[grouped].astype(float))

    committed = [i for i, c in enumerate(candidates) if c.committed_year is not None]
    if committed:
        committed = np.array(committed)
        rows = model.add_rows("committed", [(data.ids[i],) for i in committed], 1.0, np.inf)
        # the window of a committed candidate is its committed year alone
        model.add_terms(rows, dec.x[data.first_start[committed]], 1.0)
