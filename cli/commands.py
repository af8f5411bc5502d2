"""The ``jcm`` sub-commands: the module inside ``cli`` that holds each (``add_parser`` and
``run``) and its one line of help, which ``jcm --help`` lists without importing the modules."""

from __future__ import annotations

#: Sub-command -> its line of help, in the order ``jcm --help`` lists them.
HELP_LINES: dict[str, str] = {
    "simulate": "forecast a scenario by Monte Carlo; print the KPI table",
    "validate": "check a scenario file; list its projects and each candidate's proposal screen",
    "optimize": "choose the best portfolio under fiscal-year budgets",
    "frontier": "best portfolio for a range of budget scales",
    "schema": "print a reference of every scenario field (generated from the models)",
    "report": "write the evaluation material (HTML page and Excel workbook)",
    "sensitivity": "rank the scenario's assumptions by their effect on a KPI",
    "backtest": "forecast from a past cut-off; how often the data fall in the P10-P90 band",
}
