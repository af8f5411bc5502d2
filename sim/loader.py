"""Read a scenario file (TOML, with ``extends`` and candidate tables) into a :class:`Scenario`.

File format (every key is listed by ``jcm schema``)::

    name = "Baseline"
    extends = "other.toml"                # optional: start from another scenario
    candidates_files = ["candidates.csv"] # optional: more projects, one per row (CSV or .xlsx)
    exclude_projects = ["id-1"]           # optional: drop projects the base scenario has

    [program]      first_fy, last_fy, as_of_fy, horizon_fy, evaluation years
    [targets]      the program's targets
    [budget]       FY2026 = 11.5 or FY2027 = {value = "triangular(6, 11.5, 11.5)", source = "..."}
    [assumptions]  tpe_capacity = {value = 4, source = "assumption"}, ...
    [countries.Indonesia]  jc_interval_months = "uniform(1, 5)", source = "..."
    [defaults.demonstration]  any project field, as {value = ..., source = ...}
    [projects.some-id]        the project's fields; missing ones come from its kind's defaults

A value written as ``{value = ..., source = "..."}`` records its source; a plain value's source
is the file that set it. Every problem found is reported together as one
:class:`sim.errors.InputError` naming the file, the field path and the rule.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from sim import limits
from sim.country_names import scenario_country
from sim.distributions import upper_tail
from sim.errors import InputError, Problem
from sim.scenario import (
    Assumptions,
    Country,
    NonNeg,
    Program,
    Project,
    Scenario,
    Status,
    Targets,
)
from sim.tables import cell_text, check_file, looks_like_utf16, normalise_number
from sim.tables import read_table as _read_any_table

TOP_KEYS = {
    "name": "scenario name shown in tables and the app",
    "description": "what the scenario is about",
    "extends": "path of the scenario this one starts from (relative to this file)",
    "candidates_files": "CSV or Excel files with more projects, one per row",
    "exclude_projects": "ids of projects from the base scenario to drop",
    "program": "program period, simulation start, horizon, evaluation years",
    "targets": "the program's targets",
    "budget": "budget per fiscal year in 億円, keys FY2026, FY2027, …",
    "assumptions": "program-wide modelling assumptions",
    "countries": "JCM partner countries and their Joint Committee cadence",
    "defaults": "default project fields per kind (demonstration, methodology, quantification)",
    "projects": "projects by id",
}
KINDS = ("demonstration", "methodology", "quantification")

Path_ = tuple[Any, ...]
#: key under a table's path in ``origins``: the file that last changed part of the table
_TOUCHED = object()
_BUDGET = TypeAdapter(NonNeg)


# --------------------------------------------------------------------------------------------
# reading and merging
# --------------------------------------------------------------------------------------------
def _read_toml(path: Path, shown: str) -> dict[str, Any]:
    check_file(path, shown)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError.single(shown, "", f"cannot read the file: {err.strerror}") from None
    return parse_toml(data, shown)


_UTF16_HINT = " (it looks like UTF-16: save it as UTF-8)"
_BINARY_HINT = " (it is not text at all: an image, a workbook or another binary file?)"
#: Bytes no text file holds (controls other than tab, line feed, form feed, carriage return
#: and escape): a file with them is binary, whatever encoding it would decode as.
_BINARY = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")

#: Full-width forms of ASCII (ＡＢＣ１２３＝［］) and the ideographic space, outside strings.
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'')


def _full_width_hint(text: str, err: tomllib.TOMLDecodeError) -> str:
    """A hint when the line of a TOML syntax error holds full-width characters outside its
    strings (a key typed as ｂｕｄｇｅｔ, ＝ for =, ２０２７ for a year): TOML reads only half-width
    ones there."""
    at = re.search(r"\(at line (\d+), column \d+\)$", str(err))
    if not at:
        return ""
    lines = text.split("\n")
    number = int(at.group(1))
    if not 1 <= number <= len(lines):
        return ""
    wide = _FULL_WIDTH.findall(_STRINGS.sub("", lines[number - 1][:10_000]))
    if not wide:
        return ""
    shown = "".join(dict.fromkeys(c for c in wide if c != "\u3000"))[:10]
    if "\u3000" in wide:
        shown = f"{shown} and a full-width space" if shown else "a full-width space"
    return (f"; line {number} holds full-width characters ({shown}): write keys, '=' and "
            "numbers in half-width characters")


def parse_toml(data: bytes, shown: str) -> dict[str, Any]:
    """Parse scenario TOML bytes (UTF-8, a byte-order mark allowed), bounded in nesting.

    Raises
    ------
    InputError
        Not UTF-8, not valid TOML, or nested deeper than the limit.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        hint = ""
        if looks_like_utf16(data):
            hint = _UTF16_HINT
        elif _BINARY.search(data[:4096]):  # control bytes no text file holds
            hint = _BINARY_HINT
        else:
            try:
                data.decode("cp932")
                hint = " (it looks like Shift_JIS / CP932: save it as UTF-8)"
            except UnicodeDecodeError:
                pass
        raise InputError.single(shown, "", f"not a UTF-8 text file{hint}") from None
    if not text.strip():
        raise InputError.single(shown, "", "the file is empty: a scenario needs at least "
                                "[program] or an 'extends' line")
    if "\x00" in text:  # UTF-16 decodes as UTF-8 only when every character is ASCII
        hint = _UTF16_HINT if looks_like_utf16(data) else _BINARY_HINT
        raise InputError.single(shown, "", f"not a UTF-8 text file{hint}")
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise InputError.single(shown, "", f"not valid TOML: {err}{_full_width_hint(text, err)}"
                                ) from None
    except RecursionError:
        doc = None
    if doc is None or limits.nesting_depth_exceeds(doc):
        raise InputError.single(shown, "", "tables or arrays nested more than "
                                f"{limits.MAX_NESTING_DEPTH} levels deep (the limit)")
    return doc


