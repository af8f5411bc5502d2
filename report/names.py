# ruff: noqa: E501 - name tables: Japanese text counts double width
"""Names in a given language: shipped scenarios, countries, projects, technologies and
sources (as citations), for the evaluation report and the app (``webapp/names.py`` passes the
session's language).

The Japanese names of what the shipped scenarios contain are in ``report/catalog.toml``, those
of the partner countries in ``sim/country_names.py`` (the loader reads them too); a name that
is not there (an upload, something a planner typed) is given as written. Every function takes
the language ("ja" or "en"); any language but "ja" gives the English form.
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path

from sim import country_names

CATALOG = Path(__file__).with_name("catalog.toml")


@functools.cache
def catalog() -> dict:
    """The catalogue (``report/catalog.toml``), read once."""
    with CATALOG.open("rb") as fh:
        return tomllib.load(fh)


def scenario_name(name: str, lang: str) -> str:
    """A shipped scenario's name in ``lang``."""
    if lang != "ja":
        return name
    return catalog()["scenarios"].get(name, {}).get("ja", name)


def description(text: str, lang: str) -> str:
    """A shipped scenario's description in ``lang``."""
    return catalog()["descriptions"].get(text, text) if lang == "ja" else text


def country(name: str, lang: str) -> str:
    """A partner country's name in ``lang`` (Japanese names: :mod:`sim.country_names`)."""
    return country_names.japanese(name) if lang == "ja" else name


def technology(name: str, lang: str) -> str:
    """A technology's name in ``lang``."""
    return catalog()["technologies"].get(name, name) if lang == "ja" else name


_GENERATED = (
    (re.compile(r"^(.+) demonstration in (.+)$"), "{1}における{0}の実証"),
    (re.compile(r"^JCM methodology for (.+) in (.+)$"), "{1}における{0}のJCM方法論開発"),
    (re.compile(r"^Quantification support: privately financed (.+) in (.+)$"),
     "定量化支援：{1}の民間資金による{0}"),
)


def project_name(pid: str, name: str | None, lang: str) -> str:
    """A project's name in ``lang`` (shipped projects by id; generated names by their
    pattern; anything else as written)."""
    text = "" if name is None else str(name)
    if lang != "ja":
        return text
    known = catalog()["projects"].get(pid)
    if known:
        return known
    for pattern, form in _GENERATED:
        m = pattern.match(text)
        if m:
            tech = m.group(1)
            if tech not in catalog()["technologies"]:
                tech = tech[0].lower() + tech[1:]
            return form.format(technology(tech, lang), country(m.group(2), lang))
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


def source(text: str, lang: str) -> str:
    """A source as a citation in ``lang``.

    Shipped sources come from the catalogue; for any other text, data-file names are
    replaced by the public documents they were compiled from, and "assumption",
    "illustrative" and "what-if" are said in ``lang``.
    """
    if not text:
        return ""
    ja = lang == "ja"
    known = catalog()["sources"].get(text)
    if known:
        return known["ja" if ja else "en"]
    out = text
    if text.startswith(("JC cadence: ", "JCM data: ")):  # the calibration's country lines
        for phrase, en_form, ja_form in _PHRASES:
            out = out.replace(phrase, ja_form if ja else en_form)
        if ja:
            out = out.replace("; ", "；")
    for file, en_form, ja_form in _FILE_CITATIONS:
        out = out.replace(file, ja_form if ja else en_form)
    if ja:
        for word, ja_form in (("assumption", "仮定"), ("illustrative", "例示"),
                              ("what-if", "試算")):
            out = re.sub(rf"^{word}\b", ja_form, out, flags=re.IGNORECASE)
        out = out.replace(": ", "：")
    return out
