"""Seeded synthetic scenarios with the structure of real ones, at benchmark sizes.

    >>> from benchmarks.generator import generate, write_scenario
    >>> scenario = generate("M", seed=1)          # written to a temporary folder and loaded
    >>> write_scenario("/tmp/bench-m", "M", seed=1)  # or keep the folder (scenario.toml + CSVs)

A generated municipality has departments (BUF schools, VOF care, KFF culture and sport, TEK
water and sewage), services with demand rates on an age-structured population per district,
districts with neighbours (preschool and school places may be served next door), existing assets
that retire, and candidates of every kind a real list has: new builds, extensions, modular units
(``max_units`` > 1), renovate-or-replace alternatives (exclusive groups), closures (negative
capacity, opex saved), water mains that must be in service before a housing area's school starts
(``in_service_before_start``) and sports halls that must open with a school
(``in_service_when_opens``), must-do projects with deadlines and committed starts. Budgets per
pool (tax with capped carry-over, fee-financed VA with free carry-over), one department ceiling,
debt with self-financing and a ceiling, CO2e caps per year and a cumulative budget, recruitable
staff per department and delivery limits (total and per department).

Every generated scenario validates and is feasible: coverage is soft (shortfall is priced), and
each hard limit is raised where needed so that the forced projects alone (committed starts,
must-dos at their earliest start) fit with a margin. The files go through the real reader
(``optimizer.load_scenario``), so the benchmark exercises the whole path from folder to model.

Sizes (candidates × years): S 50 × 15, M 250 × 20, L 1 000 × 25; XS 20 × 10 for smoke tests.
"""

from __future__ import annotations

import csv
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from optimizer.io.tomlwrite import dumps

FIRST_YEAR = 2026
AGE_GROUPS = ("0", "1-5", "6-15", "16-64", "65-79", "80+")
AGE_SHARES = np.array([0.011, 0.058, 0.115, 0.60, 0.15, 0.066])


@dataclass(frozen=True)
class Size:
    candidates: int
    years: int
    districts: int


SIZES: dict[str, Size] = {
    "XS": Size(candidates=20, years=10, districts=2),  # smoke tests only
    "S": Size(candidates=50, years=15, districts=4),
    "M": Size(candidates=250, years=20, districts=8),
    "L": Size(candidates=1000, years=25, districts=16),
}


@dataclass(frozen=True)
class ServiceKind:
    """How a service behaves: demand rule, unit costs and how candidates for it look."""

    id: str
    name: str
    unit: str
    department: str
    rates: dict[str, float]
    fixed_need: float
    by_district: bool
    neighbour_share: float
    shortfall_cost: float  # MSEK per missing unit per year
    capex_per_unit: float  # MSEK per unit of capacity of a new build
    opex_per_unit: float  # MSEK per unit per year (premises; staff costs are the same either way)
    fte_per_unit: float
    pool: str
    weight: float  # share of the candidate list


