# ruff: noqa: E501 - name tables: Japanese text counts double width
"""Names in the planner's language: shipped scenarios, countries, projects, technologies,
sources (as citations) and assumptions (by what they mean, not by their scenario-file key).

The Japanese names of what the shipped scenarios contain are in ``webapp/catalog.toml``, those
of the partner countries in ``sim/country_names.py`` (the loader reads them too); a name that
is not there (an upload, something a planner typed) is shown as written.
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path

from sim import country_names
from sim.field_names import FIELD_NAMES
from webapp import i18n

CATALOG = Path(__file__).with_name("catalog.toml")

#: Scenario fields by what they mean: key -> (English, Japanese).
FIELDS = FIELD_NAMES
_GROUPS: dict[str, tuple[str, str]] = {
    "assumptions": ("Program", "事業全体"),
    "program": ("Program years", "事業期間"),
    "targets": ("Targets", "目標"),
    "budget": ("Budget", "予算"),
}


@functools.cache
def _catalog() -> dict:
    with CATALOG.open("rb") as fh:
        return tomllib.load(fh)


def _ja() -> bool:
    return i18n.lang() == "ja"


@functools.lru_cache(maxsize=64)
def shipped_name(rel: str) -> str | None:
    """The ``name`` a shipped scenario file gives itself (None when it cannot be read)."""
    from sim.errors import InputError
    from webapp.scenarios import load_shipped

    try:
        name = load_shipped(rel).get("name")
    except InputError:
        return None
    return name if isinstance(name, str) and name else None


def scenario(name: str) -> str:
    """A shipped scenario's name in the current language."""
    if not _ja():
        return name
    return _catalog()["scenarios"].get(name, {}).get("ja", name)


def description(text: str) -> str:
    return _catalog()["descriptions"].get(text, text) if _ja() else text


def country(name: str) -> str:
    """A partner country's name in the current language (Japanese names: sim.country_names)."""
    return country_names.japanese(name) if _ja() else name


def technology(name: str) -> str:
    return _catalog()["technologies"].get(name, name) if _ja() else name


_GENERATED = (
    (re.compile(r"^(.+) demonstration in (.+)$"), "{1}における{0}の実証"),
    (re.compile(r"^JCM methodology for (.+) in (.+)$"), "{1}における{0}のJCM方法論開発"),
    (re.compile(r"^Quantification support: privately financed (.+) in (.+)$"),
     "定量化支援：{1}の民間資金による{0}"),
)


def project(pid: str, name: str | None) -> str:
    """A project's name in the current language (shipped projects; generated names by
    their pattern; anything else as written)."""
    text = "" if name is None else str(name)
    if not _ja():
        return text
    known = _catalog()["projects"].get(pid)
    if known:
        return known
    for pattern, form in _GENERATED:
        m = pattern.match(text)
        if m:
            tech = m.group(1)
            tech = technology(tech) if tech in _catalog()["technologies"] else technology(
                tech[0].lower() + tech[1:])
            return form.format(tech, country(m.group(2)))
    return text


_FILE_CITATIONS = (
    ("priors.csv", "CDM statistics and diffusion literature", "CDM統計・普及モデルの文献"),
    ("jcm_projects.csv", "JCM project records (MOEJ/METI releases)", "JCM案件の公表資料（環境省・経済産業省）"),
    ("jcm_partner_countries.csv", "JCM partner countries (MOFA/METI)", "JCMパートナー国（外務省・経済産業省）"),
    ("jcm_aggregates.csv", "JCM statistics (MOEJ/METI releases)", "JCMの統計（環境省・経済産業省）"),
    ("nedo_projects.csv", "NEDO releases", "NEDO公表資料"),
    ("nedo_program_more.csv", "NEDO releases", "NEDO公表資料"),
    ("nedo_program.csv", "NEDO releases", "NEDO公表資料"),
    ("PROGRAM.md", "NEDO program summary and JCM records", "NEDO事業概要・JCMの記録"),
)


