"""Which candidates may be chosen (MODEL.md §4.5-4.6).

    Σ_y x[p,y] ≤ max_units[p]            (units[p]; ≥ 1 as well for must-do: must_do[p])
    Σ_{p∈G} S[p,yN] ≤ 1                  (exclusive[G]: build new vs renovate, F-6 vs F-9)
    x[p,y*] ≥ 1                          (committed[p]: start already decided)

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
        dec.started_by(owner, members, np.full(len(members), year_n))

    committed = [i for i, c in enumerate(candidates) if c.committed_start is not None]
    if committed:
        committed = np.array(committed)
        rows = model.add_rows("committed", [(data.ids[i],) for i in committed], 1.0, np.inf)
        # the window of a committed candidate is its committed year alone
        model.add_terms(rows, dec.x[data.first_start[committed]], 1.0)
