"""A project's random parameters in a trial, made on demand by both engines.

Each (project, field) has a distribution spec (:mod:`sim.samplers`) and a key, a hash of
(seed, ``project:<id>``); the value of field ``f`` in trial ``k`` is
:func:`sim.samplers.sample` of (key, ``k``, ``f``), then adjusted as the field needs
(:func:`project_value`). A value depends only on the seed, the project's id, the trial and
the field, so the fast engine makes a project's values only when a trial uses them (most
candidates of a large portfolio are never started), the SimPy engine makes them as it goes,
and two scenarios sharing a project id share its numbers (common random numbers).

Chances (``chance:``) are drawn as ``uniform < the probability's mean``: an outcome is the
only use of the probability, and ``u < p`` with ``p`` drawn from its distribution is true
with probability E[p], so this is the same distribution without drawing ``p``. So is the
chance that a demonstration disseminates (``mean:``): it decides one event, and its Bayes
update for a demonstration with no known cases (:mod:`sim.dissemination`) is, averaged over
``p``, the same formula with E[p] (the chance of no adoption so far does not depend on ``p``).

Units: months for durations (``*_months``), 億円 for money, t-CO2 for reductions.
"""

from __future__ import annotations

import numpy as np

from sim.jit import njit
from sim.ppf import UNIFORM, key_hash
from sim.samplers import BERNOULLI, FIXED, sample, spec5_of

#: Shortest monitoring period [months] (a period drawn shorter counts as this).
MIN_PERIOD_M = 1e-3

#: Per-project parameters: (name, where from). ``chance:`` draws ``uniform < mean``;
#: ``mean:`` is the distribution's mean; ``assumption:`` a scenario assumption; ``uniform``
#: a uniform in (0, 1); otherwise the project's field.
PROJECT_FIELDS = (
    ("design_cost", "design_cost_oku_yen"),
    ("design_months", "design_months"),
    ("design_ok", "chance:design_success_prob"),
    ("main_cost", "main_cost_oku_yen"),
    ("build_months", "build_months"),
    ("main_months", "main_months"),
    ("main_ok", "chance:main_success_prob"),
    ("meth_months", "methodology_months"),
    ("meth_ok", "chance:methodology_approval_prob"),
    ("expected_t_per_yr", "expected_t_per_yr"),
    ("perf", "performance_ratio"),
    ("registration_ok", "chance:registration_prob"),
    ("issues", "chance:issuance_prob"),
    ("japan_share", "japan_share"),
    ("period_months", "monitoring_period_months"),
    ("followup_months", "followup_years"),
    ("dissem_u", "uniform"),
    ("dissem_prob", "mean:dissemination_prob"),
    ("bass_p", "bass_p"),
    ("bass_q", "bass_q"),
    ("market", "market_size"),
    ("replication_t_per_yr", "replication_t_per_yr"),
    ("lifetime_years", "replication_lifetime_years"),
    ("after_followup_months", "assumption:crediting_after_followup_years"),
    ("validation_months", "assumption:validation_months"),
)
BOOL_FIELDS = ("design_ok", "main_ok", "meth_ok", "registration_ok", "issues")
FIELD = {name: f for f, (name, _) in enumerate(PROJECT_FIELDS)}
FIELD_NAMES = tuple(FIELD)

# what is done to a drawn value (per field)
P_NONE, P_YEARS_TO_MONTHS, P_PERIOD, P_ROUND, P_OR_REGISTERED, P_OR_ISSUED = range(6)
_POST = {"followup_months": P_YEARS_TO_MONTHS, "after_followup_months": P_YEARS_TO_MONTHS,
         "period_months": P_PERIOD, "market": P_ROUND, "registration_ok": P_OR_REGISTERED,
         "meth_ok": P_OR_REGISTERED, "issues": P_OR_ISSUED}
#: per project: bit 0, registered before the simulation (or credits issued); bit 1, issued
HIST_REGISTERED, HIST_ISSUED = 1, 2


