# ruff: noqa: E501 - Japanese text counts double width
"""Validation rules read in Japanese: every rule the loader gives for the hostile-input corpus
and for a hand list of typical mistakes (misspelt keys, distributions short of a parameter,
words where numbers belong) is translated, with no English sentence left in it."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest

from sim.errors import InputError
from sim.loader import load_scenario
from tests.hostile_corpus import BASELINE, CAND, all_cases
from webapp.messages_ja import RULES, translate

#: What may stay in Latin letters: names quoted from the input, keys (snake_case), fiscal
#: years, distribution calls, file names, numbers, units and the words of a formula.
_KEPT = re.compile(
    r"「[^」]*」|'[^']*'|\"[^\"]*\"|\w+\([^)]*\)|[\w.-]+\.(?:toml|csv|xlsx|xls)\b|\w*_\w*"
    r"|FY\d+|t-CO2|Excel|UTF-8|UTF-16|Shift_JIS|CP932|CSV|TOML|HTML|ID|JC|MB|Bass|dist|"
    r"\b(?:low|mode|high|mean|sd|lamb|a|b|p|value)\b")
#: Two English words in a row: a sentence left untranslated.
_ENGLISH = re.compile(r"[A-Za-z]{2,}[ ,;:]+[A-Za-z]{2,}")


def english_left(japanese: str) -> list[str]:
    """Runs of English words in ``japanese`` once quoted names, keys and formulas are set aside."""
    return _ENGLISH.findall(_KEPT.sub(" # ", japanese))


#: Typical mistakes, each a line added to a scenario that extends the baseline.
MISTAKES = {
    "misspelt program key": "[program]\nbudgte = 1",
    "misspelt top-level key": "budgte = 1",
    "misspelt project key": f"[projects.{CAND}]\nmain_cost = 3",
    "a parameter short": f'[projects.{CAND}]\nmain_cost_oku_yen = "triangular(1, 2)"',
    "a parameter too many": f'[projects.{CAND}]\nmain_cost_oku_yen = "triangular(1, 2, 3, 4)"',
    "a parameter twice (table)": f'[projects.{CAND}]\nmain_cost_oku_yen = "pert(1, 2, 3, lamb=1, lamb=8)"',
    "an unknown parameter": f'[projects.{CAND}]\nmain_cost_oku_yen = "pert(1, 2, 3, shape=2)"',
    "an unknown distribution": f'[projects.{CAND}]\nmain_cost_oku_yen = "gamma(1, 2)"',
    "uniform reversed": f'[projects.{CAND}]\nmain_cost_oku_yen = "uniform(3, 1)"',
    "triangular reversed": f'[projects.{CAND}]\nmain_cost_oku_yen = "triangular(3, 2, 1)"',
    "pert lamb 0": f'[projects.{CAND}]\nmain_cost_oku_yen = "pert(1, 2, 3, lamb=0)"',
    "normal sd 0": f'[projects.{CAND}]\nmain_cost_oku_yen = "normal(1, 0)"',
    "normal bounds reversed": f'[projects.{CAND}]\nmain_cost_oku_yen = "normal(5, 1, low=3, high=2)"',
    "lognormal mean 0": f'[projects.{CAND}]\nmain_cost_oku_yen = "lognormal(0, 1)"',
    "lognormal sd 0": f'[projects.{CAND}]\nmain_cost_oku_yen = "lognormal(1, 0)"',
    "lognormal tail": f'[projects.{CAND}]\nmain_cost_oku_yen = "lognormal(1, 100000)"',
    "beta a 0": f'[projects.{CAND}]\nperformance_ratio = "beta(0, 1)"',
    "beta bounds reversed": f'[projects.{CAND}]\nmain_cost_oku_yen = "beta(1, 1, low=2, high=1)"',
    "two commas": f'[projects.{CAND}]\nmain_cost_oku_yen = "pert(1,, 3)"',
    "positional after keyword": f'[projects.{CAND}]\nmain_cost_oku_yen = "pert(low=1, 2, 3)"',
    "a word in a call": f'[projects.{CAND}]\nmain_cost_oku_yen = "uniform(1, x)"',
    "a number in kanji": f'[projects.{CAND}]\nmain_months = "三十六"',
    "empty value": f'[projects.{CAND}]\nmain_cost_oku_yen = ""',
    "a table without dist": f"[projects.{CAND}]\nmain_cost_oku_yen = {{low = 1, mode = 2, high = 3}}",
    "true for a number": f"[projects.{CAND}]\nmain_cost_oku_yen = true",
    "a list for a number": f"[projects.{CAND}]\nmain_cost_oku_yen = [1, 2]",
    "a year in kanji": '[program]\nfirst_fy = "二〇一八"',
    "a year with a fraction": "[program]\nfirst_fy = 2018.5",
    "a year as a date": "[program]\nfirst_fy = 2018-04-01",
    "a year too late": "[program]\nhorizon_fy = 2200",
    "as_of outside": "[program]\nas_of_fy = 2060",
    "an unknown kind": f'[projects.{CAND}]\nkind = "pilot"',
    "an unknown status": f'[projects.{CAND}]\nstatus = "paused"',
    "a word for a count": '[assumptions]\ntpe_capacity = "many"',
    "a zero capacity": "[assumptions]\ntpe_capacity = 0",
    "a negative target": "[targets]\nprojects_implemented = -1",
    "a name too long": f'[projects.{CAND}]\nname = "{"x" * 10_001}"',
    "html in a name": f'[projects.{CAND}]\nname = "<b>x</b>"',
    "a sourced value with extra keys": f'[projects.{CAND}]\nmain_cost_oku_yen = {{value = 3, source = "x", note = "y"}}',
    "a sourced value without source": f"[projects.{CAND}]\nmain_cost_oku_yen = {{value = 3}}",
}


def _rules(files: dict[str, str | bytes], main: str) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "baseline.toml").write_bytes(BASELINE.read_bytes())
        for name, data in files.items():
            target = root / name
            if isinstance(data, str):
                target.write_text(data.replace("{baseline}", str(BASELINE)), encoding="utf-8")
            else:
                target.write_bytes(data)
        try:
            load_scenario(root / main)
        except InputError as err:
            return [p.rule for p in err.problems]
    return []


def _corpus_rules() -> list[str]:
    rules: dict[str, None] = {}
    for case in all_cases():
        mains = [a for a in case.argv if a.endswith(".toml")]
        if not mains or case.symlinks:
            continue
        for rule in _rules(case.files, mains[0]):
            rules.setdefault(rule)
    return list(rules)


@pytest.mark.parametrize("name", list(MISTAKES))
def test_a_typical_mistake_reads_in_japanese(name):
    rules = _rules({"s.toml": 'extends = "baseline.toml"\n' + MISTAKES[name] + "\n"}, "s.toml")
    assert rules, f"{name}: accepted"
    for rule in rules:
        japanese = translate(rule, RULES)
        assert not english_left(japanese), (rule, japanese)


@pytest.mark.parametrize("name, japanese", [
    ("misspelt top-level key", "未知の項目「budgte」です。「budget」のことですか？（使用可能：assumptions、budget、"),
    ("a parameter short", "triangular のパラメータが足りません：high"),
    ("a number in kanji", "「三十六」は数値でも分布（例：triangular(1, 2, 4)）でもありません"),
    ("a year in kanji", "整数を入力してください（入力：'二〇一八'）"),
    ("a year as a date", "整数を入力してください（入力：2018-04-01。日付として読まれています：年度は数値で書いてください）"),
    ("an unknown status", "'candidate'、'running'、'finished' のいずれかを入力してください"),
    ("a zero capacity", "1 以上の値を入力してください"),
    ("beta a 0", "beta の条件：a > 0 かつ b > 0"),
])
def test_what_the_planner_reads(name, japanese):
    """The helper's findings, word for word: 「未知の項目です 'budgte'; did you mean…」,
    "triangular is missing parameter(s): high" and pydantic's English are gone."""
    rules = _rules({"s.toml": 'extends = "baseline.toml"\n' + MISTAKES[name] + "\n"}, "s.toml")
    assert any(translate(r, RULES).startswith(japanese) for r in rules), \
        [translate(r, RULES) for r in rules]


def test_every_rule_of_the_hostile_corpus_reads_in_japanese():
    left = {}
    for rule in _corpus_rules():
        japanese = translate(rule, RULES)
        if english_left(japanese):
            left[rule] = japanese
    assert not left, "\n".join(f"{en}\n  → {ja}" for en, ja in left.items())
