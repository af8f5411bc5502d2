"""``jcm schema``: a reference of every scenario field, generated from the models themselves.

Everything printed comes from the code: the top-level keys from :data:`sim.loader.TOP_KEYS`,
each field of :class:`~sim.scenario.Program`, :class:`~sim.scenario.Targets`,
:class:`~sim.scenario.Assumptions`, :class:`~sim.scenario.Country` and
:class:`~sim.scenario.Project` with its type, default, unit, constraints and description
(from the pydantic ``Field`` descriptions), whether it accepts a distribution, and the
distribution forms from :data:`sim.distributions.DISTRIBUTION_HELP`. The committed
``docs/scenario-reference.md`` is this command's markdown output (a test keeps them equal)::

    jcm schema --output docs/scenario-reference.md
"""

from __future__ import annotations

import argparse
import json
import sys
import types
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import annotated_types
from pydantic import AfterValidator, BaseModel
from pydantic.fields import FieldInfo

from cli.commands import HELP_LINES
from cli.output import check_output_file
from sim import limits
from sim.distributions import DISTRIBUTION_HELP, Distribution
from sim.errors import InputError
from sim.loader import KINDS, TOP_KEYS
from sim.scenario import (
    Assumptions,
    Country,
    Kind,
    NonNeg,
    Prob,
    Program,
    Project,
    Scenario,
    Stage,
    Status,
    Targets,
)

#: (section key, how it is written in a scenario file, model)
SECTIONS: list[tuple[str, str, type[BaseModel]]] = [
    ("program", "[program]", Program),
    ("targets", "[targets]", Targets),
    ("assumptions", "[assumptions]", Assumptions),
    ("countries", "[countries.<name>]", Country),
    ("projects", "[projects.<id>], [defaults.<kind>], or a row of a candidates file", Project),
]

#: unit by field-name suffix (the naming convention of sim/scenario.py), longest first
UNITS: list[tuple[str, str]] = [
    ("_t_per_yr", "t-CO2/yr"),
    ("_oku_yen", "億円"),
    ("_months", "months"),
    ("_month", "months"),
    ("_years", "years"),
    ("_prob", "probability"),
    ("_share", "share"),
    ("_rate", "share"),
    ("_fy", "fiscal year"),
    ("_t", "t-CO2"),
]


def _after_validators(annotated: Any) -> list[Any]:
    return [m for m in get_args(annotated)[1:] if isinstance(m, AfterValidator)]


_SUPPORT_RULES = {
    **{id(v): "never negative" for v in _after_validators(NonNeg)},
    **{id(v): "within [0, 1]" for v in _after_validators(Prob)},
}


def _flatten(annotation: Any) -> list[Any]:
    """The annotation and every type and metadata object inside it."""
    out = [annotation]
    for arg in get_args(annotation):
        out.extend(_flatten(arg))
    return out


def _is_optional(annotation: Any) -> bool:
    return get_origin(annotation) in (Union, types.UnionType) and type(None) in get_args(
        annotation
    )


def _type_name(annotation: Any) -> str:
    if get_origin(annotation) is Annotated:
        return _type_name(get_args(annotation)[0])
    if _is_optional(annotation):
        inner = [a for a in get_args(annotation) if a is not type(None)]
        return " or ".join(_type_name(a) for a in inner)
    if annotation is Distribution:
        return "number or distribution"
    if annotation is bool:
        return "true/false"
    if annotation is int:
        return "integer"
    if annotation is float:
        return "number"
    if annotation is str:
        return "text"
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "one of " + ", ".join(f"`{m.value}`" for m in annotation)
    if annotation is Any:
        return "any"
    return str(annotation)  # pragma: no cover - a new kind of field: shown as Python writes it


def _distribution_rule(field: FieldInfo) -> str | None:
    """``None`` when the field takes no distribution, else the rule its values must follow."""
    parts = _flatten(field.annotation) + list(field.metadata)
    if Distribution not in parts:
        return None
    for p in parts:
        if id(p) in _SUPPORT_RULES:
            return _SUPPORT_RULES[id(p)]
    return "any value"


