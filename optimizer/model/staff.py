"""Staff (kompetensförsörjning; docs/model.md, Constraints: staff): new FTE in service within what can be recruited.

Σ_{p∈dept} fte[p]·inservice[p,t] ≤ recruitable[dept,t]          (staff[dept,t]; FTE)
"""

from __future__ import annotations

import numpy as np

from optimizer.model.decisions import Decisions


def add_staff(dec: Decisions) -> None:
    data, model = dec.data, dec.model
    recruitable = data.limits.recruitable_fte
    dept, k = data.limits.staff_order
    if not dept.size:
        return
    years = data.years[k]
    rows = model.add_rows(
        "staff",
        [(data.departments[d], int(y)) for d, y in zip(dept, years, strict=True)],
        -np.inf,
        recruitable[dept, k],
    )
    staffed = data.fte != 0
    req_rows, req_cand, req_year = [], [], []
    for row, d, year in zip(rows, dept, years, strict=True):
        members = np.flatnonzero(staffed & (data.department == d))
        req_rows.append(np.full(len(members), row))
        req_cand.append(members)
        req_year.append(np.full(len(members), year))
    cand = np.concatenate(req_cand)
    dec.in_service(np.concatenate(req_rows), cand, np.concatenate(req_year), data.fte[cand])
