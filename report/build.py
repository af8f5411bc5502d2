"""One call that makes the evaluation report (used by ``jcm report`` and the app's
Evaluation page): content, charts, the HTML page and the workbook, in one language."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from report import charts
from report.content import Content, Run, build_content
from report.html import page
from report.names import project_name
from report.workbook import workbook_bytes
from sim.results import SimulationResults
from sim.scenario import Scenario


@dataclass(frozen=True)
class Report:
    content: Content
    html: bytes
    xlsx: bytes

    def file_stem(self) -> str:
        return f"jcm_{self.content.evaluation}_FY{self.content.eval_fy}_{self.content.lang}"


def figures(content: Content, scenario: Scenario) -> dict:
    """The report's charts by section."""
    lang = content.lang
    run = content.run
    series = run.series
    years = run.years
    tg = scenario.targets
    names = {p.id: project_name(p.id, p.name, lang) for p in scenario.projects}
    out = {"charts": [
        charts.fan(years, series["cumulative_credits_t"],
                   {2030: tg.ndc_goal_fy2030_t, 2040: tg.ndc_goal_fy2040_t}, lang),
        charts.annual(years, series["credits_t"].mean(axis=0),
                      series["dissemination_t"].mean(axis=0), lang),
        charts.timeline(content.doc["timeline"], run.as_of_fy, names, lang,
                        last_fy=min(2040, scenario.program.horizon_fy)),
    ]}
    if content.tornado is not None:
        out["sensitivity"] = [charts.tornado(content.tornado, lang)]
    return out


def build_report(scenario: Scenario, results: SimulationResults | Run, evaluation: str,
                 lang: str, **kwargs) -> Report:
    """The report (see :func:`report.content.build_content` for the arguments)."""
    content = build_content(scenario, results, evaluation, lang, **kwargs)
    text = page(content, figures(content, scenario))
    return Report(content, text.encode("utf-8"), workbook_bytes(content))


def write_report(rep: Report, out_dir: str | Path) -> tuple[Path, Path]:
    """Write ``<stem>.html`` and ``<stem>.xlsx`` into ``out_dir`` (created if needed)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    html_path = out / f"{rep.file_stem()}.html"
    xlsx_path = out / f"{rep.file_stem()}.xlsx"
    html_path.write_bytes(rep.html)
    xlsx_path.write_bytes(rep.xlsx)
    return html_path, xlsx_path
