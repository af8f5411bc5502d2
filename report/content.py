"""What an evaluation report says: every table, built once from one simulation run.

:func:`build_content` turns a scenario, its simulation results and (optionally) a tornado
from :mod:`sensitivity.analysis` into a :class:`Content`: tables of raw numbers, each cell
with its format (:mod:`report.fmt`), in one language. The workbook and the HTML page are both
written from it, so they always agree; the forecast numbers are the ``jcm simulate --json``
document's (:func:`sim.report_data.simulation_report`), taken as they are.

Targets are listed generically from the KPIs the simulation reports: a target row whose KPI
does not exist in this version is left out. Names (the scenario, projects, countries,
technologies, sources) are given in the report's language through :mod:`report.names`; a name
not in its catalogue is given as written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import platform
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

import numpy as np

from report import names
from report.fmt import describe_value, kpi_format, plain_source, with_unit
from report.texts import tr
from sensitivity.labels import field_label, kind_label
from sim.kpi_status import kpis_by_fy, target_year
from sim.report_data import annual_series, simulation_report
from sim.results import SimulationResults
from sim.scenario import Scenario

EVALUATIONS = ("midterm", "final")
GREEN, AMBER = 0.8, 0.5
#: Target rows: (type, KPI id, wording key, evaluations it belongs to).
TARGET_ROWS = (
    ("output", "projects_implemented", "goal.output", EVALUATIONS),
    ("outcome", "avg_credits_per_demo_fy2030_t", "goal.outcome_credits", EVALUATIONS),
    ("outcome", "avg_credits_per_demo_fy2030_all_started_t", "goal.outcome_credits",
     EVALUATIONS),
    ("outcome", "projects_dissemination_100kt", "goal.outcome_dissem", EVALUATIONS),
    ("outcome", "projects_meeting_both", "goal.outcome_both", EVALUATIONS),
    ("outcome", "dissemination_rate", "goal.dissem_rate", EVALUATIONS),
    ("outcome", "dissemination_rate_midterm", "goal.dissem_rate", ("midterm",)),
    ("outcome", "dissemination_rate_final", "goal.dissem_rate", ("final",)),
)
NDC_ROWS = ("credits_fy2030_t", "japan_credits_fy2030_t", "ndc_share_fy2030",
            "japan_ndc_share_fy2030", "credits_fy2040_t", "japan_credits_fy2040_t",
            "ndc_share_fy2040", "japan_ndc_share_fy2040")
COST_ROWS = ("spend_oku_yen", "cost_per_credit_yen")
LIBRARIES = ("numpy", "scipy", "simpy", "pydantic", "pandas", "plotly", "openpyxl", "SALib")


@dataclass(frozen=True)
class Column:
    title: str
    fmt: str


@dataclass
class Table:
    """A table of raw values; ``fmts[i][j]`` overrides the column's format for one cell."""

    key: str
    title: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    fmts: list[list[str]] | None = None
    note: str = ""

    def fmt(self, i: int, j: int) -> str:
        if self.fmts is not None and self.fmts[i][j]:
            return self.fmts[i][j]
        return self.columns[j].fmt


@dataclass(frozen=True)
class Run:
    """What the report needs of one simulation run (the app builds it from its cached
    forecast, the command line from the results; both through the same functions)."""

    doc: dict
    by_fy: dict[str, np.ndarray]
    series: dict[str, np.ndarray]
    years: np.ndarray
    as_of_fy: int
    trials: int
    seed: int

    @classmethod
    def of(cls, scenario: Scenario, results: SimulationResults) -> Run:
        return cls(doc=simulation_report(scenario, results),
                   by_fy=kpis_by_fy(results, scenario), series=annual_series(results),
                   years=np.asarray(results.years), as_of_fy=results.as_of_fy,
                   trials=results.n_trials, seed=results.seed)

    def year_index(self, fy: int) -> int:
        return int(fy - self.years[0])


@dataclass
class Content:
    """Everything the report shows, in one language."""

    lang: str
    title: str
    intro: str
    evaluation: str
    eval_fy: int
    tables: dict[str, Table]
    reproduce: list[tuple[str, str]]
    doc: dict
    ndc_note: str
    run: Run
    tornado: dict | None = None