def _merge(
    base: dict[str, Any], over: dict[str, Any], origins: dict[Path_, str], file: str, at: Path_
) -> dict[str, Any]:
    """Deep-merge ``over`` into a copy of ``base``, recording which file set each key."""
    out = dict(base)
    if at == ("budget",):
        # a year the later file sets replaces the base's year however either spells it
        # (FY2027, fy2027, "2027"); within one file a year given twice is refused later
        for key in over:
            fy = _parse_fy(key)
            if fy is None:
                continue
            for old in [k for k in out if k != key and _parse_fy(k) == fy]:
                del out[old]
                for p in [p for p in origins if p[: len(at) + 1] == (*at, old)]:
                    del origins[p]
    for key, val in over.items():
        here = (*at, key)
        if isinstance(val, dict) and isinstance(out.get(key), dict) and not _is_leaf_table(val):
            # only the keys ``over`` sets are its own; the rest keep the file that set them,
            # and the table as a whole was last changed by ``over``
            out[key] = _merge(out[key], val, origins, file, here)
            origins[(*here, _TOUCHED)] = file
        else:
            out[key] = val
            for p in [p for p in origins if p[: len(here)] == here]:
                del origins[p]
            origins[here] = file
    return out


def _is_leaf_table(val: dict[str, Any]) -> bool:
    """A ``{value, source}`` or ``{dist = ...}`` table replaces, rather than merges."""
    return "dist" in val or "value" in val


def _real(path: Path, shown: str, field: str) -> Path:
    """``path`` resolved; a symlink loop or an impossible name is refused."""
    try:
        return path.resolve()
    except (OSError, RuntimeError) as err:
        raise InputError.single(shown, field, f"cannot follow '{path.name[:80]}': "
                                f"{getattr(err, 'strerror', None) or err}") from None


def _exists(path: Path, shown: str, field: str) -> bool:
    try:
        return path.exists()
    except (OSError, RuntimeError, ValueError) as err:
        reason = getattr(err, "strerror", None) or str(err)
        raise InputError.single(shown, field, f"cannot use the file name "
                                f"'{str(path.name)[:80]}…': {reason}") from None


