"""Derive the default distributions from the public data and write the calibration table.

Reads ``../shared/data`` (or ``--data DIR``, or ``$JCM_DATA_DIR``) at run time and writes
``docs/calibration.md`` and ``docs/calibration.json``. ``--toml`` prints the scenario lines
(``[assumptions]``, ``[defaults.*]`` and ``[countries]``) that ``scenarios/baseline.toml``
must hold; ``tests/test_calibration.py`` checks that it does::

    python scripts/calibrate.py
    python scripts/calibrate.py --toml
    python scripts/calibrate.py --data /path/to/shared/data --out /tmp/cal.md

Exit status 2 with a one-line message when the data cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sim.calibration import calibrate  # noqa: E402
from sim.calibration_report import to_json, to_markdown, toml_lines  # noqa: E402
from sim.errors import InputError  # noqa: E402
from sim.jcm_data import Data  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", help="folder with the JCM data (default ../shared/data)")
    parser.add_argument("--out", default=str(REPO / "docs" / "calibration.md"),
                        help="Markdown table to write (the JSON goes beside it)")
    parser.add_argument("--toml", action="store_true",
                        help="print the scenario lines the baseline must hold; write nothing")
    args = parser.parse_args(argv)
    try:
        cal = calibrate(Data.load(args.data))
    except InputError as err:
        for p in err.problems:
            print(f"error: {p}", file=sys.stderr)
        return 2
    if args.toml:
        print(toml_lines(cal), end="")
        return 0
    out = Path(args.out)
    out.write_text(to_markdown(cal), encoding="utf-8")
    out.with_suffix(".json").write_text(
        json.dumps(to_json(cal), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out} and {out.with_suffix('.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