def light(prob: float | None) -> str:
    if prob is None or not math.isfinite(prob):
        return ""
    return "green" if prob >= GREEN else "amber" if prob >= AMBER else "red"


def kpi_name(kpi_id: str, fallback: str, lang: str) -> str:
    from report.texts import has

    return tr(f"kpi.{kpi_id}", lang) if has(f"kpi.{kpi_id}") else fallback


def _fy(year: int, lang: str) -> str:
    return f"{year}年度" if lang == "ja" else f"FY{year}"


def versions() -> dict[str, str]:
    """The tool's and the main libraries' versions."""
    out = {"python": platform.python_version()}
    for name in ("jcm-planner", *LIBRARIES):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = ""
    return out


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _targets(doc: dict, run: Run, scenario: Scenario, evaluation: str,
             eval_fy: int, lang: str) -> Table:
    fy_text = _fy(eval_fy, lang)
    cols = [Column(tr("col.type", lang), "text"), Column(tr("col.goal", lang), "text"),
            Column(tr("col.indicator", lang), "text"), Column(tr("col.target", lang), "text"),
            Column(tr("col.target_fy", lang), "text"),
            Column(tr("col.status", lang, fy=fy_text), "num"),
            Column(tr("col.status_prob", lang, fy=fy_text), "pct"),
            Column(tr("col.p10", lang), "num"), Column(tr("col.p50", lang), "num"),
            Column(tr("col.p90", lang), "num"), Column(tr("col.prob", lang), "pct"),
            Column(tr("col.judgement", lang), "text")]
    table = Table("targets", tr("sec.targets", lang), cols, fmts=[])
    by_fy = run.by_fy
    yi = min(max(run.year_index(eval_fy), 0), len(run.years) - 1)
    tg = scenario.targets
    kpis = doc["kpis"]
    for kind, kid, wording, evals in TARGET_ROWS:
        if kid not in kpis or evaluation not in evals:
            continue
        k = kpis[kid]
        unit = k["unit"]
        target = k["target"]
        if kid in ("projects_dissemination_100kt", "projects_meeting_both"):
            count = (tr("target.count_unset", lang) if target is None
                     else with_unit(target, unit, lang))
            amount = with_unit(tg.dissemination_reduction_per_project_t, "t-CO2", lang)
            if kid == "projects_meeting_both":
                if target is not None and target <= 1:
                    count = tr("target.at_least_one", lang)
                target_text = tr("target.both", lang, credits=with_unit(
                    tg.avg_credits_per_demo_fy2030_t, "t-CO2", lang), amount=amount,
                    count=count)
            else:
                target_text = tr("target.dissem", lang, amount=amount, count=count)
        elif target is None:
            target_text = ""
        else:
            target_text = tr("target.at_least", lang, value=with_unit(target, unit, lang))
        status = met = None
        if kid in by_fy:
            now = by_fy[kid][:, yi].astype(np.float64)
            ok = now[np.isfinite(now)]
            status = float(np.percentile(ok, 50)) if ok.size else None
            if target is not None:
                met = float((np.isfinite(now) & (now >= target - 1e-9)).mean())
        fmt = kpi_format(unit)
        pfmt = [kpi_format(unit, k[p]) if fmt == "dec1" else fmt for p in ("p10", "p50", "p90")]
        table.rows.append([
            tr(f"type.{kind}", lang), tr(wording, lang, n=tg.projects_implemented),
            kpi_name(kid, k["label"], lang), target_text,
            tr("end_of", lang, fy=_fy(target_year(kid, scenario), lang)),
            status, met, k["p10"], k["p50"], k["p90"], k["prob_meet"],
            tr(f"judge.{light(k['prob_meet'])}", lang) if light(k["prob_meet"]) else "",
        ])
        sfmt = kpi_format(unit, status) if fmt == "dec1" else fmt
        table.fmts.append(["", "", "", "", "", sfmt, "", *pfmt, "", ""])
    return table


