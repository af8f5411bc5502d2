"""Scenario documents for the app: the shipped scenarios, uploads, and the edited copy.

The app edits a scenario as the plain dictionary :func:`sim.scenario_io.resolve_scenario_dict`
returns (``extends`` resolved, candidate tables inlined as ``[projects.<id>]``), validates it
with :func:`sim.loader.scenario_from_dict` and writes it back with
:func:`sim.scenario_io.to_toml`.

Uploads are untrusted. They are written to a private temporary folder under sanitised names;
``extends`` may only name a shipped scenario (by file name) and ``candidates_files`` only
files uploaded together with the scenario, so an upload can never read other files on the
server. Every problem is an :class:`sim.errors.InputError`.
"""

from __future__ import annotations

import copy
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from sim.errors import InputError, Problem
from sim.loader import load_scenario, parse_toml, scenario_from_dict
from sim.scenario import Scenario
from sim.scenario_io import resolve_scenario_dict, to_toml
from sim.tables import MAX_FILE_BYTES

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_DIR = ROOT / "scenarios"
DEFAULT_SCENARIO = "baseline.toml"
TABLE_SUFFIXES = (".csv", ".xlsx")
UPLOAD_SUFFIXES = (".toml", *TABLE_SUFFIXES)
MAX_UPLOAD_FILES = 6


def shipped() -> list[str]:
    """Shipped scenario files, relative to ``scenarios/`` (baseline first)."""
    found = sorted(p.relative_to(SCENARIO_DIR).as_posix() for p in SCENARIO_DIR.rglob("*.toml"))
    if DEFAULT_SCENARIO in found:
        found.remove(DEFAULT_SCENARIO)
        found.insert(0, DEFAULT_SCENARIO)
    return found


def shipped_path(rel: str) -> Path:
    """The file of a shipped scenario; only names from :func:`shipped` are accepted."""
    if rel not in shipped():
        raise InputError.single(str(rel), "", "not one of the shipped scenarios")
    return SCENARIO_DIR / rel


def load_shipped(rel: str) -> dict[str, Any]:
    """A shipped scenario as an editable dictionary."""
    path = shipped_path(rel)
    try:
        return resolve_scenario_dict(path)
    except InputError as err:
        raise InputError([_relative(p, ROOT) for p in err.problems]) from None


def validate(raw: dict[str, Any], shown: str) -> Scenario:
    """Validate an edited scenario dictionary (raises :class:`InputError`).

    An edited scenario stands alone: it may not name other files (``extends``,
    ``candidates_files``), so nothing a browser sends can make the server read a file.
    """
    refused = [k for k in ("extends", "candidates_files") if k in raw]
    if refused:
        raise InputError([Problem(shown, k, "not allowed in an edited scenario (it names a file "
                                  "on the server)") for k in refused])
    return scenario_from_dict(copy.deepcopy(raw), shown)


def scenario_text(raw: dict[str, Any]) -> str:
    """The scenario as TOML text (what is downloaded, and the cache key of a run)."""
    return to_toml(raw)


def parse_text(text: str) -> dict[str, Any]:
    """TOML text back to a dictionary (the inverse of :func:`scenario_text`)."""
    return tomllib.loads(text)


