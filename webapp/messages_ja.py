# ruff: noqa: E501 - pattern table: Japanese text counts double width
"""Messages from the model and the solver (written in English in ``sim/`` and ``optimize/``)
in Japanese, by pattern: validation rules and field paths, solver outcomes, the diagnosis of
an infeasible problem. A message no pattern matches is shown as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sim import country_names

_Replacement = str | Callable[[re.Match[str]], str]
_Pattern = tuple[re.Pattern[str], _Replacement]


def _compile(table: tuple[tuple[str, _Replacement], ...]) -> tuple[_Pattern, ...]:
    return tuple((re.compile(p), r) for p, r in table)


def _country(name: str) -> str:
    """A scenario's country in Japanese, its name in the scenario after it: ジョージア（Georgia）."""
    ja = country_names.japanese(name)
    return name if ja == name else f"{ja}（{name}）"


def _unknown_country(m: re.Match[str]) -> str:
    """The unknown-country rule, the suggestion and the allowed countries named in Japanese."""
    name, close, allowed = m.group(1), m.group(2), m.group(3)
    hint = f"。「{_country(close)}」のことですか？" if close else ""
    listed = "、".join(_country(c) for c in allowed.split(", "))
    return f"国「{name}」は登録されていません{hint}（使用可能：{listed}）"


def _country_read_as(m: re.Match[str]) -> str:
    """The note that a project's country was read as one of the scenario's countries."""
    return f"{m.group(1)}：国名「{m.group(2)}」を「{_country(m.group(3))}」として読み込みました"


#: tomllib's syntax errors, by pattern (a test checks every message of the running Python's
#: tomllib); ``{0}`` is the quoted key or character.
_TOML_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), r) for p, r in (
    (r"^Invalid statement$", "この行は TOML の項目として読めません"),
    (r"^Expected newline or end of document after a statement$",
     "項目の後には改行が必要です（1 行に 1 項目）"),
    (r"^Expected '=' after a key in a key/value pair$", "キーの後に「=」が必要です"),
    (r"^Expected '\]' at the end of a table declaration$", "表の見出しの最後に「]」が必要です"),
    (r"^Expected '\]\]' at the end of an array declaration$",
     "配列の見出しの最後に「]]」が必要です"),
    (r"^Expected (.+)$", "「{0}」が必要です"),
    (r"^Found invalid character (.+)$", "使えない文字「{0}」があります"),
    (r"^Cannot declare (.+) twice$", "「{0}」が 2 回宣言されています"),
    (r"^Cannot overwrite a value$", "同じ項目が 2 回書かれています"),
    (r"^Cannot mutate immutable namespace (.+)$", "「{0}」は定義済みのため変更できません"),
    (r"^Cannot redefine namespace (.+)$", "「{0}」は再定義できません"),
    (r"^Invalid initial character for a key part$", "キーの先頭に使えない文字があります"),
    (r"^Unclosed array$", "配列が「]」で閉じられていません"),
    (r"^Duplicate inline table key (.+)$", "インライン表のキー「{0}」が重複しています"),
    (r"^Unclosed inline table$", "インライン表が「}}」で閉じられていません"),
    (r"^Unescaped '\\' in a string$",
     "文字列の中の「\\」はエスケープが必要です（Windows のパスは '…' で囲むか \\\\ と書いてください）"),
    (r"^Invalid hex value$", "16 進数の値が正しくありません"),
    (r"^Escaped character is not a Unicode scalar value$",
     "エスケープした文字が Unicode の文字ではありません"),
    (r"^Unterminated string$", "文字列が閉じられていません（引用符が足りません）"),
    (r"^Illegal character '\\n'$", "文字列が行の終わりまでに閉じられていません（引用符が足りません）"),
    (r"^Illegal character (.+)$", "文字列に使えない文字「{0}」があります"),
    (r"^Invalid date or datetime$", "日付または日時が正しくありません"),
    (r"^Invalid value$", "値が正しくありません（文字列は引用符で囲んでください）"),
))
_TOML_WIDE = re.compile(r"^(.*); line (\d+) holds full-width characters \((.+)\): write keys, "
                        r"'=' and numbers in half-width characters$", re.S)
