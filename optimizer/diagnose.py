"""Why is a scenario infeasible? An elastic re-solve that names the conflicting limits in words.

The model is built with ``BuildOptions(elastic=True)`` (``optimizer/model/elastic.py``): every
limit the row-block registry marks elastic (budgets, department ceilings, debt ceilings, CO2e
caps and budget, staff, delivery capacity, must-do and committed projects) and, in hard-coverage
mode, the shortfall get a slack, and the total weighted violation is minimised. The limits whose
slack stays positive are the smallest violation that makes the plan possible; they are reported
with the projects that press on them, e.g. "must-do/committed projects need 820.0 MSEK in 2027;
the tax budget is 600.0 MSEK".
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

from optimizer.data import build_data
from optimizer.model import BuildOptions, ForcedStart, build
from optimizer.model.elastic import slack_block
from optimizer.model.registry import ROW_BLOCK_LIST, ROW_BLOCKS, RowKey
from optimizer.report.i18n import LANGUAGES, format_number, translator, unit_name
from optimizer.scenario import Scenario
from optimizer.solve import SolveSettings, solve


@dataclass(frozen=True)
class Conflict:
    constraint: str  # the row's name, for display
    kind: str  # its row block
    violation: float
    unit: str
    limit: float
    needed: float
    explanation: str  # in English (JSON, logs); ``text(lang)`` for people
    key: RowKey  # which pool, department, service, district, candidate, year
    sentences: dict[str, str] = field(default_factory=dict)  # the explanation by language

    def text(self, lang: str) -> str:
        """The explanation in ``lang`` (sv or en)."""
        return self.sentences.get(lang) or self.explanation


def diagnose(
    scenario: Scenario,
    settings: SolveSettings | None = None,
    forced: tuple[ForcedStart, ...] = (),
    data=None,
    options: BuildOptions | None = None,
) -> list[Conflict]:
    """The limits that must give way, in plain words; empty if the elastic model finds none.

    ``forced``: decisions forced as an explanation asks them (``optimizer.explain``); they stay
    hard, so the limits they collide with are the ones that give way. ``data``: the scenario's
    model data when the caller already has it. ``options``: the mode that was infeasible (e.g. a
    sweep sample with an adopted plan's starts fixed), made elastic.
    """
    settings = settings or SolveSettings(time_limit=60)
    data = data if data is not None else build_data(scenario)
    mode = options or BuildOptions()
    built = build(data, dataclasses.replace(mode, elastic=True, forced=mode.forced + forced))
    model = built.model
    result = solve(model, settings)
    if result.values is None:
        return []
    values = result.values
    rlower, rupper = model.rlower, model.rupper
    conflicts: list[Conflict] = []
    for entry in ROW_BLOCK_LIST:
        slack = model.col_blocks.get(slack_block(entry.name))
        if slack is None:
            continue
        block = model.row_blocks[entry.name]
        for i, key in enumerate(block.keys):
            amount = float(values[slack.start + i])
            if amount <= 1e-6:
                continue
            row = RowKey.of(entry.name, key)
            upper = entry.elastic == "upper"
            bound = float((rupper if upper else rlower)[block.start + i])
            names = key_names(scenario, row)
            needed = bound + amount if upper else bound - amount
            sentences = _explain(
                row, amount, entry.unit, bound, needed, data, values, built, forced, names
            )
            conflicts.append(
                Conflict(
                    constraint=row.name,
                    kind=entry.name,
                    violation=amount,
                    unit=entry.unit,
                    limit=bound,
                    needed=needed,
                    explanation=sentences["en"],
                    key=row,
                    sentences=sentences,
                )
            )
    if scenario.settings.scenario.hard_coverage:
        conflicts += _coverage_conflicts(scenario, built, values)
    return sorted(conflicts, key=lambda c: (-c.violation / max(abs(c.limit), 1.0), c.constraint))


def key_names(scenario: Scenario, row: RowKey) -> dict[str, str]:
    """The names a conflict's words show for the ids of its row key: "Avloppsrening", not
    "wastewater" (a pool's, service's, department's or district's own name, else its id)."""
    named = scenario.names
    return {
        field: named[field].get(getattr(row, field), getattr(row, field))
        for field in ("pool", "service", "department", "district")
        if getattr(row, field)
    }


def decimals_showing(amount: float) -> int:
    """One decimal, or as many more (up to three) as it takes for a small excess not to read
    as "0.0" (a budget exceeded by 0.045 MSEK reads 0.05, and the need and the limit with it)."""
    for decimals in (1, 2):
        if round(amount, decimals) >= 10.0**-decimals:
            return decimals
    return 3


def _coverage_conflicts(scenario: Scenario, built, values: np.ndarray) -> list[Conflict]:
    block = built.model.col_blocks["shortfall"]
    out = []
    for i, key in enumerate(block.keys):
        amount = float(values[block.start + i])
        if amount <= 1e-6:
            continue
        row = RowKey.of("coverage", key)
        service = scenario.service_by_id[row.service]
        sentences = {
            lang: translator(lang)(
                "diag_coverage",
                service=service.name or service.id,
                place=translator(lang)(
                    "diag_coverage_place", district=key_names(scenario, row)["district"]
                )
                if row.district
                else "",
                year=row.year,
                amount=format_number(amount, decimals_showing(amount), lang),
                unit=unit_name(service.unit, lang),
            )
            for lang in LANGUAGES
        }
        out.append(
            Conflict(
                constraint=row.name,
                kind="coverage",
                violation=amount,
                unit=service.unit,
                limit=0.0,
                needed=amount,
                explanation=sentences["en"],
                key=row,
                sentences=sentences,
            )
        )
    return out


def _explain(row: RowKey, amount, unit, limit, needed, data, values, built, forced, names):
    """The conflict in a sentence per language: which limit, which year, by how much, and the
    projects that press on it (``{"en": …, "sv": …}``)."""
    entry = ROW_BLOCKS[row.block]
    if row.block in ("budget", "department_budget"):
        year = row.year
        decided = _forced_spenders(
            data, values, built, year, pool=row.pool, department=row.department
        )
        asked = {f.candidate for f in forced if f.start_year is not None}
        pressing = [c for c in decided if c not in asked]
        spending = _spenders(data, values, built, year, row)
        spending_asked = sorted(asked & set(spending))
    sentences = {}
    for lang in LANGUAGES:
        t = translator(lang)
        where = row.words(entry.limit, lang, **names)
        amount_, needed_, limit_ = (
            format_number(v, decimals_showing(amount), lang) for v in (amount, needed, limit)
        )
        if row.block in ("must_do", "committed"):
            sentences[lang] = t("diag_decided", where=where)
        elif row.block in ("duty", "terminal"):
            service_unit = data.scenario.service_by_id[row.service].unit
            sentences[lang] = t(
                "diag_duty", where=where, amount=amount_, unit=unit_name(service_unit, lang)
            )
        elif row.block in ("budget", "department_budget"):
            parts = [t("diag_money_decided", ids=", ".join(pressing))] if pressing else []
            parts += [t("diag_money_forced", id=c) for c in spending_asked]
            if parts:  # "the forced start of X needs", "projects A, B and … need"
                one = not pressing and len(spending_asked) == 1
                who = t(
                    "diag_money_needs" if one else "diag_money_need", who=t("diag_and").join(parts)
                )
            elif spending:  # no decided project: the projects the least violating plan pays for
                who = t("diag_money_default_ids", ids=", ".join(spending))
            else:
                who = t("diag_money_default")
            sentences[lang] = t(
                "diag_money",
                who=who,
                needed=needed_,
                year=year,
                where=where,
                limit=limit_,
                amount=amount_,
            )
        else:
            sentences[lang] = t(
                "diag_other",
                needed=needed_,
                unit=unit_name(unit, lang),
                where=where,
                limit=limit_,
                amount=amount_,
            )
    return sentences


def _spenders(data, values, built, year, row: RowKey) -> list[str]:
    """Every candidate that spends in ``year`` from the pool or department of ``row``."""
    return _forced_spenders(
        data, values, built, year, pool=row.pool, department=row.department, decided_only=False
    )


def _forced_spenders(
    data, values, built, year, pool=None, department=None, decided_only: bool = True
) -> list[str]:
    """Must-do or committed candidates that spend in ``year`` in the elastic solution."""
    names = []
    x = np.round(values[built.decisions.x]).astype(int)
    for k in np.flatnonzero(x > 0):
        i = int(data.start_candidate[k])
        cand = data.scenario.candidates[i]
        decided = cand.must_do or cand.deadline is not None or cand.committed_year is not None
        if decided_only and not decided:
            continue
        if pool is not None and cand.pool != pool:
            continue
        if department is not None and cand.department != department:
            continue
        offset = year - int(data.start_year[k])
        if 0 <= offset < len(data.profiles[i]) and data.profiles[i][offset] > 0:
            names.append(cand.id)
    return sorted(set(names))