def _resolve(path: Path, shown: str, stack: list[Path], origins: dict[Path_, str]) -> dict:
    real = _real(path, shown, "extends" if stack else "")
    if len(stack) >= limits.MAX_EXTENDS_DEPTH:
        raise InputError.single(shown, "extends", f"a chain of more than "
                                f"{limits.MAX_EXTENDS_DEPTH} files extending each other "
                                "(the limit)")
    if real in stack:
        chain = " → ".join(p.name for p in [*stack, real])
        raise InputError.single(shown, "extends", f"extends loop: {chain}")
    raw = _read_toml(path, shown)
    for key in raw:
        if key not in TOP_KEYS:
            raise InputError.single(shown, key, _unknown(key, TOP_KEYS))
    # candidate files and the base are resolved relative to the file that names them
    if "candidates_files" in raw:
        files = raw["candidates_files"]
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            raise InputError.single(shown, "candidates_files", "must be a list of file paths")
        for i, f in enumerate(files):
            if not f.strip() or not _exists(path.parent / f, shown, f"candidates_files[{i}]"):
                raise InputError.single(
                    shown, f"candidates_files[{i}]", f"candidate table '{f}' not found"
                )
        raw["candidates_files"] = [str(path.parent / f) for f in files]
    excl = raw.get("exclude_projects", [])
    if not isinstance(excl, list) or not all(isinstance(x, str) for x in excl):
        raise InputError.single(shown, "exclude_projects", "must be a list of project ids")
    base: dict[str, Any] = {}
    if "extends" in raw:
        ext = raw.pop("extends")
        if not isinstance(ext, str):
            raise InputError.single(shown, "extends", "must be a file path (a string)")
        if not ext.strip():
            raise InputError.single(shown, "extends", "is empty: name the base scenario's file")
        target = path.parent / ext
        if not _exists(target, shown, "extends"):
            raise InputError.single(shown, "extends", f"base scenario '{ext[:200]}' not found")
        if _real(target, shown, "extends") in [*stack, real]:
            # name the file whose ``extends`` closes the loop
            chain = " → ".join(p.name for p in [*stack, real, target.resolve()])
            raise InputError.single(shown, "extends", f"extends loop: {chain}")
        base = _resolve(target, str(target), [*stack, real], origins)
        # lists add up rather than replace
        for key in ("candidates_files", "exclude_projects"):
            if key in raw and key in base:
                raw[key] = list(base[key]) + list(raw[key])
    return _merge(base, raw, origins, shown, ())


def _unknown(key: str, allowed: Iterable[str], what: str = "key") -> str:
    """The rule for a name not allowed: ``unknown key 'x'; did you mean 'y'? (allowed: …)``,
    ``what`` saying what the name is (key, kind, country)."""
    allowed = sorted(allowed)
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"unknown {what} '{key}'{hint} (allowed: {', '.join(allowed)})"


# --------------------------------------------------------------------------------------------
# candidate tables
# --------------------------------------------------------------------------------------------
def read_table(path: Path, shown: str) -> list[dict[str, str]]:
    """Read a CSV or Excel (.xlsx) table into rows of strings keyed by column header.

    Empty cells are left out of each row. Raises :class:`InputError` on a missing, unreadable,
    empty or oversized file, or a header with empty or repeated names.
    """
    return [row for _, row in read_table_rows(path, shown)]


def read_table_rows(path: Path, shown: str, notes: list[str] | None = None
                    ) -> list[tuple[int, dict[str, str]]]:
    """Like :func:`read_table`, each row with its row number in the file (header = row 1).

    Cells are normalised (:func:`sim.tables.normalise_number`): full-width digits, thousands
    separators and units fitting the column ("6億円", "12ヶ月") are read as plain numbers.
    What the reader handled (encoding, separator) is appended to ``notes``.
    """
    if path.suffix.lower() not in (".csv", ".xlsx", ".xlsm"):
        raise InputError.single(shown, "", "candidate tables must be .csv or .xlsx files")
    table = _read_any_table(path, shown)
    if notes is not None:
        notes.extend(table.notes)
    header = list(table.header)
    for i, name in enumerate(header):
        if not name:
            raise InputError.single(shown, f"row {table.header_row}, column {i + 1}",
                                    "empty column header")
        if header.index(name) != i:
            raise InputError.single(shown, f"column {name}", "column appears twice")
    out = []
    for num, row in table.rows:
        cells = {h: normalise_number(cell_text(c), h) for h, c in zip(header, row, strict=True)}
        out.append((num, {h: v for h, v in cells.items() if v}))
    if len(header) == 1 and table.separator == "," and re.search(r"[;\t]", header[0]):
        raise InputError.single(shown, "", "the table has a single column: is it separated "
                                "by something other than commas?")
    return out