_TOML_AT = re.compile(r"^(.*) \(at (?:line (\d+), column (\d+)|(end of document))\)$", re.S)


def _toml_name(text: str) -> str:
    """A key or character as tomllib quotes it (``'x'``, ``('budget', 'FY2027')``), bare."""
    if text.startswith("(") and text.endswith(")"):
        return ".".join(re.findall(r"'([^']*)'", text)) or text
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _toml_error(m: re.Match[str]) -> str:
    """tomllib's message and its position in Japanese (a message it does not know: as written)."""
    detail, where, hint = m.group(1), "", ""
    wide = _TOML_WIDE.match(detail)
    if wide:
        detail, line, chars = wide.groups()
        chars = chars.replace(" and a full-width space", "、全角スペース").replace(
            "a full-width space", "全角スペース")
        hint = (f"。{line} 行目に全角文字（{chars}）があります：キー・「=」・数値は半角で"
                "入力してください")
    at = _TOML_AT.match(detail)
    if at:
        detail = at.group(1)
        where = "（ファイルの末尾）" if at.group(4) else f"（{at.group(2)} 行目、{at.group(3)} 文字目）"
    for pattern, japanese in _TOML_ERRORS:
        hit = pattern.match(detail)
        if hit:
            detail = japanese.format(*(_toml_name(g) for g in hit.groups()))
            break
    return f"TOML として読めません：{detail}{where}{hint}"


_UNKNOWN_WHAT = {"key": "項目", "kind": "種類", "distribution": "分布"}


def _listed(names: str) -> str:
    """An English list "a, b, c" with the Japanese comma: 「a、b、c」."""
    return names.replace(", ", "、")


def _unknown_name(m: re.Match[str]) -> str:
    """``unknown key 'x'; did you mean 'y'? (allowed: …)`` (a key, a kind) in Japanese."""
    what, name, close, allowed = m.group(1), m.group(2), m.group(3), m.group(4)
    hint = f"。「{close}」のことですか？" if close else ""
    return f"未知の{_UNKNOWN_WHAT.get(what, what)}「{name}」です{hint}（使用可能：{_listed(allowed)}）"


def _got(tail: str) -> str:
    """A pydantic rule's `` (got …)`` (sim.loader._got) in Japanese, the input as written."""
    m = re.fullmatch(r" \(got (.*), a date: write the fiscal year as a number\)", tail)
    if m:
        return f"（入力：{m.group(1)}。日付として読まれています：年度は数値で書いてください）"
    m = re.fullmatch(r" \(got (.*), a date: format the cell as a number\)", tail)
    if m:
        return f"（入力：{m.group(1)}。日付として読まれています：セルの書式を数値にしてください）"
    m = re.fullmatch(r" \(got (.*)\)", tail)
    return f"（入力：{m.group(1)}）" if m else tail


#: What pydantic says an input should be (``Input should be …``), in Japanese.
_SHOULD_BE: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), r) for p, r in (
    (r"^a valid integer, got a number with a fractional part$", "整数（小数部分のない数）"),
    (r"^a valid integer(?:, unable to parse string as an integer)?$", "整数"),
    (r"^a valid number(?:, unable to parse string as a number)?$", "数値"),
    (r"^a finite number$", "有限の数値"),
    (r"^a valid boolean(?:, unable to interpret input)?$", "true または false"),
    (r"^a valid string$", "文字列"),
    (r"^a valid (?:dictionary|mapping)(?: or instance of \w+)?$", "表（テーブル）"),
    (r"^a valid (?:list|array)$", "リスト"),
    (r"^greater than or equal to (.+)$", "{0} 以上の値"),
    (r"^greater than (.+)$", "{0} より大きい値"),
    (r"^less than or equal to (.+)$", "{0} 以下の値"),
    (r"^less than (.+)$", "{0} 未満の値"),
    (r"^((?:'[^']*', )*'[^']*') or ('[^']*')$", "{0}、{1} のいずれか"),
))