# ------------------------------------------------------------------------------------------
# uploads
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Upload:
    """One uploaded file: its name as the user's computer gave it, and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Loaded:
    """The outcome of a successful upload."""

    raw: dict[str, Any]
    label: str
    link_base: str  # shipped scenario the upload is compared with for shareable links
    notes: tuple[str, ...] = ()  # what the reader handled, e.g. a table read as CP932
    #: tables added to a scenario (no TOML uploaded): the ids of the projects they added to
    #: ``raw``; None when a TOML scenario replaces the one being edited
    added: tuple[str, ...] | None = None


def _safe_name(name: str) -> str:
    base = PurePath(str(name).replace("\\", "/")).name.strip()
    cleaned = "".join(c if c.isalnum() or c in "._- " else "_" for c in base)
    return cleaned or "upload"


def _relative(p: Problem, folder: Path, shown: dict[str, str] | None = None) -> Problem:
    """The problem with temporary or absolute paths replaced by the names users know."""
    file, rule = p.file, p.rule
    for real, name in (shown or {}).items():
        file = file.replace(real, name)
        if Path(real).name.startswith("_"):  # a file of this module's own: named in rules too
            rule = rule.replace(real, name).replace(Path(real).name, name)
    for prefix in (str(folder) + "/", str(SCENARIO_DIR) + "/", str(ROOT) + "/"):
        file, rule = file.replace(prefix, ""), rule.replace(prefix, "")
    return Problem(file, p.field, rule)


def _shipped_by_name(name: str) -> str | None:
    """The shipped scenario whose file name is ``name`` (the first, baseline preferred)."""
    wanted = PurePath(str(name).replace("\\", "/")).name
    for rel in shipped():
        if PurePath(rel).name == wanted:
            return rel
    return None


def _upload_names(files: list[Upload]) -> str:
    """The uploaded files by name, for a problem about the upload as a whole."""
    shown = [_safe_name(f.name) for f in files[:3]]
    more = f" (+{len(files) - 3})" if len(files) > 3 else ""
    return ", ".join(shown) + more


def load_uploads(files: list[Upload], current: str, onto: dict[str, Any] | None = None,
                 onto_label: str = "") -> Loaded:
    """Turn uploaded files into an editable scenario dictionary.

    Parameters
    ----------
    files : list of Upload
        At most one TOML scenario and any number of candidate tables (.csv / .xlsx).
    current : str
        The shipped scenario chosen now; tables uploaded without a TOML are added to it
        unless ``onto`` is given.
    onto : dict, optional
        The scenario (as a dictionary) that tables uploaded without a TOML are added to,
        e.g. the one being edited; problems that concern it name it ``onto_label``.

    Raises
    ------
    InputError
        For a file of the wrong kind, too large, unreadable or invalid; names the uploaded
        file, the field and the rule.
    """
    if not files:
        raise InputError.single("<upload>", "", "no file was uploaded")
    if len(files) > MAX_UPLOAD_FILES:
        raise InputError.single(_upload_names(files), "",
                                f"at most {MAX_UPLOAD_FILES} files at once")
    problems: list[Problem] = []
    named: dict[str, bytes] = {}
    for f in files:
        name = _safe_name(f.name)
        if not name.lower().endswith(UPLOAD_SUFFIXES):
            problems.append(Problem(name, "", "only .toml, .csv and .xlsx files can be used"))
        elif len(f.data) > MAX_FILE_BYTES:
            problems.append(Problem(name, "", f"larger than {MAX_FILE_BYTES // 1_000_000} MB"))
        elif name in named:
            problems.append(Problem(name, "", "uploaded twice"))
        else:
            named[name] = f.data
    tomls = [n for n in named if n.lower().endswith(".toml")]
    if len(tomls) > 1:
        problems.append(Problem(", ".join(tomls), "", "upload one scenario file at a time"))
    if problems:
        raise InputError(problems)
    tables = [n for n in named if n.lower().endswith(TABLE_SUFFIXES)]

    notes: list[str] = []
    added: tuple[str, ...] | None = None
    with tempfile.TemporaryDirectory(prefix="jcm-upload-") as tmp:
        folder = Path(tmp)
        for name, data in named.items():
            (folder / name).write_bytes(data)
        shown = {str(folder / n): n for n in named}
        try:
            if tomls:
                raw, link_base = _upload_toml(folder, tomls[0], named[tomls[0]], tables, current,
                                              notes)
                label = ", ".join([tomls[0], *tables])
            else:
                base = str(shipped_path(current))
                if onto is not None:
                    base_file = folder / "_scenario_being_edited.toml"
                    base_file.write_text(to_toml(onto), encoding="utf-8")
                    shown[str(base_file)] = onto_label or current
                    base = str(base_file)
                doc = {"extends": base, "candidates_files": tables}
                entry = folder / "_with_tables.toml"
                entry.write_text(to_toml(doc), encoding="utf-8")
                load_scenario(entry, notes)  # problems name the table's own rows and columns
                raw = resolve_scenario_dict(entry)
                raw["name"] = f"{raw.get('name', current)} + {', '.join(tables)}"
                label, link_base = ", ".join(tables), current
                before = (onto if onto is not None else load_shipped(current)).get("projects")
                added = tuple(pid for pid in raw.get("projects") or {}
                              if pid not in (before or {}))
            validate(raw, label)
        except InputError as err:
            raise InputError([_relative(p, folder, shown) for p in err.problems]) from None
        except RecursionError:  # a bound was missed somewhere: still never a traceback
            raise InputError.single(tomls[0] if tomls else _upload_names(files), "",
                                    "nested too deeply to read") from None
    notes = [_relative(Problem(n, "", ""), folder, shown).file for n in notes]
    return Loaded(raw=raw, label=label, link_base=link_base, notes=tuple(notes), added=added)


def _upload_toml(
    folder: Path, name: str, data: bytes, tables: list[str], current: str,
    notes: list[str] | None = None,
) -> tuple[dict[str, Any], str]:
    """Resolve an uploaded TOML scenario, allowing only shipped bases and uploaded tables."""
    doc = parse_toml(data, name)  # UTF-8 (BOM allowed), bounded nesting
    link_base = current
    if "extends" in doc:
        ext = doc["extends"]
        rel = _shipped_by_name(ext) if isinstance(ext, str) else None
        if rel is None:
            raise InputError.single(
                name, "extends",
                "an uploaded scenario may only extend a shipped scenario, by file name "
                f"({', '.join(PurePath(s).name for s in shipped())})",
            )
        doc["extends"] = str(shipped_path(rel))
        link_base = rel
    if "candidates_files" in doc:
        listed = doc["candidates_files"]
        if not isinstance(listed, list) or not all(isinstance(x, str) for x in listed):
            raise InputError.single(name, "candidates_files", "must be a list of file names")
        fixed = []
        for i, entry in enumerate(listed):
            base = _safe_name(entry)
            if base not in tables:
                raise InputError.single(
                    name, f"candidates_files[{i}]",
                    f"'{entry}' was not uploaded with the scenario (upload it together)",
                )
            fixed.append(base)
        doc["candidates_files"] = fixed
    # tables uploaded with the scenario are its candidates, whether it lists them or not
    unlisted = [t for t in tables if t not in doc.get("candidates_files", [])]
    if unlisted:
        doc["candidates_files"] = [*doc.get("candidates_files", []), *unlisted]
    entry = folder / name
    entry.write_text(to_toml(doc), encoding="utf-8")
    load_scenario(entry, notes)  # problems name the uploaded files' own rows and columns
    return resolve_scenario_dict(entry), link_base