# --------------------------------------------------------------------------------------------
# validation into the model
# --------------------------------------------------------------------------------------------
def _unwrap(table: dict[str, Any], where: str, sources: dict[str, str], file_of) -> dict:
    """Split ``{value, source}`` entries into plain values, recording sources."""
    out = {}
    for key, val in table.items():
        if isinstance(val, dict) and "value" in val:
            extra = set(val) - {"value", "source"}
            if extra:
                raise InputError.single(
                    file_of(key), f"{where}.{key}", f"unknown key(s) {sorted(extra)}"
                    " (a sourced value has only 'value' and 'source')"
                )
            src = val.get("source")
            if not isinstance(src, str) or not src.strip():
                raise InputError.single(
                    file_of(key), f"{where}.{key}.source",
                    "needs a source: a citation or the word 'assumption'",
                )
            out[key] = val["value"]
            sources[f"{where}.{key}"] = src.strip()
        else:
            out[key] = val
            sources.setdefault(f"{where}.{key}", f"set in {Path(file_of(key)).name}")
    return out


def _problems(err: ValidationError, file_of, prefix: str) -> list[Problem]:
    problems = []
    for e in err.errors():
        loc = [str(x) for x in e["loc"]]
        field = ".".join([prefix, *loc] if prefix else loc)
        msg = e["msg"].removeprefix("Value error, ")
        if e["type"] == "extra_forbidden" and loc:
            model_fields = _fields_for(prefix)
            msg = _unknown(loc[-1], model_fields) if model_fields else "unknown key"
        elif e["type"] == "missing":
            msg = "required field is missing"
        elif e["type"].endswith(("_type", "_parsing")) and "input" in e:
            msg += _got(e["input"])
        problems.append(Problem(file_of(loc[0] if loc else ""), field, msg))
    return problems


def _got(value: Any) -> str:
    """`` (got '…')`` for a short scalar input; a date gets a hint (an Excel date cell)."""
    if isinstance(value, dict | list | tuple):
        return ""
    if isinstance(value, _dt.date | _dt.datetime | _dt.time):
        return f" (got {value.isoformat()}, a date: write the fiscal year as a number)"
    text = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "…'"
    if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}", value):
        return f" (got {text}, a date: format the cell as a number)"
    return f" (got {text})"


def _fields_for(prefix: str) -> list[str]:
    models: dict[str, type[BaseModel]] = {
        "program": Program,
        "targets": Targets,
        "assumptions": Assumptions,
    }
    head = prefix.split(".")[0]
    if head in models:
        return list(models[head].model_fields)
    if head in ("projects", "defaults") or prefix.startswith("row"):
        return list(Project.model_fields)
    if head == "countries":
        return list(Country.model_fields)
    return []


def load_scenario(path: str | Path, notes: list[str] | None = None) -> Scenario:
    """Load, merge and validate a scenario file.

    Parameters
    ----------
    path : str or Path
        The TOML scenario file.
    notes : list of str, optional
        Receives what the reader noticed and handled (e.g. a candidate table read as
        Shift_JIS, or with a ';' separator; a country given by its Japanese name), for the
        user to see.

    Returns
    -------
    Scenario
        Immutable, validated.

    Raises
    ------
    InputError
        Listing every problem found, each naming the file, the field path and the rule.
    """
    path = Path(path)
    shown = str(path)
    origins: dict[Path_, str] = {}
    raw = _resolve(path, shown, [], origins)
    return _validate(raw, origins, shown, notes)


def scenario_from_dict(raw: dict[str, Any], shown: str = "<input>") -> Scenario:
    """Validate an already-parsed scenario (used by the app for edits made in the browser)."""
    if limits.nesting_depth_exceeds(raw):
        raise InputError.single(shown, "", "tables or arrays nested more than "
                                f"{limits.MAX_NESTING_DEPTH} levels deep (the limit)")
    origins: dict[Path_, str] = {}
    raw = _merge({}, raw, origins, shown, ())
    return _validate(raw, origins, shown)