def _kpi_rows(doc: dict, ids: tuple[str, ...], key: str, title: str, lang: str) -> Table:
    cols = [Column(tr("col.indicator", lang), "text"), Column(tr("col.unit", lang), "text"),
            Column(tr("col.mean", lang), "num"), Column(tr("col.p10", lang), "num"),
            Column(tr("col.p50", lang), "num"), Column(tr("col.p90", lang), "num"),
            Column(tr("col.se", lang), "num")]
    table = Table(key, title, cols, fmts=[])
    for kid in ids:
        k = doc["kpis"].get(kid)
        if k is None:
            continue
        unit = k["unit"]
        fmt = kpi_format(unit)
        table.rows.append([kpi_name(kid, k["label"], lang), tr(f"unit.{unit}", lang),
                           k["mean"], k["p10"], k["p50"], k["p90"], k["std_error"]])
        table.fmts.append(["", "", fmt, *[kpi_format(unit, k[p]) if fmt == "dec1" else fmt
                                          for p in ("p10", "p50", "p90")], fmt])
    return table


def _budget(doc: dict, scenario: Scenario, lang: str) -> Table:
    cols = [Column(tr("col.fy", lang), "text"), Column(tr("col.basis", lang), "text"),
            Column(tr("col.budget", lang), "oku"), Column(tr("col.spend", lang), "oku"),
            Column(tr("col.spend_p10", lang), "oku"), Column(tr("col.spend_p90", lang), "oku"),
            Column(tr("col.use", lang), "pct"), Column(tr("col.unspent", lang), "oku")]
    table = Table("budget", tr("sec.budget", lang), cols)
    by = doc["by_fy"]
    prog = scenario.program
    for j, fy in enumerate(by["years"]):
        if fy > prog.last_fy:
            break
        budget = by["budget_oku_yen"]["mean"][j]
        spend = by["spend_oku_yen"]["mean"][j]
        if budget == 0 and spend == 0:
            continue
        basis = "actual" if fy < prog.as_of_fy else "forecast"
        table.rows.append([_fy(fy, lang), tr(f"basis.{basis}", lang), budget or None, spend,
                           by["spend_oku_yen"]["p10"][j], by["spend_oku_yen"]["p90"][j],
                           spend / budget if budget > 0 else None,
                           max(budget - spend, 0.0) if fy >= prog.as_of_fy else None])
    return table


def _projects(doc: dict, scenario: Scenario, lang: str) -> Table:
    cols = [Column(tr("col.id", lang), "text"), Column(tr("col.name", lang), "text"),
            Column(tr("col.country", lang), "text"), Column(tr("col.technology", lang), "text"),
            Column(tr("col.kind", lang), "text"), Column(tr("col.pstatus", lang), "text"),
            Column(tr("col.prob_started", lang), "pct"),
            Column(tr("col.prob_succeeded", lang), "pct"),
            Column(tr("col.credits_2030", lang), "t"), Column(tr("col.credits_2040", lang), "t"),
            Column(tr("col.pspend", lang), "oku"), Column(tr("col.cost_per_t", lang), "jpy"),
            Column(tr("col.prob_dissem", lang), "pct")]
    table = Table("projects", tr("sec.projects", lang), cols)
    by_id = {p.id: p for p in scenario.projects}
    for r in doc["projects"]:
        p = by_id.get(r["id"])
        table.rows.append([r["id"], names.project_name(r["id"], p.name if p else "", lang),
                           names.country(p.country, lang) if p else "",
                           names.technology(p.technology, lang) if p else "",
                           tr(f"kind.{r['kind']}", lang),
                           tr(f"status.{r['status']}", lang), r["prob_started"],
                           r["prob_succeeded"], r["expected_credits_fy2030_t"],
                           r["expected_credits_fy2040_t"], r["expected_spend_oku_yen"],
                           r["cost_per_credit_yen"], r.get("prob_disseminated")])
    return table


def _value_at(raw: dict | None, path: list[str]) -> Any:
    node: Any = raw or {}
    for part in path:
        if isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return None
    return node