def _should_be(m: re.Match[str]) -> str:
    """``Input should be …`` (pydantic), with the input it got, in Japanese."""
    what, tail = m.group(1), ""
    got = re.search(r" \(got .*\)$", what)
    if got:
        what, tail = what[: got.start()], got.group(0)
    for pattern, japanese in _SHOULD_BE:
        hit = pattern.match(what)
        if hit:
            groups = [g.replace("', '", "'、'") for g in hit.groups()]
            return f"{japanese.format(*groups)}を入力してください{_got(tail)}"
    return f"次の形式で入力してください：{what}{_got(tail)}"


_OS_ERRORS = {"File name too long": "ファイル名が長すぎます"}


#: Validation rules (the part after the field).
RULES: tuple[_Pattern, ...] = _compile((
    # value rules (distributions, numbers, years, files)
    (r"^must never be negative, got (.+)$", r"負の値は使えません（入力：\1）"),
    (r"^must never be negative, but (.+) can take values in (.+)$",
     r"負の値は使えません（\1 は \2 の値をとり得ます）"),
    (r"^'(.*)' is neither a number nor a distribution such as '(.+)'$",
     r"「\1」は数値でも分布（例：\2）でもありません"),
    (r"^FY(\d{4}) is outside the years a candidate can start \(FY(\d{4})–FY(\d{4})\)$",
     r"\1年度は候補の開始可能年度（\2～\3年度）の範囲外です"),
    (r"^required field is missing$", r"必須の項目が入力されていません"),
    (r"^must be a probability in \[0, 1\](.*)$", r"0～1の確率でなければなりません\1"),
    (r"^parameter '(.+)' must be finite, got (.+)$", r"「\1」は有限の数値でなければなりません（入力：\2）"),
    (r"^unknown country '(.*?)'(?:; did you mean '(.*)'\?)? \(allowed: (.*)\)$", _unknown_country),
    (r"^(\w+) needs low <= mode <= high$", r"\1 は 最小 ≤ 最頻 ≤ 最大 の順で入力してください"),
    (r"^latest_start_fy is before earliest_start_fy$", r"開始期限年度が開始可能年度より前です"),
    (r"^file larger than (\d+) MB$", r"ファイルが \1 MB を超えています"),
    (r"^larger than (\d+) MB$", r"ファイルが \1 MB を超えています"),
    (r"^not a UTF-8 (CSV|text) file$", r"UTF-8 のファイルではありません"),
    (r"^not a UTF-8 text CSV file \(it looks like UTF-16: save from Excel as 'CSV UTF-8' or 'CSV'\)$",
     r"UTF-8 の CSV ファイルではありません（UTF-16 のようです。Excel から「CSV UTF-8」か「CSV」で保存してください）"),
    (r"^not a text CSV file \(binary data: an image, a workbook saved with the wrong name or another binary file\?\)$",
     r"テキストの CSV ファイルではありません（バイナリデータです。画像や、名前を変えて保存した Excel ブックなどではありませんか）"),
    (r"^a value in a column that has no header$", r"見出しのない列に値があります"),
    (r"^the table is too large: more than ([\d,]+) cells \(rows × columns\)$",
     r"表が大きすぎます（\1 セルを超えています）"),
    (r"^not valid TOML: (.+)$", _toml_error),
    (r"^not a valid Excel workbook \(\.xlsx\): (.+)$", r"Excel ブックとして読めません（\1）"),
    (r"^the workbook unpacks to too much data \(refused\)$",
     r"展開後のデータが大きすぎるため読み込みません"),
    (r"^only \.toml, \.csv and \.xlsx files can be used$", r".toml、.csv、.xlsx のファイルのみ使用できます"),
    # bounds and encodings (sim/limits.py, sim/tables.py)
    (r"^must be at most (.+?), got (.+)$", r"\1 以下でなければなりません（入力：\2）"),
    (r"^must be at most (.+?) \((.+) reaches (.+)\)$",
     r"\1 以下でなければなりません（\2 は \3 に達します）"),
    (r"^must be (?:positive: )?at least ([^,]+), got (.+)$",
     r"\1 以上でなければなりません（入力：\2）"),
    (r"^FY(-?\d+) is outside the fiscal years accepted \(FY(\d+)–FY(\d+)\)$",
     r"\1年度は受け付ける年度（\2～\3年度）の範囲外です"),
    (r"^FY(\d{4}) is given twice \(as '(.*)' and '(.*)'\); keep one$",
     r"\1年度が2回指定されています（「\2」と「\3」）。1つにしてください"),
    (r"^tables or arrays nested more than (\d+) levels deep \(the limit\)$",
     r"表や配列の入れ子が上限（\1 階層）を超えています"),
    (r"^the workbook unpacks to too much data: more than (\d+) MB \(the limit\)$",
     r"展開後のデータが大きすぎるため読み込みません（上限 \1 MB）"),
    (r"^the workbook is password-protected .*$",
     r"パスワード付き（暗号化）または古い .xls のブックです。パスワードなしの .xlsx で保存してください"),
    (r"^cannot read the text: it is neither UTF-8 nor Shift_JIS .*$",
     r"UTF-8 でも Shift_JIS（CP932）でもないため読めません。Excel から「CSV UTF-8」で保存してください"),
    (r"^the first sheet \('(.*)'\) is empty; the data is on sheet '(.*)': .*$",
     r"最初のシート「\1」が空です。データはシート「\2」にあります。最初のシートに移してください"),
    (r"^a formula \((.*)\) with no saved value.*$",
     r"数式（\1）の計算結果が保存されていません。Excel で開いて保存するか、値を入力してください"),
    (r"^the table is too large: more than ([\d,]+) rows \(the limit\)$",
     r"表が大きすぎます（上限 \1 行）"),
    (r"^not a UTF-8 text file \(it looks like Shift_JIS / CP932: save it as UTF-8\)$",
     r"UTF-8 のファイルではありません（Shift_JIS / CP932 のようです。UTF-8 で保存してください）"),
    (r"^not a UTF-8 text file \(it is not text at all: an image, a workbook or another binary "
     r"file\?\)$",
     r"テキストファイルではありません（画像、Excel ブックなどのバイナリファイルではありませんか）"),
    (r"^not a UTF-8 text file \(it looks like UTF-16: save it as UTF-8\)$",
     r"UTF-8 のファイルではありません（UTF-16 のようです。UTF-8 で保存してください）"),
    (r"^the file is empty: a scenario needs at least \[program\] or an 'extends' line$",
     r"ファイルが空です。少なくとも [program] か extends の行が必要です"),
    # how an uploaded table was read (sim.tables): encoding, and separator when not a comma
    # a project's country matched to the scenario's by its Japanese name, width or case
    (r"^(.+): country '(.*)' read as '(.+)'$", _country_read_as),
    (r"^(.+): read as (.+), separator semicolon ';'$", r"\1：\2 として読み込みました（区切り文字 ;）"),
    (r"^(.+): read as (.+), separator tab$", r"\1：\2 として読み込みました（区切り文字 タブ）"),
    (r"^(.+): read as (.+)$", r"\1：\2 として読み込みました"),
    (r"^must not contain HTML tags \(<…>\)$", r"HTML タグ（<…>）は使えません"),
    (r"^text longer than ([\d,]+) characters$", r"文字数が上限（\1 文字）を超えています"),
    (r"^(.+) projects: a scenario may hold at most (\d+) \(the limit\)$",
     r"案件数 \1 件：1シナリオの上限は \2 件です"),
    # scenario rules
    (r"^an uploaded scenario may only extend a shipped scenario, by file name \((.*)\)$",
     r"アップロードしたシナリオが元にできる（extends）のは組み込みシナリオだけです。ファイル名で指定してください（\1）"),
    (r"^'(.*)' was not uploaded with the scenario \(upload it together\)$",
     r"「\1」がシナリオと一緒にアップロードされていません（同時にアップロードしてください）"),
    (r"^must be a list of file names$", r"ファイル名のリストで指定してください"),
    (r"^a candidate's first stage must cost something \((\w+) is always 0\).*$",
     r"候補案件の最初の段階には費用が必要です（\1 が常に0です）。事業は最初の段階の委託契約で採択されます"),
    (r"^a candidate has no history \((.*) apply to running or finished projects\)$",
     r"候補案件には実績を指定できません（\1 は実施中・終了案件の項目です）"),
    (r"^a finished project has no stage, or stage = 'design' if it ended at the design study$",
     r"終了案件には段階を指定しません（実証設計で終了した場合のみ stage = 'design'）"),
    (r"^a candidate needs earliest_start_fy$", r"候補案件には開始可能年度（earliest_start_fy）が必要です"),
    (r"^a finished project needs finished_fy$", r"終了案件には終了年度（finished_fy）が必要です"),
    (r"^a running project needs stage \(design, main or followup\)$",
     r"実施中の案件には段階（stage：design、main、followup のいずれか）が必要です"),
    (r"^a candidate has no stage or started_fy \(it has not started\)$",
     r"候補案件には段階や開始年度を指定できません（まだ開始していません）"),
    (r"^a project cannot be both mandatory and forbidden$", r"同じ案件を「必須」と「対象外」の両方にはできません"),
    (r"^empty value: expected a number or a distribution$", r"空欄です。数値または分布を入力してください"),
    (r"^empty column header$", r"列見出しが空です"),
    (r"^column appears twice$", r"同じ列が2回あります"),
    (r"^keys must be fiscal years like FY2027$", r"キーは FY2027 のような年度にしてください"),
    (r"^must be a table$", r"表（テーブル）で指定してください"),
    (r"^must be positive \(Joint Committee decisions need time between them\)$",
     r"正の値にしてください（合同委員会の決定には間隔が必要です）"),
    (r"^unknown (key|kind|distribution) '(.*?)'(?:; did you mean '(.*)'\?)? \((?:allowed|known): (.*)\)$",
     _unknown_name),
    (r"^unknown key\(s\) (.+) \(a sourced value has only 'value' and 'source'\)$",
     r"未知の項目です（\1）。出典付きの値に書けるのは value と source だけです"),
    (r"^unknown key(.*)$", r"未知の項目です\1"),
    (r"^needs a source: a citation or the word 'assumption'$",
     r"出典が必要です。文献名か assumption（仮定）と書いてください"),
    # distributions (sim.distributions)
    (r"^beta needs a > 0 and b > 0$", r"beta の条件：a > 0 かつ b > 0"),
    (r"^(\w+) is missing parameter\(s\): (.+)$", r"\1 のパラメータが足りません：\2"),
    (r"^(\w+) takes (\d+) positional parameters \((.+)\)$",
     lambda m: f"{m.group(1)} の位置パラメータは {m.group(2)} 個です（{_listed(m.group(3))}）"),
    (r"^'(.*)': parameter '(.+)' given twice$", r"「\1」：パラメータ「\2」が 2 回指定されています"),
    (r"^(\w+): parameter '(.+)' given twice$", r"\1：パラメータ「\2」が 2 回指定されています"),
    (r"^(\w+) has no parameter '(.*)' \(allowed: (.*)\)$",
     lambda m: f"{m.group(1)} にパラメータ「{m.group(2)}」はありません（使用可能：{_listed(m.group(3))}）"),
    (r"^(.+) has an absurd tail: sd may be at most (.+) × mean$",
     r"\1 は裾が長すぎます：sd は mean の \2 倍までです"),
    (r"^'(.*)' has an empty parameter \(two commas in a row\?\)$",
     r"「\1」に空のパラメータがあります（カンマが 2 つ続いていませんか）"),
    (r"^positional parameter after a keyword parameter$",
     r"名前付きのパラメータ（lamb=4 など）の後に位置パラメータは書けません"),
    (r"^'(.*)' is not a number$", r"「\1」は数値ではありません"),
    (r"^a distribution table needs a 'dist' key, e\.g\. dist = \"(\w+)\"$",
     r'分布の表には dist の項目が必要です（例：dist = "\1"）'),
    (r"^must be a number or a distribution, not (.+)$", r"数値または分布で指定してください（入力：\1）"),
    (r"^must be a number, not (.+)$", r"数値で指定してください（入力：\1）"),
    (r"^must be text, not (.+)$", r"文字列で指定してください（入力：\1）"),
    (r"^expected a number or a distribution, got (.+)$", r"数値または分布で指定してください（入力：\1）"),
    (r"^parameter '(.+)' must be a number, got (.+)$", r"「\1」は数値でなければなりません（入力：\2）"),
    (r"^parameter '(.+)' is (.+), beyond the largest number accepted \((.+)\)$",
     r"「\1」の値 \2 は受け付ける範囲（\3）を超えています"),
    # files and extends (sim.loader)
    (r"^country name must not contain HTML tags \(<…>\)$", r"国名に HTML タグ（<…>）は使えません"),
    (r"^FY(\d+) lies outside FY(\d+)–FY(\d+) \(program start to horizon\)$",
     r"\1年度は事業開始から予測最終年度まで（\2～\3年度）の範囲外です"),
    (r"^a chain of more than (\d+) files extending each other \(the limit\)$",
     r"extends によるファイルの連なりが上限（\1 ファイル）を超えています"),
    (r"^cannot use the file name '(.*)': (.+)$",
     lambda m: f"ファイル名「{m.group(1)}」は使えません（{_OS_ERRORS.get(m.group(2), m.group(2))}）"),
    (r"^is empty: name the base scenario's file$", r"空欄です。元にするシナリオのファイル名を書いてください"),
    (r"^must be a file path \(a string\)$", r"ファイルのパス（文字列）で指定してください"),
    (r"^extends loop: (.+)$", r"extends が循環しています：\1"),
    (r"^base scenario '(.*)' not found$", r"元にするシナリオ「\1」が見つかりません"),
    (r"^Unable to parse input string as an integer, exceeded maximum size$",
     r"桁数が多すぎて整数として読めません"),
    (r"^duplicate project id '(.*)' \(also in (.*)\)$",
     r"案件ID「\1」が重複しています（\2 にもあります。ID を変えるか、どちらかを除いてください）"),
    (r"^duplicate project id(.*)$", r"案件IDが重複しています\1"),
    (r"^a project with this id is already in the scenario being edited$",
     r"同じIDの案件が編集中のシナリオにすでにあります"),
    (r"^at most (\d+) files at once$", r"一度にアップロードできるのは \1 ファイルまでです"),
    (r"^uploaded twice$", r"同じファイルが2回アップロードされています"),
    (r"^upload one scenario file at a time$", r"シナリオファイルは一度に1つだけアップロードしてください"),
    (r"^not allowed in an edited scenario \(it names a file on the server\)$",
     r"編集中のシナリオでは使えません（サーバー上のファイルを指定するため）"),
    (r"^as_of_fy must lie within the program \(or the year after it\)$",
     r"計算開始年度は事業期間内（またはその翌年度）にしてください"),
    (r"^first_fy must not be after last_fy$", r"開始年度は最終年度より後にできません"),
    (r"^horizon_fy must be 2040 or later \(the FY2040 goal is a KPI\)$",
     r"予測の最終年度は2040年度以降にしてください（2040年度の目標を評価するため）"),
    (r"^bass_p must be positive when dissemination is possible$",
     r"普及展開があり得る場合、Bassモデルの p は正の値にしてください"),
    (r"^(\w+) needs (.+)$", r"\1 の条件：\2"),
    (r"^[Ii]nput should be (.+)$", _should_be),
    (r"^Field required$", r"必須の項目が入力されていません"),
))

