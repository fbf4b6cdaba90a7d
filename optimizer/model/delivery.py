"""Delivery capacity (docs/model.md, Constraints: delivery): how many projects the organisation can build at once.

    Σ_p underconstruction[p,t] ≤ K[t]               (delivery[t]; projects, from policy_years)
    Σ_{p∈dept} underconstruction[p,t] ≤ K[dept]     (delivery[dept,t]; from the department)

underconstruction[p,t] = S[p,t] − S[p,t−L[p]]: started, not yet in service.
"""

from __future__ import annotations

import numpy as np

from optimizer.model.decisions import Decisions


def add_delivery(dec: Decisions) -> None:
    data, model = dec.data, dec.model
    limits = data.limits
    years = [int(y) for y in data.years]
    # (key, limit, department position or None for all departments)
    overall = [
        ((years[k],), limits.delivery[k], None) for k in np.flatnonzero(~np.isnan(limits.delivery))
    ]
    by_department = [
        ((data.departments[d], years[k]), limits.department_delivery[d, k], d)
        for d, k in zip(*np.nonzero(~np.isnan(limits.department_delivery)), strict=True)
    ]
    limited = overall + by_department
    if not limited:
        return
    rows = model.add_rows(
        "delivery", [k for k, _, _ in limited], -np.inf, np.array([v for _, v, _ in limited], float)
    )
    everyone = np.arange(data.n_candidates)
    req_rows, req_cand, req_year = [], [], []
    for row, (key, _, dept) in zip(rows, limited, strict=True):
        members = everyone if dept is None else np.flatnonzero(data.department == dept)
        req_rows.append(np.full(len(members), row))
        req_cand.append(members)
        req_year.append(np.full(len(members), key[-1]))
    dec.under_construction(
        np.concatenate(req_rows), np.concatenate(req_cand), np.concatenate(req_year)
    )