SERVICE_KINDS = (
    ServiceKind(
        "preschool",
        "Förskoleplatser",
        "places",
        "BUF",
        {"1-5": 0.87},
        0,
        True,
        0.15,
        0.12,
        0.55,
        0.012,
        0.18,
        "tax",
        0.22,
    ),
    ServiceKind(
        "school",
        "Grundskoleplatser",
        "places",
        "BUF",
        {"6-15": 0.98},
        0,
        True,
        0.10,
        0.11,
        0.60,
        0.010,
        0.08,
        "tax",
        0.22,
    ),
    ServiceKind(
        "sabo",
        "Särskilt boende",
        "apartments",
        "VOF",
        {"80+": 0.115},
        0,
        False,
        0.0,
        0.65,
        2.6,
        0.05,
        0.9,
        "tax",
        0.12,
    ),
    ServiceKind(
        "lss",
        "LSS-bostäder",
        "apartments",
        "VOF",
        {"total": 0.0012},
        10,
        False,
        0.0,
        0.80,
        3.4,
        0.06,
        1.4,
        "tax",
        0.06,
    ),
    ServiceKind(
        "sports",
        "Idrottshallstimmar",
        "hours",
        "KFF",
        {"6-15": 0.9, "16-64": 0.05},
        0,
        False,
        0.0,
        0.004,
        0.045,
        0.001,
        0.0004,
        "tax",
        0.10,
    ),
    ServiceKind(
        "water",
        "Dricksvatten",
        "pe",
        "TEK",
        {"total": 1.0},
        0,
        False,
        0.0,
        0.003,
        0.012,
        0.0002,
        0.00005,
        "va",
        0.13,
    ),
    ServiceKind(
        "wastewater",
        "Avlopp",
        "pe",
        "TEK",
        {"total": 1.0},
        2000,
        False,
        0.0,
        0.003,
        0.016,
        0.0003,
        0.00005,
        "va",
        0.15,
    ),
)
DEPARTMENTS = (
    ("BUF", "Barn- och utbildningsförvaltningen"),
    ("VOF", "Vård- och omsorgsförvaltningen"),
    ("KFF", "Kultur- och fritidsförvaltningen"),
    ("TEK", "Tekniska förvaltningen"),
)
CANDIDATE_COLUMNS = [
    "id",
    "name",
    "department",
    "district",
    "capex",
    "spend_profile",
    "lead_time",
    "earliest_start",
    "latest_start",
    "lifetime",
    "opex",
    "staff_fte",
    "embodied_co2e_t",
    "operational_co2e_t",
    "pool",
    "grant_share",
    "must_do",
    "deadline",
    "committed_start",
    "exclusive_group",
    "value",
    "max_units",
    "tags",
]
CO2E_PER_MSEK = 12.0  # tonnes embodied per MSEK of construction
LIST_FACTOR = 1.8  # capacity on the candidate list / the gap to close by the last year
BUDGET_SHARE = 0.6  # share of the list's net capex the tax budget affords over the horizon


# ======================================================================================
# Public API
# ======================================================================================
def write_scenario(path: str | Path, size: str = "S", seed: int = 0) -> Path:
    """Write a generated scenario folder (scenario.toml + CSVs) to ``path`` and return it."""
    settings, tables = scenario_tables(size, seed)
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "scenario.toml").write_text(to_toml(settings), encoding="utf-8")
    for name, (columns, rows) in tables.items():
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            writer.writerows([[_cell(row.get(c)) for c in columns] for row in rows])
    return folder


def generate(
    size: str = "S", seed: int = 0, path: str | Path | None = None, variant: str | None = None
):
    """The parsed ``Scenario``: written to ``path`` (or a temporary folder) and loaded back."""
    from optimizer import load_scenario

    if path is not None:
        return load_scenario(write_scenario(path, size, seed), variant)
    with tempfile.TemporaryDirectory(prefix=f"capplan-bench-{size}-") as tmp:
        return load_scenario(write_scenario(tmp, size, seed), variant)


# ======================================================================================
# Generation
# ======================================================================================
def scenario_tables(size: str, seed: int) -> tuple[dict, dict[str, tuple[list[str], list[dict]]]]:
    """(settings for scenario.toml, {table name: (columns, rows)}) of one generated scenario."""
    spec = SIZES[size] if isinstance(size, str) else size
    rng = np.random.default_rng([seed, spec.candidates, spec.years])
    return _Generator(spec, rng, f"synthetic-{size}-seed{seed}").run()