def _constraints(field: FieldInfo) -> list[str]:
    out = []
    for m in field.metadata:
        if isinstance(m, annotated_types.Ge):
            out.append(f"≥ {m.ge}")
        elif isinstance(m, annotated_types.Gt):
            out.append(f"> {m.gt}")
        elif isinstance(m, annotated_types.Le):
            out.append(f"≤ {m.le}")
        elif isinstance(m, annotated_types.Lt):
            out.append(f"< {m.lt}")
        elif isinstance(m, annotated_types.MinLen) and m.min_length == 1:
            out.append("not empty")
        elif getattr(m, "pattern", None):
            out.append(f"matches `{m.pattern}`")
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Distribution):
        return value.mean if value.is_fixed else value.to_text()
    if isinstance(value, dict | list | tuple):
        return json.loads(json.dumps(value))
    return value


def _unit(name: str) -> str:
    for suffix, unit in UNITS:
        if name.endswith(suffix):
            return unit
    return ""


def _field(name: str, field: FieldInfo) -> dict[str, Any]:
    required = field.is_required()
    if required:
        default = None
    elif field.default_factory is not None:
        default = _jsonable(field.default_factory())
    else:
        default = _jsonable(field.default)
    return {
        "name": name,
        "type": _type_name(field.annotation),
        "required": required,
        "default": default,
        "unit": _unit(name),
        "distribution": _distribution_rule(field),
        "constraints": _constraints(field),
        "limits": _limits(name),
        "description": field.description or "",
    }


def _limits(name: str) -> list[str]:
    """The documented bounds of :mod:`sim.limits` on a field."""
    out = []
    if name in limits.FY_FIELDS:
        out.append(f"FY{limits.MIN_FY}–FY{limits.MAX_FY}")
    if name in limits.FIELD_MIN:
        out.append(f"≥ {limits.fmt_bound(limits.FIELD_MIN[name])} (limit)")
    if name in limits.FIELD_MAX:
        out.append(f"≤ {limits.fmt_bound(limits.FIELD_MAX[name])} (limit)")
    return out


