# ruff: noqa: E501 - Japanese text counts double width
"""TOML syntax errors read in Japanese: tomllib's message and its position, no English left."""

from __future__ import annotations

import inspect
import re
import tomllib

import pytest

from sim.errors import InputError
from sim.loader import parse_toml
from webapp.messages_ja import RULES, translate

#: Words of tomllib's messages; none may survive the translation.
ENGLISH = re.compile(r"\b(Expected|Found|Cannot|Invalid|Unclosed|Duplicate|Unescaped|Escaped|"
                     r"Unterminated|Illegal|line|column|end of document|not valid)\b")


def _japanese(toml_text: str) -> str:
    with pytest.raises(tomllib.TOMLDecodeError) as err:
        tomllib.loads(toml_text)
    return translate(f"not valid TOML: {err.value}", RULES)


@pytest.mark.parametrize("text, expected", [
    ("[budget\nFY2027 = 3\n", "表の見出しの最後に「]」が必要です（1 行目、8 文字目）"),
    ("a = 1\na = 2\n", "同じ項目が 2 回書かれています（2 行目、6 文字目）"),
    ('name = "x\n', "文字列が行の終わりまでに閉じられていません（引用符が足りません）（1 行目、10 文字目）"),
    ("a = [1, 2\n", "配列が「]」で閉じられていません（ファイルの末尾）"),
    ("a = {b = 1\n", "インライン表が「}」で閉じられていません"),
    ("path = C:\\data\n", "値が正しくありません（文字列は引用符で囲んでください）（1 行目、8 文字目）"),
    ('path = "C:\\data"\n', "文字列の中の「\\」はエスケープが必要です"),
    ("[program]\n[program]\n", "「program」が 2 回宣言されています（2 行目"),
    ("a = 1 b = 2\n", "項目の後には改行が必要です（1 行に 1 項目）"),
    ("budget\n", "キーの後に「=」が必要です（1 行目、7 文字目）"),
    ("= 1\n", "この行は TOML の項目として読めません（1 行目、1 文字目）"),
    ("a = { b = 1, b = 2 }\n", "インライン表のキー「b」が重複しています"),
    ("[[a]\nx = 1\n", "配列の見出しの最後に「]]」が必要です"),
    ('a = "\\uD800"\n', "エスケープした文字が Unicode の文字ではありません"),
    ('a = "\x01"\n', "文字列に使えない文字「\\x01」があります"),
    ("a = [1]\n[[a]]\n", "「a」は定義済みのため変更できません"),
])
def test_a_toml_syntax_error_reads_in_japanese(text, expected):
    """A planner who mistypes the scenario file reads what is wrong and where, in Japanese
    (full-width letters in a key, a Windows path without quotes, an unclosed table...)."""
    message = _japanese(text)
    assert message.startswith("TOML として読めません："), message
    assert expected in message, message
    assert not ENGLISH.search(message), message


def _templates() -> list[str]:
    """Every message tomllib's parser can raise, its placeholders filled with a key."""
    source = inspect.getsource(tomllib._parser)
    found = re.findall(r'suffixed_err\(\s*src,\s*\w+,\s*f?"((?:[^"\\]|\\.)*)"', source)
    return sorted({re.sub(r"\{[^}]*\}", "'k'", m).replace("\\\\", "\\") for m in found})


def test_every_message_of_this_pythons_tomllib_is_translated():
    """The Python running the tests (3.11 in CI, newer elsewhere) raises no TOML message the
    table does not know."""
    templates = _templates()
    assert len(templates) >= 15, templates
    for message in templates:
        japanese = translate(f"not valid TOML: {message} (at line 2, column 3)", RULES)
        assert not ENGLISH.search(japanese), (message, japanese)
        assert japanese.endswith("（2 行目、3 文字目）"), japanese


def _loader_rule(text: str) -> str:
    with pytest.raises(InputError) as err:
        parse_toml(text.encode("utf-8"), "mine.toml")
    [problem] = err.value.problems
    assert problem.file == "mine.toml"
    return problem.rule


@pytest.mark.parametrize("text, line, shown, shown_ja", [
    ("ｂｕｄｇｅｔ = 3\n", 1, "ｂｕｄｇｅｔ", "ｂｕｄｇｅｔ"),
    ("[budget]\nFY2027 ＝ 3\n", 2, "＝", "＝"),
    ("[budget]\nFY2027 = ３\n", 2, "３", "３"),
    ("[budget]\nFY2027　= 3\n", 2, "a full-width space", "全角スペース"),
    ("[budget]\nＦＹ2027　= 3\n", 2, "ＦＹ and a full-width space", "ＦＹ、全角スペース"),
])
def test_full_width_characters_in_toml_are_named(text, line, shown, shown_ja):
    """Users type full-width letters, digits, '＝' and spaces: the message says which line
    holds them and that TOML wants half-width ones, in both languages."""
    rule = _loader_rule(text)
    assert rule.startswith("not valid TOML: "), rule
    assert (f"; line {line} holds full-width characters ({shown}): write keys, '=' and numbers "
            "in half-width characters") in rule, rule
    japanese = translate(rule, RULES)
    assert f"{line} 行目に全角文字（{shown_ja}）があります：キー・「=」・数値は半角で入力してください" in (
        japanese), japanese
    assert not ENGLISH.search(japanese), japanese


def test_full_width_text_inside_a_string_is_not_blamed():
    """A Japanese name in quotes is fine; the error on its line is something else."""
    rule = _loader_rule('[program]\nname = "ＪＣＭ　計画" x\n')
    assert "full-width" not in rule, rule
    assert "Expected newline or end of document" in rule
