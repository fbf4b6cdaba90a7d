"""Staff (MODEL.md §4.8, kompetensförsörjning): new FTE in service within what can be recruited.

Σ_{p∈dept} fte[p]·inservice[p,t] ≤ recruitable[dept,t]          (staff[dept,t]; FTE)
"""

from __future__ import annotations

import numpy as np

from optimizer.model.decisions import Decisions


def add_staff(dec: Decisions) -> None:
    data, model = dec.data, dec.model
    years = set(int(y) for y in data.years)
    limits = [
        (s.department, s.year, s.recruitable_fte) for s in data.scenario.staff if s.year in years
    ]
    if not limits:
        return
    rows = model.add_rows(
        "staff", [(d, y) for d, y, _ in limits], -np.inf, np.array([v for *_, v in limits])
    )
    dept_pos = {d: i for i, d in enumerate(data.departments)}
    staffed = data.fte != 0
    req_rows, req_cand, req_year = [], [], []
    for row, (dept, year, _) in zip(rows, limits, strict=True):
        members = np.flatnonzero(staffed & (data.department == dept_pos[dept]))
        req_rows.append(np.full(len(members), row))
        req_cand.append(members)
        req_year.append(np.full(len(members), year))
    cand = np.concatenate(req_cand)
    dec.in_service(np.concatenate(req_rows), cand, np.concatenate(req_year), data.fte[cand])