def _validate(raw: dict[str, Any], origins: dict[Path_, str], shown: str,
              notes: list[str] | None = None) -> Scenario:
    def file_of(*keys: Any) -> str:
        """The file that set the value at ``keys``; with a last key ``""`` (a rule about the
        whole table), the file that last changed the table."""
        keys_t = tuple(k for k in keys if k != "")
        if keys and keys[-1] == "" and (*keys_t, _TOUCHED) in origins:
            return origins[(*keys_t, _TOUCHED)]
        while keys_t:
            if keys_t in origins:
                return origins[keys_t]
            keys_t = keys_t[:-1]
        return shown

    problems: list[Problem] = []
    sources: dict[str, str] = {}

    def section(name: str, model: type[BaseModel]) -> Any:
        table = raw.get(name, {})
        if not isinstance(table, dict):
            problems.append(Problem(file_of(name), name, "must be a table"))
            return None
        try:
            values = _unwrap(table, name, sources, lambda k: file_of(name, k))
            return model.model_validate(values)
        except InputError as err:
            problems.extend(err.problems)
        except ValidationError as err:
            problems.extend(_problems(err, lambda k: file_of(name, k), name))
        return None

    def table_of(*keys: str) -> dict[str, Any]:
        """The table at ``keys`` (empty when absent); a problem when it is not a table."""
        node: Any = raw
        for k in keys:
            node = node.get(k, {})
        if isinstance(node, dict):
            return node
        problems.append(Problem(file_of(*keys), ".".join(keys), "must be a table"))
        return {}

    program = section("program", Program)
    targets = section("targets", Targets)
    assumptions = section("assumptions", Assumptions)

    # budget ---------------------------------------------------------------------------------
    budget: dict[int, Any] = {}
    btable = table_of("budget")
    try:
        bvals = _unwrap(btable, "budget", sources, lambda k: file_of("budget", k))
    except InputError as err:
        problems.extend(err.problems)
        bvals = {}
    budget_keys: dict[int, str] = {}
    for key, val in bvals.items():
        fy = _parse_fy(key)
        if fy is None:
            problems.append(
                Problem(file_of("budget", key), f"budget.{key}",
                        "keys must be fiscal years like FY2027")
            )
            continue
        if fy in budget_keys:
            problems.append(Problem(file_of("budget", key), f"budget.{key}",
                                    f"FY{fy} is given twice (as '{budget_keys[fy]}' and "
                                    f"'{key}'); keep one"))
            continue
        budget_keys[fy] = str(key)
        # the year's source under its usual name (budget.FY2027), however the key was spelled
        if f"budget.{key}" in sources and str(key) != f"FY{fy}":
            sources[f"budget.FY{fy}"] = sources.pop(f"budget.{key}")
        if program is not None and not program.first_fy <= fy <= program.horizon_fy:
            problems.append(Problem(file_of("budget", key), f"budget.{key}",
                                    f"FY{fy} lies outside FY{program.first_fy}–"
                                    f"FY{program.horizon_fy} (program start to horizon)"))
            continue
        try:
            budget[fy] = _BUDGET.validate_python(val)
        except ValidationError as err:
            for e in err.errors():
                problems.append(Problem(file_of("budget", key), f"budget.{key}",
                                        e["msg"].removeprefix("Value error, ")))
            continue
        top = upper_tail(budget[fy])
        if top > limits.MAX_BUDGET_OKU_YEN:
            problems.append(Problem(file_of("budget", key), f"budget.{key}",
                                    f"must be at most {limits.fmt_bound(limits.MAX_BUDGET_OKU_YEN)}"
                                    f" 億円, got {budget[fy].to_text()}"))
            del budget[fy]

    # countries ------------------------------------------------------------------------------
    countries: dict[str, Country] = {}
    for cname, ctable in table_of("countries").items():
        if limits.text_rule(str(cname)):
            problems.append(Problem(file_of("countries", cname), f"countries.{str(cname)[:80]}",
                                    f"country name {limits.text_rule(str(cname))}"))
            continue
        if not isinstance(ctable, dict):
            problems.append(Problem(file_of("countries", cname), f"countries.{cname}",
                                    "must be a table, e.g. {} or {source = \"...\"}"))
            continue
        try:
            countries[cname] = Country.model_validate(ctable)
            sources[f"countries.{cname}.jc_interval_months"] = countries[cname].source
        except ValidationError as err:
            problems.extend(_problems(err, lambda k, c=cname: file_of("countries", c, k),
                                      f"countries.{cname}"))

    # defaults -------------------------------------------------------------------------------
    before_defaults = len(problems)
    defaults: dict[str, dict[str, Any]] = {}
    for kind, table in table_of("defaults").items():
        if kind not in KINDS:
            problems.append(Problem(file_of("defaults", kind), f"defaults.{kind}",
                                    _unknown(kind, KINDS, "kind")))
            continue
        if not isinstance(table, dict):
            problems.append(Problem(file_of("defaults", kind), f"defaults.{kind}",
                                    "must be a table"))
            continue
        try:
            defaults[kind] = _unwrap(table, f"defaults.{kind}", sources,
                                     lambda k, kd=kind: file_of("defaults", kd, k))
        except InputError as err:
            problems.extend(err.problems)
        for key in defaults.get(kind, {}):
            if key not in Project.model_fields or key in ("id", "status", "name"):
                problems.append(Problem(file_of("defaults", kind, key), f"defaults.{kind}.{key}",
                                        _unknown(key, Project.model_fields)))

    if len(problems) > before_defaults:
        # every project would repeat what is wrong with the defaults: stop here
        raise InputError(problems)

    # projects -------------------------------------------------------------------------------
    entries: list[tuple[str, dict[str, Any], Any, str]] = []  # (label, fields, file_of, prefix)
    for pid, table in table_of("projects").items():
        if not isinstance(table, dict):
            problems.append(Problem(file_of("projects", pid), f"projects.{pid}", "must be a table"))
            continue
        try:
            fields = _unwrap(table, f"projects.{pid}", {},
                             lambda k, p=pid: file_of("projects", p, k))
        except InputError as err:
            problems.extend(err.problems)
            continue
        if "id" in fields and fields["id"] != pid:
            problems.append(Problem(file_of("projects", pid, "id"), f"projects.{pid}.id",
                                    f"the table name is the project's id: remove 'id' or "
                                    f"write id = \"{pid}\""))
            continue
        entries.append((pid, {**fields, "id": pid},
                        lambda k, p=pid: file_of("projects", p, k), f"projects.{pid}"))
    for fname in raw.get("candidates_files", []):
        try:
            rows = read_table_rows(Path(fname), fname, notes)
        except InputError as err:
            problems.extend(err.problems)
            continue
        for i, row in rows:
            label = row.get("id", f"row {i}")
            entries.append((label, row, lambda _k, f=fname: f, f"row {i}"))

    if len(entries) > limits.MAX_PROJECTS:
        problems.append(Problem(shown, "projects", f"{len(entries):,} projects: a scenario may "
                                f"hold at most {limits.MAX_PROJECTS} (the limit)"))
        raise InputError(problems)
    excluded = raw.get("exclude_projects", [])
    all_ids = [e[0] for e in entries]
    for pid in excluded:
        if pid not in all_ids:
            problems.append(Problem(file_of("exclude_projects"), "exclude_projects",
                                    f"no project with id '{pid}' to exclude"))
    projects: list[Project] = []
    seen: dict[str, str] = {}
    # a country whose own entry is wrong is still a known country
    known_countries = list(raw["countries"]) if isinstance(raw.get("countries"), dict) else []
    # a bad default is reported once, naming the projects that use it
    default_problems: dict[tuple[str, str, str], list[str]] = {}

    def column(prefix: str, label: str, key: str) -> str:
        """Field path of ``key``: ``projects.x.key`` or ``row 4 (id x), column key``."""
        if not prefix.startswith("row"):
            return f"{prefix}.{key}"
        who = f"{prefix} (id {label})" if label != prefix else prefix
        return f"{who}, column {key}"

    for label, fields, fo, prefix in entries:
        if label in excluded:
            continue
        kind = fields.get("kind")
        if isinstance(kind, str) and kind not in KINDS:
            # every other message would follow from the missing defaults: report the kind only
            problems.append(Problem(fo("kind"), column(prefix, label, "kind"),
                                    _unknown(kind, KINDS, "kind")))
            continue
        if not isinstance(kind, str):
            kind = ""  # a kind of the wrong type has no defaults; the model names the field
        merged = {**defaults.get(kind, {}), **fields}

        def where(k: str, fo=fo, fields=fields, kind=kind) -> str:
            # a field the project did not set itself came from its kind's defaults
            if k and k not in fields and k in defaults.get(kind, {}):
                return file_of("defaults", kind, k)
            return fo(k)

        read_as = _own_country(merged, known_countries, where("country"))
        if read_as and notes is not None and read_as not in notes:
            notes.append(read_as)

        try:
            proj = Project.model_validate(merged)
        except ValidationError as err:
            for prob in _problems(err, where, prefix):
                fld = prob.field
                key = fld.removeprefix(prefix).removeprefix(".")
                if key and key not in fields and key in defaults.get(kind, {}):
                    dkey = (prob.file, f"defaults.{kind}.{key}", prob.rule)
                    default_problems.setdefault(dkey, []).append(prefix)
                    continue
                if prefix.startswith("row"):
                    fld = column(prefix, label, key) if key else prefix
                problems.append(Problem(prob.file, fld, prob.rule))
            continue
        if proj.id in seen:
            problems.append(Problem(fo("id"), column(prefix, label, "id"),
                                    f"duplicate project id '{proj.id}' (also in {seen[proj.id]})"))
            continue
        seen[proj.id] = f"{Path(fo('id')).name}, {column(prefix, label, 'id')}"
        problems.extend(_cross_check(proj, program, known_countries, fo, prefix))
        projects.append(proj)

    for (dfile, dfield, rule), users in default_problems.items():
        shown_users = ", ".join(users[:3])
        if len(users) > 3:
            shown_users += f" and {len(users) - 3} more"
        problems.append(Problem(dfile, f"{dfield} (used by {shown_users})", rule))

    if problems:
        raise InputError(problems)
    try:
        return Scenario(
            # a scenario that extends another without naming itself is named after its file
            name=(raw.get("name") if file_of("name") == shown else None) or Path(shown).stem,
            description=raw.get("description", ""),
            program=program,
            targets=targets,
            budget_oku_yen=budget,
            assumptions=assumptions,
            countries=countries,
            projects=tuple(projects),
            sources=sources,
            path=shown,
        )
    except ValidationError as err:
        raise InputError(_problems(err, lambda k: file_of(k), "")) from None


