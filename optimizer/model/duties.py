"""Legal duties and the emergency options that may meet them (docs/model.md, Duties).

For a service s with ``duty_from`` = Y, in every year t ≥ Y of the horizon:

    u[s,d,t] ≤ 0                                  (duty[s,d,t]; units of s)

so coverage (``coverage.py``) must come from capacity, transfers and the emergency options alone.
A row rather than a bound, so that a diagnosis can make it elastic and name the duty that cannot
be met. Emergency option o (service s, district d, years [first, last]) is a continuous column

    0 ≤ e[o,t] ≤ max_units[o]                     (added to coverage[s,d,t])

costing cost[o]·df[t]·e[o,t] (kind ``emergency``): pavilions for rent, places bought in another
kommun, school transport, each limited, instead of an unlimited priced shortfall.
"""

from __future__ import annotations

import numpy as np

from optimizer.model.assets import coverage_row_of
from optimizer.model.builder import INF
from optimizer.model.decisions import Decisions


def add_duties(dec: Decisions) -> None:
    data, model = dec.data, dec.model
    scenario = data.scenario
    y0 = int(data.years[0])
    row_of = coverage_row_of(dec)

    keys, cols = [], []
    for option in scenario.emergency_options:
        district = scenario.district_key(option.service, option.district)
        first = option.first_year if option.first_year is not None else y0
        last = option.last_year if option.last_year is not None else int(data.years[-1])
        for t in data.years:
            if first <= t <= last and (option.service, district, int(t)) in row_of:
                keys.append((option.id, int(t)))
                cols.append((row_of[(option.service, district, int(t))], option))
    if keys:
        e = model.add_columns(
            "emergency", keys, 0.0, np.array([o.max_units for _, o in cols], dtype=float)
        )
        model.add_terms(np.array([r for r, _ in cols]), e, 1.0)
        cost = np.array(
            [o.cost * data.discount[t - y0] for (_, t), (_, o) in zip(keys, cols, strict=True)]
        )
        dec.add_cost("emergency", e, cost)

    cov = data.coverage.reset_index(drop=True)
    duty = np.array(
        [t in scenario.duty_years(s) for s, t in zip(cov["service"], cov["year"], strict=True)],
        dtype=bool,
    )
    if duty.any():
        duty_keys = list(
            cov.loc[duty, ["service", "district", "year"]].itertuples(index=False, name=None)
        )
        rows = model.add_rows("duty", duty_keys, -INF, 0.0)
        model.add_terms(rows, dec.shortfall[np.flatnonzero(duty)], 1.0)