class ProjectParams:
    """The specs (projects, fields, 5), per-field adjustments, history flags and keys of a
    scenario's projects for one seed (:func:`project_params`), and the keys of their
    adopters' uniforms (:func:`adoption_key`)."""

    def __init__(self, specs: np.ndarray, post: np.ndarray, flags: np.ndarray,
                 keys: np.ndarray, adopt_keys: np.ndarray):
        self.specs, self.post, self.flags, self.keys = specs, post, flags, keys
        self.adopt_keys = adopt_keys

    def fields(self, i: int, names: tuple[str, ...], trials: np.ndarray) -> dict:
        """Fields ``names`` of project ``i`` for the trial numbers ``trials`` (arrays)."""
        idx = np.array([FIELD[n] for n in names], dtype=np.int64)
        out = np.empty((len(names), len(trials)))
        _fields(self.specs, self.post, self.flags, self.keys, i, idx,
                np.asarray(trials, dtype=np.int64), out)
        return {n: _typed(n, out[k]) for k, n in enumerate(names)}


def _typed(name: str, x: np.ndarray) -> np.ndarray:
    if name in BOOL_FIELDS:
        return x != 0.0
    if name == "market":
        return x.astype(np.int64)
    return x


def project_params(scenario, seed: int) -> ProjectParams:
    """The :class:`ProjectParams` of ``scenario``'s projects for ``seed``."""
    a = scenario.assumptions
    n_p, n_f = len(scenario.projects), len(PROJECT_FIELDS)
    specs = np.zeros((max(n_p, 1), n_f, 5))
    flags = np.zeros(max(n_p, 1), dtype=np.int64)
    for i, p in enumerate(scenario.projects):
        for f, (_, src) in enumerate(PROJECT_FIELDS):
            if src == "uniform":
                spec = (UNIFORM, 0.0, 1.0, 0.0, 0.0)
            elif src.startswith("chance:"):
                spec = (BERNOULLI, float(getattr(p, src[7:]).mean), 0.0, 0.0, 0.0)
            elif src.startswith("mean:"):
                spec = (FIXED, float(getattr(p, src[5:]).mean), 0.0, 0.0, 0.0)
            elif src.startswith("assumption:"):
                spec = spec5_of(getattr(a, src[11:]))
            else:
                spec = spec5_of(getattr(p, src))
            specs[i, f] = spec
        flags[i] = ((HIST_REGISTERED if (p.registered or p.issued_t > 0) else 0)
                    | (HIST_ISSUED if p.issued_t > 0 else 0))
    post = np.array([_POST.get(name, P_NONE) for name, _ in PROJECT_FIELDS], dtype=np.int64)
    keys = np.array([key_hash(seed, f"project:{p.id}") for p in scenario.projects] or [0],
                    dtype=np.uint64)
    adopt_keys = np.array([adoption_key(seed, p.id) for p in scenario.projects] or [0],
                          dtype=np.uint64)
    return ProjectParams(specs, post, flags, keys, adopt_keys)


def adoption_key(seed: int, project_id: str) -> int:
    """The 64-bit key of a project's adopters' uniforms for ``seed``
    (:func:`sim.dissemination.replicate`)."""
    return key_hash(seed, f"adopt:{project_id}")


@njit(cache=True, _nrt=False)
def project_value(specs, post, flags, keys, i, f, trial):
    """Field ``f`` of project ``i`` in ``trial`` (see the module's docstring). Compiled
    without reference counting (it allocates nothing), which the compiled loop calls it
    often enough to notice."""
    v = sample(int(specs[i, f, 0]), specs[i, f, 1], specs[i, f, 2], specs[i, f, 3],
               specs[i, f, 4], keys[i], trial, f)
    how = post[f]
    if how == P_YEARS_TO_MONTHS:
        return 12.0 * v
    if how == P_PERIOD:
        return max(v, MIN_PERIOD_M)
    if how == P_ROUND:
        return np.rint(v)
    if how == P_OR_REGISTERED and flags[i] & HIST_REGISTERED:
        return 1.0
    if how == P_OR_ISSUED and flags[i] & HIST_ISSUED:
        return 1.0
    return v


@njit(cache=True)
def _fields(specs, post, flags, keys, i, idx, trials, out):
    for k in range(len(idx)):
        for r in range(len(trials)):
            out[k, r] = project_value(specs, post, flags, keys, i, idx[k], trials[r])


__all__ = ["BOOL_FIELDS", "FIELD", "FIELD_NAMES", "MIN_PERIOD_M", "PROJECT_FIELDS", "ProjectParams",
           "adoption_key", "project_params", "project_value"]