class _Generator:
    def __init__(self, spec: Size, rng: np.random.Generator, name: str):
        self.spec, self.rng, self.name = spec, rng, name
        self.years = list(range(FIRST_YEAR, FIRST_YEAR + spec.years))
        self.last = self.years[-1]
        self.districts = [f"D{i + 1:02d}" for i in range(spec.districts)]
        self.candidates: list[dict] = []
        self.capacity: list[dict] = []
        self.dependencies: list[dict] = []

    # ---- population and existing capacity ---------------------------------------------
    def population(self) -> tuple[list[dict], dict[tuple[str, str], np.ndarray]]:
        """Rows for two variants; returns the trend variant by (district, age group) as arrays."""
        rng, t = self.rng, np.arange(len(self.years))
        rows, trend = [], {}
        for district in self.districts:
            total = rng.uniform(6_000, 22_000)
            growth = rng.uniform(-0.004, 0.022)
            shares = AGE_SHARES * rng.uniform(0.85, 1.15, len(AGE_SHARES))
            extra = {
                "0": 0.0,
                "1-5": rng.uniform(-0.005, 0.01),
                "6-15": rng.uniform(-0.005, 0.01),
                "16-64": 0.0,
                "65-79": 0.008,
                "80+": 0.03,
            }
            for variant, boost in (("trend", 0.0), ("high", 0.006)):
                for group, share in zip(AGE_GROUPS, shares / shares.sum(), strict=True):
                    values = np.round(total * share * (1 + growth + extra[group] + boost) ** t)
                    if variant == "trend":
                        trend[(district, group)] = values
                    rows += [
                        {
                            "variant": variant,
                            "year": y,
                            "district": district,
                            "age_group": group,
                            "population": int(v),
                        }
                        for y, v in zip(self.years, values, strict=True)
                    ]
        return rows, trend

    @staticmethod
    def demand(kind: ServiceKind, pop: dict[str, np.ndarray]) -> np.ndarray:
        groups = list(pop)
        need = sum(kind.rates.get(g, 0.0) * pop[g] for g in groups)
        return need + kind.rates.get("total", 0.0) * sum(pop[g] for g in groups)

    # ---- candidates ---------------------------------------------------------------------
    def add_candidate(self, **fields: Any) -> dict:
        rng = self.rng
        lead = fields.setdefault("lead_time", 1)
        n_spend = max(lead, 1) if lead <= 1 else int(rng.integers(max(lead - 1, 1), lead + 1))
        profile = rng.dirichlet(np.full(n_spend, 3.0)) if n_spend > 1 else np.ones(1)
        profile = np.round(profile, 3)
        profile[-1] = round(1.0 - profile[:-1].sum(), 3)
        fields.setdefault("spend_profile", "|".join(f"{v:g}" for v in profile))
        fields.setdefault("lifetime", int(rng.integers(30, 61)))
        fields.setdefault("earliest_start", None)
        fields.setdefault("latest_start", None)
        fields.setdefault("max_units", 1)
        fields.setdefault("grant_share", 0.0)
        capex = fields["capex"]
        fields.setdefault(
            "embodied_co2e_t", round(capex * CO2E_PER_MSEK * rng.uniform(0.6, 1.4), 1)
        )
        fields.setdefault("operational_co2e_t", round(capex * rng.uniform(-0.05, 0.25), 2))
        fields.setdefault("value", round(float(rng.uniform(0.5, 10.0)), 2))
        fields["id"] = f"C{len(self.candidates) + 1:04d}-{fields.pop('code')}"
        self.candidates.append(fields)
        return fields

    def window(self, lead: int) -> tuple[int | None, int | None]:
        rng, n = self.rng, len(self.years)
        earliest = self.years[0] + int(rng.integers(0, max(n // 3, 1)))
        latest = (
            None
            if rng.random() < 0.6
            else min(self.last - lead, earliest + int(rng.integers(n // 3, n)))
        )
        if latest is not None and latest < earliest:
            latest = None
        return (earliest if earliest > self.years[0] else None), latest

    def make_candidates(
        self, demand: dict[tuple[str, str], np.ndarray], existing: dict[tuple[str, str], np.ndarray]
    ) -> None:
        rng, n_total = self.rng, self.spec.candidates
        weights = np.array([k.weight for k in SERVICE_KINDS])
        counts = np.maximum(np.round(weights / weights.sum() * n_total * 0.8).astype(int), 1)
        n_closures = max(1, n_total // 40)
        n_mains = max(2, n_total // 12)
        quota = n_total - n_closures - n_mains
        for kind, count in zip(SERVICE_KINDS, counts, strict=True):
            places = [(kind.id, d) for d in self.districts] if kind.by_district else [(kind.id, "")]
            for k in range(count):
                key = places[k % len(places)]
                gap = demand[key][-1] - existing[key][-1]
                typical = (
                    max(gap, 0.08 * demand[key][-1]) * LIST_FACTOR / max(count / len(places), 1.0)
                )
                room = quota - len(self.candidates)
                if room > 0:
                    self.add_service_candidate(
                        kind, key[1] or None, max(typical, 1.0), pair=room > 1
                    )
        # closures of old premises: capacity removed, opex and staff saved
        for _ in range(n_closures):
            kind = SERVICE_KINDS[int(rng.integers(0, 3))]
            district = (
                self.districts[int(rng.integers(len(self.districts)))] if kind.by_district else None
            )
            key = (kind.id, district or "")
            size = round(float(existing[key][0] * rng.uniform(0.05, 0.15)))
            cand = self.add_candidate(
                code=f"CLOSE-{kind.id}",
                name=f"Close old {kind.id} premises",
                department=kind.department,
                district=district,
                capex=round(float(rng.uniform(0.5, 3.0)), 2),
                lead_time=int(rng.integers(0, 2)),
                opex=round(-size * kind.opex_per_unit * 3, 3),
                staff_fte=round(-size * kind.fte_per_unit * 0.3, 2),
                pool=kind.pool,
                operational_co2e_t=round(-size * 0.05, 2),
            )
            self.capacity.append({"candidate": cand["id"], "service": kind.id, "capacity": -size})
        # water mains that open new housing areas (predecessors of schools and preschools there)
        while len(self.candidates) < n_total:
            district = self.districts[int(rng.integers(len(self.districts)))]
            lead = int(rng.integers(1, 3))
            main = self.add_candidate(
                code="VA-MAIN",
                name=f"Water and sewage mains, new area in {district}",
                department="TEK",
                district=district,
                capex=round(float(rng.uniform(15, 60)), 1),
                lead_time=lead,
                lifetime=80,
                opex=0.1,
                staff_fte=0.0,
                pool="va",
                earliest_start=None,
                latest_start=None,
            )
            self.capacity.append(
                {
                    "candidate": main["id"],
                    "service": "water",
                    "capacity": int(rng.integers(300, 1500)),
                }
            )
        self.link_dependencies()
        self.force_some()

    def add_service_candidate(
        self, kind: ServiceKind, district: str | None, typical: float, pair: bool
    ) -> None:
        rng = self.rng
        style = rng.choice(
            ["new", "extension", "modular", "alternatives"], p=[0.4, 0.25, 0.15, 0.2]
        )
        if style == "alternatives" and not pair:
            style = "new"
        where = f" in {district}" if district else ""

        def one(code, label, capacity, cost_factor, lead, **extra):
            capex = round(
                float(capacity * kind.capex_per_unit * cost_factor * rng.uniform(0.75, 1.35)), 1
            )
            earliest, latest = self.window(lead)
            cand = self.add_candidate(
                code=code,
                name=f"{label} {kind.id}{where} ({capacity:g} {kind.unit})",
                department=kind.department,
                district=district,
                capex=max(capex, 0.5),
                lead_time=lead,
                earliest_start=earliest,
                latest_start=latest,
                opex=round(capacity * kind.opex_per_unit * rng.uniform(0.8, 1.2), 3),
                staff_fte=round(capacity * kind.fte_per_unit, 2),
                pool=kind.pool,
                grant_share=round(float(rng.choice([0.0, 0.0, 0.0, 0.1, 0.25])), 2),
                tags=f"SDG{rng.choice([3, 4, 6, 11])}",
                **extra,
            )
            self.capacity.append(
                {"candidate": cand["id"], "service": kind.id, "capacity": capacity}
            )
            return cand

        size = _nice(typical * rng.uniform(0.6, 1.4))
        if style == "new":
            one(f"NEW-{kind.id}", "New", size, 1.0, int(rng.integers(2, 4)))
        elif style == "extension":
            one(
                f"EXT-{kind.id}",
                "Extension of",
                _nice(size * 0.5),
                0.8,
                int(rng.integers(1, 3)),
                lifetime=int(rng.integers(25, 41)),
            )
        elif style == "modular":
            one(
                f"MOD-{kind.id}",
                "Modular unit,",
                _nice(size * 0.2),
                1.3,
                int(rng.integers(0, 2)),
                lifetime=int(rng.integers(5, 11)),
                max_units=int(rng.integers(2, 5)),
            )
        else:  # renovate or replace: at most one of the group
            group = f"G{len(self.candidates) + 1:04d}"
            one(
                f"NEW-{kind.id}",
                "Replacement",
                size,
                1.0,
                int(rng.integers(2, 4)),
                exclusive_group=group,
            )
            one(
                f"REN-{kind.id}",
                "Renovation",
                _nice(size * 0.6),
                0.45,
                1,
                lifetime=int(rng.integers(15, 26)),
                exclusive_group=group,
            )

    def link_dependencies(self) -> None:
        """Schools/preschools in an area need its mains first; some schools open with a hall."""
        rng = self.rng
        mains = [c for c in self.candidates if c["id"].split("-", 1)[1].startswith("VA-MAIN")]
        halls = [c for c in self.candidates if "-NEW-sports" in c["id"] and c["max_units"] == 1]
        single = [
            c
            for c in self.candidates
            if c["max_units"] == 1 and c["district"] and "CLOSE" not in c["id"]
        ]
        for main in mains:
            users = [
                c for c in single if c["district"] == main["district"] and c["department"] == "BUF"
            ]
            for user in rng.permutation(len(users))[: int(rng.integers(1, 3))]:
                self.dependencies.append(
                    {
                        "candidate": users[user]["id"],
                        "requires": main["id"],
                        "kind": "in_service_before_start",
                        "lag": int(rng.integers(0, 2)),
                    }
                )
        schools = [c for c in single if "-NEW-school" in c["id"]]
        for school in schools:
            if halls and rng.random() < 0.4:
                hall = halls[int(rng.integers(len(halls)))]
                self.dependencies.append(
                    {
                        "candidate": school["id"],
                        "requires": hall["id"],
                        "kind": "in_service_when_opens",
                        "lag": 0,
                    }
                )
        # a dependent never needs two predecessors of the same kind twice
        seen, unique = set(), []
        for d in self.dependencies:
            if (d["candidate"], d["requires"]) not in seen:
                seen.add((d["candidate"], d["requires"]))
                unique.append(d)
        self.dependencies = unique
        # keep windows open: a dependent starts late enough to follow its predecessor
        by_id = {c["id"]: c for c in self.candidates}
        for d in self.dependencies:
            by_id[d["candidate"]]["latest_start"] = None
            by_id[d["requires"]]["earliest_start"] = None
            by_id[d["requires"]]["latest_start"] = None

    def force_some(self) -> None:
        """Must-do (some with deadlines) and committed starts, on free-standing single projects."""
        rng = self.rng
        involved = {d["candidate"] for d in self.dependencies} | {
            d["requires"] for d in self.dependencies
        }
        free = [
            c
            for c in self.candidates
            if c["max_units"] == 1
            and not c.get("exclusive_group")
            and c["id"] not in involved
            and "CLOSE" not in c["id"]
            and c["capex"] > 0
        ]
        order = rng.permutation(len(free))
        n_must, n_committed = max(2, len(free) // 25), max(1, len(free) // 30)
        for rank, i in enumerate(order[: n_must + n_committed]):
            cand = free[i]
            cand["latest_start"] = None
            if rank < n_must:
                cand["must_do"] = "yes"
                earliest = self.years[0] + int(rng.integers(0, 3))
                cand["earliest_start"] = earliest if earliest > self.years[0] else None
                if rng.random() < 0.5:
                    cand["deadline"] = min(
                        self.last, earliest + cand["lead_time"] + int(rng.integers(1, 5))
                    )
            else:
                cand["earliest_start"] = None
                cand["committed_start"] = self.years[0] + int(rng.integers(0, 2))

    # ---- limits that keep the forced projects feasible ---------------------------------
    def forced_usage(self) -> dict[str, np.ndarray]:
        """Per year: what committed and must-do projects (at their earliest start) use."""
        n = len(self.years)
        use = {key: np.zeros(n) for key in ("tax", "va", "VOF", "co2e", "delivery")}
        use.update({f"fte:{d}": np.zeros(n) for d, _ in DEPARTMENTS})
        use.update({f"delivery:{d}": np.zeros(n) for d, _ in DEPARTMENTS})
        for c in self.candidates:
            if not (c.get("must_do") or c.get("committed_start")):
                continue
            start = c.get("committed_start") or c.get("earliest_start") or self.years[0]
            s = start - self.years[0]
            profile = [float(v) for v in c["spend_profile"].split("|")]
            net = c["capex"] * (1 - c["grant_share"])
            for j, share in enumerate(profile):
                if s + j < n:
                    use[c["pool"]][s + j] += net * share
                    if c["department"] == "VOF":
                        use["VOF"][s + j] += net * share
                    use["co2e"][s + j] += c["embodied_co2e_t"] * share
            lead, life = c["lead_time"], c["lifetime"]
            serving = slice(min(s + lead, n), min(s + lead + life, n))
            use[f"fte:{c['department']}"][serving] += c["staff_fte"]
            use["co2e"][serving] += c["operational_co2e_t"]
            building = slice(s, min(s + lead, n))
            use["delivery"][building] += 1
            use[f"delivery:{c['department']}"][building] += 1
        return use

    # ---- assemble -------------------------------------------------------------------------
    def run(self) -> tuple[dict, dict[str, tuple[list[str], list[dict]]]]:
        rng, n_years = self.rng, len(self.years)
        pop_rows, pop = self.population()
        demand, existing, assets = {}, {}, []
        for kind in SERVICE_KINDS:
            places = self.districts if kind.by_district else [""]
            for district in places:
                groups = {
                    g: (
                        pop[(district, g)] if district else sum(pop[(d, g)] for d in self.districts)
                    )
                    for g in AGE_GROUPS
                }
                need = self.demand(kind, groups)
                if kind.by_district:
                    need = need + kind.fixed_need / len(self.districts)
                else:
                    need = need + kind.fixed_need
                demand[(kind.id, district)] = need
                stock = np.zeros(n_years)
                base = need[0] * rng.uniform(0.9, 1.0)
                parts = rng.dirichlet(np.full(int(rng.integers(2, 5)), 2.0))
                for k, part in enumerate(parts):
                    retire = (
                        int(rng.integers(self.years[2], self.last + 1))
                        if rng.random() < 0.35
                        else None
                    )
                    capacity = round(float(base * part))
                    assets.append(
                        {
                            "id": f"A-{kind.id}-{district or 'ALL'}-{k + 1}",
                            "name": f"Existing {kind.id} {k + 1}",
                            "service": kind.id,
                            "district": district or None,
                            "capacity": capacity,
                            "retirement_year": retire,
                        }
                    )
                    alive = np.array(self.years) < (retire or 10_000)
                    stock += capacity * alive
                existing[(kind.id, district)] = stock
        self.make_candidates(demand, existing)

        # budgets: the pools afford roughly half of what is on the list over the horizon
        use = self.forced_usage()
        capex = {
            p: sum(c["capex"] * (1 - c["grant_share"]) for c in self.candidates if c["pool"] == p)
            for p in ("tax", "va")
        }
        trend = np.linspace(0.9, 1.1, n_years)
        budgets, ceiling = [], {}
        for pool, tightness in (("tax", BUDGET_SHARE), ("va", BUDGET_SHARE + 0.1)):
            yearly = capex[pool] * tightness / n_years * trend * rng.uniform(0.9, 1.1, n_years)
            ceiling[pool] = np.maximum(yearly, use[pool] * 1.15 + 1.0)
            budgets += [
                {"pool": pool, "year": y, "ceiling": round(float(v), 1)}
                for y, v in zip(self.years, ceiling[pool], strict=True)
            ]
        vof = np.maximum(ceiling["tax"] * 0.3, use["VOF"] * 1.15 + 1.0)
        department_budgets = [
            {"department": "VOF", "year": y, "ceiling": round(float(v), 1)}
            for y, v in zip(self.years, vof, strict=True)
        ]

        # staff: recruitable by year t grows linearly; the forced projects always fit
        staff = []
        for dept, _ in DEPARTMENTS:
            total = sum(
                max(c["staff_fte"], 0.0) for c in self.candidates if c["department"] == dept
            )
            if total <= 0:
                continue
            recruitable = 0.55 * total * np.arange(1, n_years + 1) / n_years
            recruitable = np.maximum(recruitable, use[f"fte:{dept}"] * 1.1 + 1.0)
            staff += [
                {"department": dept, "year": y, "recruitable_fte": round(float(v), 1)}
                for y, v in zip(self.years, recruitable, strict=True)
            ]

        # CO2e: existing operations fall 4 % a year; the cap leaves room for about a third of
        # what the whole list would emit in a year, and always for the forced projects
        existing_co2e = 20_000 * self.spec.candidates / 250 * 0.96 ** np.arange(n_years)
        list_emission = sum(c["embodied_co2e_t"] for c in self.candidates) / n_years
        room = np.maximum(0.35 * list_emission * np.ones(n_years), use["co2e"] * 1.2 + 10)
        cap = existing_co2e + room
        cumulative = float(existing_co2e.sum() + room.sum() * 0.8)
        cumulative = max(cumulative, float(existing_co2e.sum() + use["co2e"].sum() * 1.2 + 100))

        # delivery: projects under construction at once
        total_k = np.maximum(max(4, round(self.spec.candidates * 0.08)), use["delivery"] + 2)
        buf_k = int(max(3, round(self.spec.candidates * 0.03), use["delivery:BUF"].max() + 2))

        # debt: self-financing pays 60 % of the tax ceiling; the ceiling allows the forced path
        self_financing = ceiling["tax"] * 0.6
        opening = round(float(ceiling["tax"].mean() * 3), 1)
        forced_debt, debt = np.zeros(n_years), opening
        for i in range(n_years):  # D[t] = max(0, D[t-1] + spend - self-financing)
            debt = max(0.0, debt + use["tax"][i] - self_financing[i])
            forced_debt[i] = debt
        debt_ceiling = np.maximum(
            opening + np.cumsum(ceiling["tax"] * 0.25), np.maximum(forced_debt, 0) * 1.1 + 10
        )
        policy = [
            {
                "year": y,
                "co2e_cap_t": round(float(cap[i]), 1),
                "existing_co2e_t": round(float(existing_co2e[i]), 1),
                "max_projects_under_construction": int(total_k[i]),
                "self_financing": round(float(self_financing[i]), 1),
                "debt_ceiling": round(float(debt_ceiling[i]), 1),
            }
            for i, y in enumerate(self.years)
        ]

        districts = []
        for i, d in enumerate(self.districts):
            k = len(self.districts)
            neighbours = sorted({self.districts[(i - 1) % k], self.districts[(i + 1) % k]} - {d})
            if k > 4 and rng.random() < 0.3:
                neighbours = sorted(set(neighbours) | {self.districts[(i + k // 2) % k]})
            districts.append({"id": d, "name": f"District {i + 1}", "neighbours": neighbours})

        settings = {
            "scenario": {
                "name": self.name,
                "description": f"Synthetic benchmark scenario: {self.spec.candidates} candidates, {n_years} years.",
                "first_year": self.years[0],
                "last_year": self.last,
                "discount_rate": 0.035,
                "default_variant": "trend",
                "objective": "cost",
            },
            "climate": {
                "carbon_price_sek_per_t": 1200.0,
                "cumulative_budget_t": round(cumulative, 1),
            },
            "debt": {"opening": opening, "interest_rate": 0.02, "pools": ["tax"]},
            "departments": [
                {
                    "id": d,
                    "name": name,
                    **({"max_projects_under_construction": buf_k} if d == "BUF" else {}),
                }
                for d, name in DEPARTMENTS
            ],
            "services": [
                {
                    "id": k.id,
                    "name": k.name,
                    "unit": k.unit,
                    "department": k.department,
                    "demand_rates": k.rates,
                    "fixed_need": float(k.fixed_need),
                    "shortfall_cost": k.shortfall_cost,
                    "by_district": k.by_district,
                    "neighbour_share": k.neighbour_share,
                }
                for k in SERVICE_KINDS
            ],
            "districts": districts,
            "pools": [
                {
                    "id": "tax",
                    "name": "Skattefinansierat",
                    "carry_over": True,
                    "carry_over_cap": round(float(ceiling["tax"].mean() * 0.2), 1),
                },
                {"id": "va", "name": "VA (avgiftsfinansierat)", "carry_over": True},
            ],
            "variants": {
                "trend": {"description": "Population as projected.", "population": "trend"},
                "high": {
                    "description": "Faster growth, 10 % more budget.",
                    "population": "high",
                    "budget_factor": 1.1,
                },
            },
        }
        for cand in self.candidates:
            cand.setdefault("tags", "")
        tables = {
            "candidates": (CANDIDATE_COLUMNS, self.candidates),
            "candidate_capacity": (["candidate", "service", "capacity"], self.capacity),
            "dependencies": (["candidate", "requires", "kind", "lag"], self.dependencies),
            "existing_assets": (
                ["id", "name", "service", "district", "capacity", "retirement_year"],
                assets,
            ),
            "population": (["variant", "year", "district", "age_group", "population"], pop_rows),
            "budgets": (["pool", "year", "ceiling"], budgets),
            "department_budgets": (["department", "year", "ceiling"], department_budgets),
            "staff": (["department", "year", "recruitable_fte"], staff),
            "policy_years": (list(policy[0]), policy),
        }
        return settings, tables


def _nice(value: float) -> float:
    """Round a capacity to what a planner would write (two significant digits, at least 1)."""
    return max(float(f"{value:.2g}"), 1.0)


# ======================================================================================
# Writing
# ======================================================================================
def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)


def to_toml(settings: dict) -> str:
    """scenario.toml text, written by the project's own TOML writer."""
    return dumps(settings, header="Generated by benchmarks/generator.py; do not edit by hand.")