def _assumptions(scenario: Scenario, raw: dict | None, lang: str) -> Table:
    cols = [Column(tr("col.item", lang), "text"), Column(tr("col.value", lang), "text"),
            Column(tr("col.source", lang), "text")]
    table = Table("assumptions", tr("sec.assumptions", lang), cols)
    project_names = {p.id: p.name for p in scenario.projects}
    other_countries = 0
    for path, source in scenario.sources.items():
        parts = path.split(".")
        head = parts[0]
        if head in ("program", "targets"):
            continue
        value: Any = None
        if head == "budget":
            fy = int(parts[1][2:]) if parts[1][2:].isdigit() else None
            item = tr("item.budget", lang, fy=_fy(fy, lang) if fy else parts[1])
            d = scenario.budget_oku_yen.get(fy) if fy else None
            value = d.to_text() if d is not None else _value_at(raw, parts)
            text = describe_value(value, "budget_oku_yen", lang)
        elif head == "assumptions":
            fld = parts[1]
            item = field_label(fld, lang)
            text = describe_value(getattr(scenario.assumptions, fld, None)
                                  if not hasattr(getattr(scenario.assumptions, fld, None),
                                                 "to_text")
                                  else getattr(scenario.assumptions, fld).to_text(), fld, lang)
        elif head == "countries":
            name = ".".join(parts[1:-1])
            c = scenario.countries.get(name)
            if c is None or c.jc_interval_months is None:
                other_countries += 1
                continue
            item = tr("item.country", lang, country=names.country(name, lang))
            text = describe_value(c.jc_interval_months.to_text(), "jc_interval_months", lang)
        elif head == "defaults":
            kind, fld = parts[1], parts[-1]
            item = tr("item.default", lang, kind=kind_label(kind, lang),
                      field=field_label(fld, lang))
            text = describe_value(_value_at(raw, parts), fld, lang)
        elif head == "projects":
            pid, fld = parts[1], parts[-1]
            who = names.project_name(pid, project_names.get(pid), lang) or pid
            item = f"{who}：{field_label(fld, lang)}" if lang == "ja" else \
                f"{who}: {field_label(fld, lang)}"
            text = describe_value(_value_at(raw, parts), fld, lang)
        else:
            item, text = path, describe_value(_value_at(raw, parts), parts[-1], lang)
        table.rows.append([item, text, plain_source(source, lang)])
    if other_countries:
        table.rows.append([tr("item.other_countries", lang), tr("value.default", lang),
                           plain_source("assumption", lang)])
    return table


def localised_tornado(tornado: dict | None, scenario: Scenario, lang: str) -> dict | None:
    """The tornado with each project-scoped factor's label naming the project in ``lang``
    (the analysis labels it with the project's name as the scenario writes it)."""
    if tornado is None or lang != "ja":
        return tornado
    written = {p.id: p.name for p in scenario.projects}
    key = f"label_{lang}"
    factors = []
    for f in tornado["factors"]:
        scope = str(f.get("scope", ""))
        if scope.startswith("project:"):
            pid = scope.removeprefix("project:")
            who = written.get(pid) or pid
            if str(f.get(key, "")).startswith(f"{who}："):
                shown = names.project_name(pid, written.get(pid), lang) or pid
                f = {**f, key: shown + f[key][len(who):]}
        factors.append(f)
    return {**tornado, "factors": factors}


def _sensitivity(tornado: dict, lang: str) -> Table:
    unit = tornado["unit"]
    fmt = kpi_format(unit)
    fmt = "num" if fmt == "dec1" else fmt
    cols = [Column(tr("col.factor", lang), "text"), Column(tr("col.range", lang), "text"),
            Column(tr("col.low_value", lang), "num"), Column(tr("col.high_value", lang), "num"),
            Column(tr("col.mean_low", lang), fmt), Column(tr("col.mean_high", lang), fmt),
            Column(tr("col.swing", lang), fmt), Column(tr("col.swing_se", lang), fmt),
            Column(tr("col.noise", lang), "text")]
    has_prob = tornado.get("target") is not None
    if has_prob:
        cols += [Column(tr("col.prob_low", lang), "pct"), Column(tr("col.prob_high", lang), "pct")]
    s = tornado["settings"]
    label = kpi_name(tornado["kpi"], tornado["kpi_label"], lang)
    table = Table("sensitivity", tr("sec.sensitivity", lang), cols,
                  note=tr("sens.note", lang, kpi=label, trials=f"{s['trials']:,}", seed=s["seed"]))
    for f in tornado["factors"]:
        row = [f[f"label_{lang}"], f[f"range_{lang}"], f["low_value"], f["high_value"],
               f["mean_low"], f["mean_high"], f["swing"], f["swing_se"],
               tr("yes", lang) if f["within_noise"] else ""]
        if has_prob:
            row += [f["prob_low"], f["prob_high"]]
        table.rows.append(row)
    return table


