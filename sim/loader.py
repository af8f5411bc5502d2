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

import difflib
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

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
from sim.tables import check_file
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
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as err:
        raise InputError.single(shown, "", f"not valid TOML: {err}") from None
    except UnicodeDecodeError:
        raise InputError.single(shown, "", "not a UTF-8 text file") from None
    except OSError as err:
        raise InputError.single(shown, "", f"cannot read the file: {err.strerror}") from None


def _merge(
    base: dict[str, Any], over: dict[str, Any], origins: dict[Path_, str], file: str, at: Path_
) -> dict[str, Any]:
    """Deep-merge ``over`` into a copy of ``base``, recording which file set each key."""
    out = dict(base)
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


def _resolve(path: Path, shown: str, stack: list[Path], origins: dict[Path_, str]) -> dict:
    real = path.resolve()
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
            if not (path.parent / f).exists():
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
        target = path.parent / ext
        if not target.exists():
            raise InputError.single(shown, "extends", f"base scenario '{ext}' not found")
        if target.resolve() in [*stack, real]:
            # name the file whose ``extends`` closes the loop
            chain = " → ".join(p.name for p in [*stack, real, target.resolve()])
            raise InputError.single(shown, "extends", f"extends loop: {chain}")
        base = _resolve(target, str(target), [*stack, real], origins)
        # lists add up rather than replace
        for key in ("candidates_files", "exclude_projects"):
            if key in raw and key in base:
                raw[key] = list(base[key]) + list(raw[key])
    return _merge(base, raw, origins, shown, ())


def _unknown(key: str, allowed: Iterable[str]) -> str:
    allowed = sorted(allowed)
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"unknown key '{key}'{hint} (allowed: {', '.join(allowed)})"


# --------------------------------------------------------------------------------------------
# candidate tables
# --------------------------------------------------------------------------------------------
def read_table(path: Path, shown: str) -> list[dict[str, str]]:
    """Read a CSV or Excel (.xlsx) table into rows of strings keyed by column header.

    Empty cells are left out of each row. Raises :class:`InputError` on a missing, unreadable,
    empty or oversized file, or a header with empty or repeated names.
    """
    return [row for _, row in read_table_rows(path, shown)]


def read_table_rows(path: Path, shown: str) -> list[tuple[int, dict[str, str]]]:
    """Like :func:`read_table`, each row with its row number in the file (header = row 1)."""
    if path.suffix.lower() not in (".csv", ".xlsx", ".xlsm"):
        raise InputError.single(shown, "", "candidate tables must be .csv or .xlsx files")
    table = _read_any_table(path, shown)
    header = list(table.header)
    for i, name in enumerate(header):
        if not name:
            raise InputError.single(shown, f"row {table.header_row}, column {i + 1}",
                                    "empty column header")
        if header.index(name) != i:
            raise InputError.single(shown, f"column {name}", "column appears twice")
    return [
        (num, {h: _cell_text(c) for h, c in zip(header, row, strict=True) if _cell_text(c)})
        for num, row in table.rows
    ]


def _cell_text(cell: Any) -> str:
    return "" if cell is None else str(cell).strip()


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
        problems.append(Problem(file_of(loc[0] if loc else ""), field, msg))
    return problems


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


def load_scenario(path: str | Path) -> Scenario:
    """Load, merge and validate a scenario file.

    Parameters
    ----------
    path : str or Path
        The TOML scenario file.

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
    return _validate(raw, origins, shown)


def scenario_from_dict(raw: dict[str, Any], shown: str = "<input>") -> Scenario:
    """Validate an already-parsed scenario (used by the app for edits made in the browser)."""
    origins: dict[Path_, str] = {}
    raw = _merge({}, raw, origins, shown, ())
    return _validate(raw, origins, shown)


def _validate(raw: dict[str, Any], origins: dict[Path_, str], shown: str) -> Scenario:
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
    for key, val in bvals.items():
        fy = _parse_fy(key)
        if fy is None:
            problems.append(
                Problem(file_of("budget", key), f"budget.{key}",
                        "keys must be fiscal years like FY2027")
            )
            continue
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

    # countries ------------------------------------------------------------------------------
    countries: dict[str, Country] = {}
    for cname, ctable in table_of("countries").items():
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
    defaults: dict[str, dict[str, Any]] = {}
    for kind, table in table_of("defaults").items():
        if kind not in KINDS:
            problems.append(Problem(file_of("defaults", kind), f"defaults.{kind}",
                                    _unknown(kind, KINDS).replace("key", "kind")))
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
            rows = read_table_rows(Path(fname), fname)
        except InputError as err:
            problems.extend(err.problems)
            continue
        for i, row in rows:
            label = row.get("id", f"row {i}")
            entries.append((label, row, lambda _k, f=fname: f, f"row {i}"))

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
                                    _unknown(kind, KINDS).replace("key", "kind")))
            continue
        merged = {**defaults.get(kind, {}), **fields} if isinstance(kind, str) else dict(fields)

        def where(k: str, fo=fo, fields=fields, kind=kind) -> str:
            # a field the project did not set itself came from its kind's defaults
            if k and k not in fields and k in defaults.get(kind, {}):
                return file_of("defaults", kind, k)
            return fo(k)

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
    text = str(key).strip().upper().removeprefix("FY")
    if text.isdigit() and len(text) == 4:
        return int(text)
    return None


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
        add("country", _unknown(proj.country, countries).replace("key", "country"))
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
