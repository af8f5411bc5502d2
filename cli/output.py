"""Readable tables for the terminal and JSON files for other tools."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from sim.errors import InputError


def print_table(headers: list[str], rows: list[list[Any]], title: str = "") -> None:
    """Print rows as an aligned text table (numbers right-aligned)."""
    cells = [[str(c) for c in r] for r in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def numeric(s: str) -> bool:
        bare = s.replace(",", "").replace(".", "").replace("-", "").replace("%", "")
        return bare.strip().isdigit()

    if title:
        print(title)
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in cells:
        print("  ".join(c.rjust(w) if numeric(c) else c.ljust(w)
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