def _doc(model: type[BaseModel]) -> str:
    """The model's docstring as one paragraph per blank-line-separated block."""
    text = (model.__doc__ or "").strip()
    paragraphs = [" ".join(line.strip() for line in block.splitlines())
                  for block in text.split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def schema_data() -> dict[str, Any]:
    """Everything the reference shows, as plain data (the ``--format json`` output)."""
    sections = {}
    for key, written, model in SECTIONS:
        sections[key] = {
            "model": model.__name__,
            "written": written,
            "doc": _doc(model),
            "fields": [_field(n, f) for n, f in model.model_fields.items()],
        }
    budget = Scenario.model_fields["budget_oku_yen"]
    return {
        "top_level_keys": dict(TOP_KEYS),
        "budget": {
            "written": "[budget]",
            "keys": "fiscal years: FY2026, FY2027, …",
            "value": {
                "type": "number or distribution",
                "unit": "億円",
                "distribution": _distribution_rule(
                    FieldInfo.from_annotation(get_args(budget.annotation)[1])
                ),
                "description": budget.description or "",
            },
        },
        "sections": sections,
        "kinds": list(KINDS),
        "enums": {e.__name__: [m.value for m in e] for e in (Kind, Status, Stage)},
        "distributions": dict(DISTRIBUTION_HELP),
        "limits": [{"what": w, "bound": b} for w, b in limits.LIMITS_TABLE],
    }


# --------------------------------------------------------------------------------------------
# markdown
# --------------------------------------------------------------------------------------------
def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _default_text(f: dict[str, Any]) -> str:
    if f["required"]:
        return "required"
    d = f["default"]
    if d is None:
        return "—"
    if isinstance(d, bool):
        return f"`{str(d).lower()}`"
    if isinstance(d, float) and d.is_integer():
        d = int(d)
    if isinstance(d, int) and abs(d) >= 10_000:
        return f"`{d:_}`"
    if isinstance(d, str):
        return f'`"{d}"`'
    if isinstance(d, dict):
        return "`{}`" if not d else f"`{json.dumps(d, ensure_ascii=False)}`"
    return f"`{d}`"


def _distribution_text(rule: str | None) -> str:
    return "no" if rule is None else f"yes ({rule})"


def render_markdown(data: dict[str, Any]) -> str:
    """The reference as a markdown page."""
    out: list[str] = [
        "# Scenario file reference",
        "",
        "<!-- Generated by `jcm schema --output docs/scenario-reference.md` from the models in",
        "     sim/scenario.py and sim/loader.py. Do not edit by hand: a test checks that this",
        "     file equals the generated output. -->",
        "",
        "A scenario is a TOML file. Any value can be written plainly or as "
        '`{value = ..., source = "..."}` to record where it comes from (a citation, or the word '
        "`assumption`); a plain value's source is the file that set it. A file can `extends` "
        "another and change only what it names. Units: money in 億円, emissions in t-CO2, "
        "years are Japanese fiscal years (FY2030 = 1 April 2030 to 31 March 2031).",
        "",
        "## Top-level keys",
        "",
        "| key | meaning |",
        "|---|---|",
    ]
    out += [f"| `{k}` | {_cell(v)} |" for k, v in data["top_level_keys"].items()]
    b = data["budget"]
    out += [
        "",
        "## Budget: `[budget]`",
        "",
        f"Keys are {b['keys']}. Each value is a {b['value']['type']} in {b['value']['unit']}, "
        f"{b['value']['distribution']}: {b['value']['description']}.",
        "",
    ]
    for key, sec in data["sections"].items():
        out += [f"## {sec['model']}: `{sec['written']}`", "", sec["doc"], ""]
        if key == "projects":
            out += [
                "A project's missing fields come from `[defaults.<kind>]` (kinds: "
                + ", ".join(f"`{k}`" for k in data["kinds"])
                + "); `id`, `name` and `status` cannot have defaults. In a candidates file "
                "(CSV or .xlsx, first sheet) the header row holds these field names, one "
                "project per row; empty cells take the defaults.",
                "",
            ]
        out += [
            "| field | type | default | unit | distribution | constraints | description |",
            "|---|---|---|---|---|---|---|",
        ]
        for f in sec["fields"]:
            out.append(
                f"| `{f['name']}` | {_cell(f['type'])} | {_default_text(f)} | {f['unit']} | "
                f"{_distribution_text(f['distribution'])} | "
                f"{_cell(', '.join(f['constraints'] + f['limits']))} | "
                f"{_cell(f['description'])} |"
            )
        out.append("")
    out += [
        "## Distributions",
        "",
        "Where a field accepts a distribution, write it as a string such as "
        '`"triangular(12, 18, 30)"` or as a table such as '
        '`{dist = "triangular", low = 12, mode = 18, high = 30}`. A field that must never be '
        "negative rejects a distribution that can go below 0 (e.g. `normal(1, 2)`; truncate it "
        "with `low=0`); a probability rejects one that can leave [0, 1].",
        "",
        "| kind | written as |",
        "|---|---|",
    ]
    out += [f"| `{k}` | {_cell(v)} |" for k, v in data["distributions"].items()]
    out += ["", "## Values of the named choices", ""]
    out += [f"- `{name}`: " + ", ".join(f"`{v}`" for v in values)
            for name, values in data["enums"].items()]
    out += [
        "",
        "## Limits",
        "",
        "Every input is bounded (`sim/limits.py`); a value outside its bound is refused with "
        "the file, the field and the bound named (exit status 2 from `jcm`; a message in the "
        "app, nothing changed). Per-field bounds are listed in the tables above as `(limit)`; "
        "a distribution must keep its whole range (or, when unbounded, its 99.99th "
        "percentile) within them.",
        "",
        "| what | bound |",
        "|---|---|",
    ]
    out += [f"| {_cell(row['what'])} | {_cell(row['bound'])} |" for row in data["limits"]]
    return "\n".join(out) + "\n"


def render_json(data: dict[str, Any]) -> str:
    """The reference as JSON text."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------------------------
# command
# --------------------------------------------------------------------------------------------
def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "schema",
        help=HELP_LINES["schema"],
        description="Print a reference of every scenario-file field: type, default, unit, "
        "whether it takes a distribution, constraints and meaning. Generated from the models, "
        "so it is always current.",
    )
    p.add_argument("--format", choices=("markdown", "json"), default="markdown",
                   help="output format (default markdown)")
    p.add_argument("--output", metavar="PATH", help="write to PATH instead of printing")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    check_output_file("--output", args.output)
    data = schema_data()
    text = render_markdown(data) if args.format == "markdown" else render_json(data)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8", newline="\n")
        except OSError as err:
            raise InputError.single(args.output, "", f"cannot write the file: "
                                    f"{err.strerror or err}") from None
    else:
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:  # a text-only stream (e.g. captured in tests)
            sys.stdout.write(text)
        else:  # UTF-8 whatever the locale: the reference contains 億円
            sys.stdout.flush()
            buffer.write(text.encode("utf-8"))
            buffer.flush()
    return 0
