"""Precedence (docs/model.md, Constraints: precedence), written per year on the running sums, never aggregated or big-M.

    in_service_before_start:  S[p,t]     ≤ m_p · S[q, t − L[q] − lag]     (precedence[p,q,t])
    in_service_when_opens:    S[p,t−L_p] ≤ m_p · S[q, t − L[q] − lag]     (opens_with[p,q,t])

m_p is p's maximum number of units (1 for an ordinary project). Both forbid p when q is never
built. Rows for years after both windows have closed repeat the last one and are left out; rows
for years after the horizon are kept up to p's last opening year (q's started-by sum stands
still after yN), so a successor opening after the horizon still needs its predecessor.
"""

from __future__ import annotations

import numpy as np

from optimizer.model.decisions import Decisions


def add_precedence(dec: Decisions) -> None:
    data, model = dec.data, dec.model
    index = {c: i for i, c in enumerate(data.ids)}
    year_n = int(data.years[-1])
    groups = {
        "in_service_before_start": ([], "precedence"),
        "in_service_when_opens": ([], "opens_with"),
    }
    for dep in data.scenario.dependencies:
        p, q = index[dep.candidate], index[dep.requires]
        shift_p = 0 if dep.kind == "in_service_before_start" else int(data.lead[p])
        shift_q = int(data.lead[q]) + dep.lag
        first = int(data.earliest[p]) + shift_p
        # after p's window and q's window have both closed, every row equals the last one
        last = min(year_n, max(int(data.latest[p]) + shift_p, int(data.latest[q]) + shift_q))
        # p opening after the horizon still needs q in service then (docs/model.md): rows run
        # to p's last opening year, or a late successor would be built without its predecessor
        last = max(last, int(data.latest[p]) + shift_p)
        for t in range(first, last + 1):
            groups[dep.kind][0].append((dep.candidate, dep.requires, t, p, q, shift_p, shift_q))
    for entries, name in groups.values():
        if not entries:
            continue
        rows = model.add_rows(name, [e[:3] for e in entries], -np.inf, 0.0)
        t = np.array([e[2] for e in entries])
        p = np.array([e[3] for e in entries])
        q = np.array([e[4] for e in entries])
        dec.started_by(rows, p, t - np.array([e[5] for e in entries]), 1.0)
        dec.started_by(
            rows, q, t - np.array([e[6] for e in entries]), -data.max_units[p].astype(float)
        )
