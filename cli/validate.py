"""``jcm validate``: check a scenario file and report each candidate's proposal screen."""

from __future__ import annotations

import argparse

from cli.commands import HELP_LINES
from cli.output import check_output_file, print_table, write_json
from sim.loader import load_scenario
from sim.screen import screen_candidates


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        help=HELP_LINES["validate"],
        description="Check a scenario file. Every problem is listed with the file, the field "
        "and the rule broken (exit status 2). When the file is valid, each candidate's proposal "
        "screen is reported.",
    )
    p.add_argument("scenario", help="scenario TOML file")
    p.add_argument("--json", metavar="PATH", help="also write the result as JSON to PATH")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    check_output_file("--json", args.json, [args.scenario])
    notes: list[str] = []
    scenario = load_scenario(args.scenario, notes)
    for note in notes:
        print(f"note: {note}")
    screens = screen_candidates(scenario)
    n = {
        s: sum(p.status.value == s for p in scenario.projects)
        for s in ("finished", "running", "candidate")
    }
    print(f"{args.scenario}: valid. Scenario '{scenario.name}': {n['finished']} finished, "
          f"{n['running']} running, {n['candidate']} candidate projects; "
          f"{len(scenario.countries)} partner countries.")
    print()
    rows = [
        [s.id, s.kind, f"{s.monitoring_months:,.1f}", f"{s.monitoring_credits_t:,.0f}",
         f"{s.disseminated_t_per_yr:,.0f}",
         "pass" if s.passes else "FAIL: " + "; ".join(s.reasons)]
        for s in screens
    ]
    t = scenario.targets
    print_table(
        ["candidate", "kind", "monitoring [months]",
         f"credits in monitoring [t] (≥{t.screen_monitoring_credits_t:,.0f})",
         f"disseminated [t/yr] (≥{t.screen_disseminated_t_per_yr:,.0f})", "proposal screen"],
        rows,
        title="Proposal screen (expected values)",
    )
    print()
    print("Monitoring period: from the expected registration (commissioning + expected TPE "
          "validation + half the country's mean Joint Committee interval, + any methodology "
          "drafting that outlasts the build and its approval) to the end of quantification "
          "follow-up. Credits = expected t/yr × mean performance ratio × those months / 12.")
    if args.json:
        write_json(args.json, {
            "scenario": scenario.name,
            "file": args.scenario,
            "valid": True,
            "projects": n,
            "screen": [s.as_dict() for s in screens],
        })
    return 0
