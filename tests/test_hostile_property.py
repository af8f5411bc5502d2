"""Random mutations of the shipped scenarios load or are refused cleanly, never a traceback.

Two kinds of mutation: a value anywhere in the scenario replaced by something hostile
(huge, NaN, nested, wrong type, odd text), validated as the app validates edits; and the
TOML text itself cut, spliced or sprinkled with bytes, read as the command line reads a file.
Every example runs under a time and memory guard.
"""

from __future__ import annotations

import copy
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.errors import InputError
from sim.loader import parse_toml, scenario_from_dict
from sim.scenario import Scenario
from sim.scenario_io import resolve_scenario_dict
from tests.hostile_corpus import guard

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
SHIPPED = [SCENARIOS / "baseline.toml", SCENARIOS / "budget_low.toml",
           SCENARIOS / "examples" / "with_candidate_tables.toml"]
RESOLVED = {p.name: resolve_scenario_dict(p) for p in SHIPPED}
TEXTS = {p.name: p.read_bytes() for p in SHIPPED}

hostile_scalar = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e308, -1e308, 1e20, 1e15, 2**63, -(2**63), 0, -1, 10**30]),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.booleans(),
    st.text(max_size=30),
    st.sampled_from(["lognormal(1, 1e200)", "pert(1,2,3,lamb=1,lamb=8)", "uniform(5, 1)",
                     "normal(0, 1)", "beta(0, 0)", "triangular(1e308, 1e308, 1e308)",
                     "FY²⁰²⁷", "６．５", "6億円", "nan", "inf", "pert(", ")", "((((", "",
                     "[x](https://evil.example)", "2027-01-01"]),
)
hostile = st.recursive(hostile_scalar,
                       lambda inner: st.one_of(st.lists(inner, max_size=3),
                                               st.dictionaries(st.text(max_size=8), inner,
                                                               max_size=3)),
                       max_leaves=8)


def _paths(node, prefix=()):
    """Every (path) to a value in a nested dict."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield (*prefix, k)
            yield from _paths(v, (*prefix, k))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_value_mutations_load_or_are_refused(data):
    name = data.draw(st.sampled_from(sorted(RESOLVED)))
    raw = copy.deepcopy(RESOLVED[name])
    paths = list(_paths(raw))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        node = raw
        for k in path[:-1]:
            node = node.get(k) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node[path[-1]] = data.draw(hostile)
    with guard(seconds=30):
        try:
            result = scenario_from_dict(raw, name)
        except InputError as err:
            assert err.problems and all(p.rule for p in err.problems)
        else:
            assert isinstance(result, Scenario)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_text_mutations_load_or_are_refused(data):
    name = data.draw(st.sampled_from(sorted(TEXTS)))
    text = bytearray(TEXTS[name])
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        op = data.draw(st.sampled_from(["insert", "delete", "replace"]))
        chunk = data.draw(st.binary(min_size=1, max_size=6) | st.sampled_from(
            [b"[", b"{", b"=", b'"', b"\n", b"1e308", b"nan", b"\xef\xbb\xbf", b"[[",
             b"\xff", b"FY2027 = 1\n", "ＦＹ".encode()]))
        if op == "insert":
            text[at:at] = chunk
        elif op == "delete":
            del text[at:at + len(chunk)]
        else:
            text[at:at + len(chunk)] = chunk
    with guard(seconds=30):
        try:
            doc = parse_toml(bytes(text), name)
            doc.pop("extends", None)
            doc.pop("candidates_files", None)
            scenario_from_dict(doc, name)
        except InputError as err:
            assert err.problems and all(p.rule for p in err.problems)