#: Field paths of problems in candidate tables and scenario files.
FIELDS: tuple[_Pattern, ...] = _compile((
    (r"^row (\d+) \(id (.+?)\), column (\S+) \((.+)\)$", r"\1行目（ID \2）、列 \3（\4）"),
    (r"^row (\d+) \(id (.+?)\), column (.+)$", r"\1行目（ID \2）、列 \3"),
    (r"^row (\d+), column (\S+) \((.+)\)$", r"\1行目、列 \2（\3）"),
    (r"^row (\d+), column (.+)$", r"\1行目、列 \2"),
    (r"^row (\d+)$", r"\1行目"),
    (r"^column (\S+) \((.+)\)$", r"列 \1（\2）"),
    (r"^column (.+)$", r"列 \1"),
))

#: Solver outcomes (optimize.solve) and the diagnosis lines (optimize.diagnose).
SOLVER: tuple[_Pattern, ...] = _compile((
    (r"^optimal: proven by HiGHS to within the requested relative gap of (.+)$",
     r"最適解：指定した相対ギャップ \1 の範囲で HiGHS が証明"),
    (r"^optimal: proven by HiGHS(.*)$", r"最適解：HiGHS が証明\1"),
    (r"^infeasible: no portfolio meets every budget and rule$",
     r"実行不可能：すべての予算とルールを満たすポートフォリオがありません"),
    (r"^(.*)time limit of (\S+) s reached before any feasible portfolio(.*)$",
     r"\1実行可能なポートフォリオが見つかる前に計算時間の上限 \2 秒に達しました\3"),
    (r"^(.+): best portfolio found, NOT proven optimal \(gap (.+), bound (.+)\)$",
     r"\1：見つかった最良のポートフォリオ（最適性は未証明、ギャップ \2、上界 \3）"),
    (r"^time limit of (\S+) s reached$", r"計算時間の上限 \1 秒に達しました"),
    (r"^solver error \((.+)\): (.+)$", r"ソルバーのエラー（\1）：\2"),
    (r"^the solver returned a portfolio that breaks: (.+)$", r"ソルバーの解が次の制約に違反しています：\1"),
    (r"^FY(\d{4}) budget short by (\S+) 億円(.*)$", r"\1年度の予算が \2 億円不足\3"),
    (r"^ \(already committed spend (\S+) 億円 exceeds the budget (\S+) 億円\)$",
     r"（契約済みの支出 \1 億円が予算 \2 億円を超えています）"),
    (r"^minimum of (\d+) projects short by (.+)$", r"最低案件数 \1 件に対して \2 件不足"),
    (r"^limit of (\d+) projects per (\w+) exceeded by (.+) in \w+ (.+)$",
     r"\2ごとの上限 \1 件を \4 で \3 件超過"),
    (r"^mandatory candidate (.+) cannot be funded(.*)$", r"必須の候補 \1 に予算を付けられません\2"),
    (r"^FY(\d{4}) staff limit of (\d+) projects exceeded by (.+)$",
     r"\1年度の体制上限 \2 件を \3 件超過"),
    (r"^expected value target (.+) short by (.+)$", r"期待値の目標 \1 に対して \2 不足"),
))


def translate(text: str, table: tuple[_Pattern, ...]) -> str:
    """The first matching pattern's Japanese; the text as written when none matches."""
    for pattern, replacement in table:
        if pattern.match(text):
            return pattern.sub(replacement, text)
    return text
