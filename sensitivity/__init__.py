"""Sensitivity analysis: which of a scenario's assumptions drives a KPI most.

:mod:`sensitivity.factors` turns a scenario's distributions, budgets and capacities into
factors and sets them; :mod:`sensitivity.analysis` runs the tornado, Morris screening and Sobol
indices (SALib) through the full simulation with common random numbers.
"""
