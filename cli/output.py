"""Readable tables for the terminal and JSON files for other tools."""

from __future__ import annotations

import json
import math
import os
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cli.bounds import CMDLINE
from sim.errors import InputError


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def check_output_file(option: str, path: str | None,
                      inputs: Iterable[str | os.PathLike | None] = ()) -> None:
    """Refuse, before any work is done, a file path given to ``option`` (``--json``,
    ``--output``) that cannot take the command's output: empty, a folder, in a folder that does
    not exist or cannot be written, or one of the command's own input files ``inputs``, which
    writing would overwrite. ``None`` (the option not given) passes."""
    if path is None:
        return
    if not str(path).strip():
        raise InputError.single(CMDLINE, option, "give a file path (it is empty)")
    target = Path(path)
    if target.is_dir():
        raise InputError.single(CMDLINE, option, f"'{path}' is a folder; give a file path")
    folder = target.parent
    if not folder.exists():
        raise InputError.single(CMDLINE, option, f"the folder '{folder}' does not exist")
    if not folder.is_dir():
        raise InputError.single(CMDLINE, option, f"'{folder}' is not a folder")
    if not os.access(folder, os.W_OK):
        raise InputError.single(CMDLINE, option, f"the folder '{folder}' cannot be written")
    for source in inputs:
        if source is not None and _same_file(target, Path(source)):
            raise InputError.single(CMDLINE, option, f"'{path}' is the command's input file; "
                                    "writing the results there would overwrite it")


def check_output_folder(option: str, path: str, inputs: Iterable[str | os.PathLike | None] = (),
                        ) -> None:
    """Refuse, before any work is done, a folder path given to ``option`` (``--out``) that
    cannot take the command's files: empty, an existing file, or under a path that is not a
    folder (a missing folder is created)."""
    if not str(path).strip():
        raise InputError.single(CMDLINE, option, "give a folder path (it is empty)")
    target = Path(path)
    for source in inputs:
        if source is not None and _same_file(target, Path(source)):
            raise InputError.single(CMDLINE, option, f"'{path}' is the command's input file")
    if target.exists() and not target.is_dir():
        raise InputError.single(CMDLINE, option, f"'{path}' is a file, not a folder")
    # the folder itself, or the nearest folder above it that exists (the rest is created)
    full = target.absolute()
    existing = next((q for q in (full, *full.parents) if q.exists()), None)
    if existing is not None:
        if not existing.is_dir():
            raise InputError.single(CMDLINE, option, f"'{existing}' is not a folder")
        if not os.access(existing, os.W_OK):
            raise InputError.single(CMDLINE, option, f"the folder '{existing}' cannot be written")


def text_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: two for a wide (East Asian) character such as
    億 or a kana, none for a combining mark, one otherwise."""
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def ljust_columns(text: str, width: int) -> str:
    """``text`` padded on the right to ``width`` terminal columns (:func:`text_width`)."""
    return text + " " * max(width - text_width(text), 0)


def rjust_columns(text: str, width: int) -> str:
    """``text`` padded on the left to ``width`` terminal columns (:func:`text_width`)."""
    return " " * max(width - text_width(text), 0) + text


def print_table(headers: list[str], rows: list[list[Any]], title: str = "") -> None:
    """Print rows as an aligned text table (numbers right-aligned; wide characters such as
    億円 or Japanese names count two columns)."""
    cells = [[str(c) for c in r] for r in rows]
    widths = [max([text_width(h)] + [text_width(r[i]) for r in cells])
              for i, h in enumerate(headers)]

    def numeric(s: str) -> bool:
        bare = s.replace(",", "").replace(".", "").replace("-", "").replace("%", "")
        return bare.strip().isdigit()

    if title:
        print(title)
    print("  ".join(ljust_columns(h, w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in cells:
        print("  ".join(rjust_columns(c, w) if numeric(c) else ljust_columns(c, w)
                        for c, w in zip(r, widths, strict=True)))


def _clean(obj: Any) -> Any:
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    return obj


def write_json(path: str, data: dict[str, Any]) -> None:
    """Write ``data`` as JSON (non-finite floats become null), creating nothing on failure."""
    target = Path(path)
    try:
        text = json.dumps(_clean(data), indent=2, ensure_ascii=False, sort_keys=False)
        target.write_text(text + "\n", encoding="utf-8")
    except OSError as err:
        raise InputError.single(path, "", f"cannot write the JSON file: {err.strerror}") from None