#: Phrases of generated sources (the calibration's country lines): text, English, Japanese.
_PHRASES = (
    ("JC cadence: default in [assumptions]", "Joint Committee cadence: the program-wide default",
     "合同委員会の開催頻度：全体の既定値"),
    ("no registered project in jcm_projects.csv",
     "no registered project in the JCM project records", "JCM案件の公表資料に登録案件なし"),
    ("registered projects in jcm_projects.csv", "registered projects in the JCM project records",
     "JCM案件の公表資料に登録案件あり"),
    ("(calibration table)", "(calibration table)", "（較正表）"),
    ("JCM data: ", "JCM records: ", "JCMの公表資料："),
    (" Joint Committee meetings, one every ", " Joint Committee meetings, one every ",
     "回の合同委員会、間隔"),
    (" months, electronic decisions between", " months, electronic decisions between",
     "か月、その間に電子決定"),
    ("gaps between Indonesia's decisions ", "gaps between Indonesia's decisions ",
     "インドネシアの決定の間隔 "),
    (" months", " months", "か月"),
    ("middle of the recorded range", "middle of the recorded range", "記録された期間の中間"),
    ("signing month unknown", "signing month unknown", "署名月不明"),
    ("signed ", "bilateral document signed ", "二国間文書の署名 "),
)


def source(text: str) -> str:
    """A source as a citation in the current language.

    Shipped sources come from the catalogue; for any other text, data-file names are
    replaced by the public documents they were compiled from, and "assumption",
    "illustrative" and "what-if" are said in the current language.
    """
    if not text:
        return ""
    known = _catalog()["sources"].get(text)
    if known:
        return known["ja" if _ja() else "en"]
    out = text
    if text.startswith(("JC cadence: ", "JCM data: ")):  # the calibration's country lines
        for phrase, en, ja in _PHRASES:
            out = out.replace(phrase, ja if _ja() else en)
        if _ja():
            out = out.replace("; ", "；")
    for file, en, ja in _FILE_CITATIONS:
        out = out.replace(file, ja if _ja() else en)
    if _ja():
        for word, ja in (("assumption", "仮定"), ("illustrative", "例示"), ("what-if", "試算")):
            out = re.sub(rf"^{word}\b", ja, out, flags=re.IGNORECASE)
        out = out.replace(": ", "：")
    return out


def assumption(path: str) -> str:
    """An assumption's scenario-file key in words:
    ``countries.Azerbaijan.jc_interval_months`` → "Azerbaijan — Months between Joint
    Committee decisions"; ``defaults.demonstration.bass_p`` → "Demonstration (default) —
    Bass diffusion: innovation coefficient p"."""
    parts = path.split(".")
    idx = 1 if _ja() else 0

    def field(name: str) -> str:
        pair = FIELDS.get(name)
        return pair[idx] if pair else name

    if parts[0] == "budget" and len(parts) == 2:
        fy = parts[1].upper().removeprefix("FY")
        year = i18n.fy(int(fy)) if fy.isdigit() else parts[1]
        return f"{_GROUPS['budget'][idx]} — {year}"
    if parts[0] in ("assumptions", "program", "targets") and len(parts) == 2:
        return field(parts[1])
    if parts[0] == "countries" and len(parts) >= 3:
        return f"{country(parts[1])} — {field(parts[-1])}"
    if parts[0] == "countries" and len(parts) == 2:
        return country(parts[1])
    if parts[0] == "defaults" and len(parts) == 3:
        kind = i18n.kind_label(parts[1])
        default = "（既定値）" if _ja() else " (default)"
        return f"{kind}{default} — {field(parts[2])}"
    if parts[0] == "projects" and len(parts) >= 2:
        head = parts[1]
        return head if len(parts) == 2 else f"{head} — {field(parts[-1])}"
    return field(parts[-1]) if parts[-1] in FIELDS else path
