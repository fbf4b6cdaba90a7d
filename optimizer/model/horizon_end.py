"""The end of the horizon (docs/model.md, Horizon end): a terminal condition.

For every service s with a terminal condition and every district d, in the last year yN:

    u[s,d,yN] + Σ_{o serves (s,d)} e[o,yN] ≤ 0                  (terminal[s,d]; units of s)

With coverage[s,d,yN] (capacity + transfers + u + e ≥ demand / target utilisation) this says:
what stands at the end (existing assets still in service, renovations, candidates in service,
and transfers between districts) covers planned demand at the end, without shortfall or
emergency options. Written on u and e (both ≥ 0) rather than repeating the capacity terms, so it
holds exactly the capacity the coverage row holds, whichever block contributed it.
"""

from __future__ import annotations

import numpy as np

from optimizer.model.builder import INF
from optimizer.model.decisions import Decisions


def add_horizon_end(dec: Decisions) -> None:
    data, model = dec.data, dec.model
    scenario = data.scenario
    year_n = int(data.years[-1])
    cov = data.coverage.reset_index(drop=True)
    last = (cov["year"] == year_n).to_numpy() & cov["service"].map(
        {s.id: scenario.has_terminal_condition(s.id) for s in scenario.settings.services}
    ).to_numpy(bool)
    if not last.any():
        return
    positions = np.flatnonzero(last)
    keys = [(cov.at[i, "service"], cov.at[i, "district"]) for i in positions]
    rows = model.add_rows("terminal", keys, -INF, 0.0)
    model.add_terms(rows, dec.shortfall[positions], 1.0)
    block = model.col_blocks.get("emergency")
    if block is None:
        return
    row_of = dict(zip(keys, rows, strict=True))
    options = {o.id: o for o in scenario.emergency_options}
    for k, (option_id, year) in enumerate(block.keys):
        o = options[option_id]
        key = (o.service, scenario.district_key(o.service, o.district))
        if year == year_n and key in row_of:
            model.add_terms(np.array([row_of[key]]), np.array([block.start + k]), 1.0)