def build_content(scenario: Scenario, results: SimulationResults | Run, evaluation: str, lang: str,
                  raw: dict | None = None, scenario_sha256: str = "", tornado: dict | None = None,
                  command: str = "", made: dt.datetime | None = None) -> Content:
    """Every table of the report (see the module docstring).

    Parameters
    ----------
    results : SimulationResults or Run
    evaluation : "midterm" or "final"
    lang : "ja" or "en"
    raw : dict, optional
        The scenario as written (resolved TOML), for the assumptions' values as written.
    scenario_sha256 : str
        Hash of the scenario file (or of the edited scenario's TOML).
    tornado : dict, optional
        A tornado from :func:`sensitivity.analysis.run`.
    command : str
        The command that reproduces the numbers.
    """
    if evaluation not in EVALUATIONS:
        raise ValueError(f"evaluation must be one of {EVALUATIONS}")
    prog = scenario.program
    eval_fy = prog.midterm_evaluation_fy if evaluation == "midterm" else prog.final_evaluation_fy
    made = made or dt.datetime.now(dt.UTC)
    run = results if isinstance(results, Run) else Run.of(scenario, results)
    doc = run.doc
    tornado = localised_tornado(tornado, scenario, lang)
    scenario_name = names.scenario_name(scenario.name, lang)
    which = tr(f"which.{evaluation}", lang)
    tables = {
        "targets": _targets(doc, run, scenario, evaluation, eval_fy, lang),
        "ndc": _kpi_rows(doc, NDC_ROWS, "ndc", tr("sec.ndc", lang), lang),
        "cost": _kpi_rows(doc, COST_ROWS, "cost", tr("sec.cost", lang), lang),
        "budget": _budget(doc, scenario, lang),
        "projects": _projects(doc, scenario, lang),
        "assumptions": _assumptions(scenario, raw, lang),
    }
    if tornado is not None:
        tables["sensitivity"] = _sensitivity(tornado, lang)
    vers = versions()
    libs = ", ".join(f"{k} {v}" for k, v in vers.items() if k != "jcm-planner" and v)
    date = made.strftime("%Y-%m-%d %H:%M")
    reproduce = [
        (tr("rep.scenario", lang), scenario_name),
        (tr("rep.file", lang), scenario.path or ""),
        (tr("rep.hash", lang), scenario_sha256),
        (tr("rep.evaluation", lang), f"{which} ({_fy(eval_fy, lang)})"),
        (tr("rep.trials", lang), f"{run.trials:,}"),
        (tr("rep.seed", lang), str(run.seed)),
        (tr("rep.date", lang), date),
        (tr("rep.tool", lang), f"jcm-planner {vers.get('jcm-planner', '')}".strip()),
        (tr("rep.libraries", lang), libs),
        (tr("rep.language", lang), lang),
        (tr("rep.command", lang), command),
    ]
    tg = scenario.targets
    return Content(
        lang=lang,
        title=tr("title", lang, which=which, fy=_fy(eval_fy, lang)),
        intro=tr("intro", lang, name=scenario_name, trials=f"{run.trials:,}",
                 seed=run.seed, date=date),
        evaluation=evaluation, eval_fy=eval_fy, tables=tables, reproduce=reproduce, doc=doc,
        ndc_note=tr("ndc.goal", lang, g30=f"{tg.ndc_goal_fy2030_t / 1e6:,.0f} Mt-CO2",
                    g40=f"{tg.ndc_goal_fy2040_t / 1e6:,.0f} Mt-CO2"),
        run=run, tornado=tornado,
    )