def _parse_fy(key: Any) -> int | None:
    """``FY2027``, ``fy2027``, ``2027`` (full-width or superscript digits too) -> 2027."""
    text = unicodedata.normalize("NFKC", str(key)).strip().upper().removeprefix("FY").strip()
    if re.fullmatch(r"[0-9]{4}", text):
        return int(text)
    return None


def _own_country(fields: dict[str, Any], countries: list[str], file: str) -> str | None:
    """Write a project's country as the scenario names it, when the project gives it in
    Japanese, in full-width letters or in another case (``ジョージア``, ``ＧＥＯＲＧＩＡ``,
    ``georgia`` -> ``Georgia``); the note saying so, or None when nothing was changed.

    A name that matches no country of the scenario, or more than one, is left for
    :func:`_cross_check` to refuse.
    """
    given = fields.get("country")
    if not isinstance(given, str) or not countries or given in countries:
        return None
    own = scenario_country(given, countries)
    if own is None:
        return None
    fields["country"] = own
    shown = re.sub(r"[\r\n\t]", " ", given)  # as typed, on one line
    if len(shown) > 80:
        shown = shown[:79] + "…"
    return f"{file}: country '{shown}' read as '{own}'"


def _cross_check(proj: Project, program: Program | None, countries: list[str], fo, prefix: str):
    """Rules that need the rest of the scenario: known country, years inside the horizon."""
    out = []

    def add(key: str, rule: str) -> None:
        if prefix.startswith("row"):
            fld = f"{prefix} (id {proj.id}), column {key}"
        else:
            fld = f"{prefix}.{key}"
        out.append(Problem(fo(key), fld, rule))

    if countries and proj.country not in countries:
        add("country", _unknown(proj.country, countries, "country"))
    if proj.mandatory and proj.forbidden:
        add("mandatory", "a project cannot be both mandatory and forbidden")
    if program is None:
        return out
    if proj.status is Status.candidate:
        lo, hi = program.as_of_fy, program.last_fy
        for key in ("earliest_start_fy", "latest_start_fy"):
            fy = getattr(proj, key)
            if fy is not None and not lo <= fy <= hi:
                add(key, f"FY{fy} is outside the years a candidate can start (FY{lo}–FY{hi})")
    else:
        if not program.first_fy <= proj.started_fy <= program.as_of_fy:
            add("started_fy", f"FY{proj.started_fy} is outside FY{program.first_fy}–"
                f"FY{program.as_of_fy} (a project that has started, started by as_of_fy)")
        fin = proj.finished_fy
        if fin is not None and not proj.started_fy <= fin < program.as_of_fy:
            add("finished_fy", "must lie between started_fy and the year before as_of_fy "
                f"(FY{program.as_of_fy})")
    return out
