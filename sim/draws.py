"""The random numbers of a batch of Monte Carlo trials, drawn up front and shared by both
engines (the SimPy reference in :mod:`sim.lifecycle` and the compiled one in
:mod:`sim.fast`).

Layout. Trials are grouped in blocks of :data:`BLOCK` consecutive trial numbers. Each block
has one random stream per purpose, keyed by (seed, block, purpose): ``verify:<id>`` for the
delays of a project's verifications (when they are drawn up front), ``jc:<country>`` for a
country's Joint Committee calendar (idem), ``first-registration:<country>``, ``budget``. A
stream draws its values for all the trials of the block at once (vectorised), in a fixed
order, so trial ``k`` always gets the same numbers whatever the batch, the number of workers
or where it runs; and two scenarios that share a project id or a country share its numbers
for the same seed (common random numbers). A batch draws the blocks it touches and keeps its
own rows.

Projects' parameters are made on demand (:mod:`sim.project_params`): a value is a function of
(seed, project, trial, field), so the fast engine makes only those a trial uses.

Verification delays and Joint Committee calendars whose distributions have quantile
functions (:mod:`sim.ppf`) are not drawn up front: they come from a counter-based hash of
(seed, purpose, trial, counter) when a trial needs them, so a trial makes only what it uses.
Adopters' uniforms (a replication market can hold 10,000 potential adopters) come from a
counter-based hash of (seed, trial, project, adopter) (:func:`sim.dissemination.replicate`), so
they are made only for the demonstrations that disseminate.

Units: months for durations (``*_months``), 億円 for money, t-CO2 for reductions.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from sim.ppf import (
    MIN_JC_INTERVAL_M,
    jc_calendar,
    key_hash,
    sample_above,
    spec_of,
    verification_delays,
)
from sim.project_params import FIELD_NAMES, ProjectParams, project_params
from sim.scenario import Scenario

#: Trials per draw block.
BLOCK = 1024
#: Tries at drawing a first-registration delay that ends after the simulation start.
FIRST_REGISTRATION_TRIES = 200


def block_stream(seed: int, block: int, key: str) -> np.random.Generator:
    """The random stream for ``key`` in draw block ``block`` of ``seed``."""
    ss = np.random.SeedSequence(entropy=seed, spawn_key=(0x4A434D, block, zlib.crc32(key.encode())))
    return np.random.default_rng(ss)


# batch draws -------------------------------------------------------------------------------
@dataclass
class BatchDraws:
    """Every pre-drawn number of the trials ``trials`` of one scenario and seed.

    Attributes
    ----------
    seed : int
    trials : range
    project : ProjectParams
        The projects' parameters (:mod:`sim.project_params`), made on demand: a value
        depends only on the seed, the project, the trial and the field.
    verify_months, verify_work_months : list of arrays (trials, K_p), one per project
        Delay from the end of a monitoring period (or of the monitored-but-unissued amount)
        to the issuance request, and the TPE's own part of it, for the project's k-th
        verification; K_p covers every verification the trial can need. Empty (K_p = 0)
        when ``verify_specs`` is set: the delays are then made on demand
        (:meth:`verification`) from ``verify_specs`` (quantile specs of
        ``verification_months`` and ``tpe_verification_months``, :mod:`sim.ppf`) and
        ``verify_keys`` (one 64-bit key per project).
    countries : tuple of str
        The countries of the country axes (:func:`used_countries`).
    jc_times : array (trials, countries, K)
        Joint Committee decision times [months from the simulation start], increasing,
        padded with +inf; every row passes the end of the horizon. Empty (K = 0) when
        ``jc_specs`` is set: the calendars are then made on demand (:meth:`jc_calendar`,
        :func:`sim.ppf.jc_decision`) from ``jc_specs`` (per country the quantile spec of its
        interval and its fixed first decision, NaN if none) and ``jc_keys``.
    first_registration_m : array (trials, countries)
        Earliest registration month in a country without registered projects (0 for others).
    budget_oku_yen : array (trials, years from as_of_fy to horizon_fy)
    """

    seed: int
    trials: range
    project: ProjectParams
    verify_months: list[np.ndarray]
    verify_work_months: list[np.ndarray]
    jc_times: np.ndarray
    first_registration_m: np.ndarray
    budget_oku_yen: np.ndarray
    countries: tuple[str, ...]
    verify_specs: np.ndarray | None = None
    verify_keys: np.ndarray | None = None
    jc_specs: np.ndarray | None = None
    jc_keys: np.ndarray | None = None

    def project_values(self, i: int, row: int) -> dict[str, float]:
        """Project ``i``'s parameters in row ``row`` (bool, int or float by field)."""
        one = self.project.fields(i, FIELD_NAMES, np.array([self.trials.start + row]))
        return {name: v[0].item() for name, v in one.items()}

    def row(self, trial: int) -> int:
        """Row of ``trial`` in the arrays."""
        return trial - self.trials.start

    def jc_calendar(self, row: int, j: int, end_m: float) -> np.ndarray:
        """Decision times [months] of country axis ``j``'s Joint Committee in row ``row``, up
        to and including the first after ``end_m``."""
        if self.jc_specs is None:
            times = self.jc_times[row, j]
            return times[np.isfinite(times)]
        code, a, b, c, fixed = self.jc_specs[j]
        return jc_calendar(self.jc_keys[j], self.trials.start + row, int(code), a, b, c, fixed,
                           end_m)

    def verification(self, i: int, row: int, k: int) -> tuple[float, float]:
        """Delays [months] of project ``i``'s ``k``-th verification in row ``row``: to the
        issuance request, and the TPE's own part (made on demand when both distributions
        have quantile functions, :mod:`sim.ppf`; otherwise drawn up front)."""
        if self.verify_specs is not None:
            months, work = verification_delays(self.verify_keys[i], self.trials.start + row, k,
                                               self.verify_specs[0], self.verify_specs[1])
            return float(months), float(work)
        return (float(self.verify_months[i][row, k]),
                float(self.verify_work_months[i][row, k]))


def _verify_block(scenario: Scenario, p, rng: np.random.Generator, period_months: np.ndarray,
                  end_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Delays for every verification a trial of this block can need: one per monitoring
    period that can start after the simulation start, plus the monitored-but-unissued one."""
    a = scenario.assumptions
    n = len(period_months)
    k = int(np.ceil(end_m / period_months.min())) + 2
    months = np.asarray(a.verification_months.sample(rng, n * k), dtype=float).reshape(n, k)
    work = np.asarray(a.tpe_verification_months.sample(rng, n * k), dtype=float).reshape(n, k)
    return months, np.minimum(work, months)


def _jc_block(scenario: Scenario, country: str, rng: np.random.Generator, n: int,
              end_m: float) -> np.ndarray:
    interval = scenario.jc_interval(country)
    first = rng.uniform(0.0, 1.0, n) * np.asarray(interval.sample(rng, n), dtype=float)
    fixed = scenario.countries[country].jc_next_decision_month
    if fixed is not None:
        first[:] = fixed
    times = [first[:, None]]
    last = first.copy()
    chunk = max(8, int(np.ceil(end_m / max(interval.mean, 1.0))) + 4)
    while last.min() <= end_m:
        steps = np.maximum(np.asarray(interval.sample(rng, n * chunk), dtype=float),
                           MIN_JC_INTERVAL_M).reshape(n, chunk)
        block = last[:, None] + np.cumsum(steps, axis=1)
        times.append(block)
        last = block[:, -1]
    return np.concatenate(times, axis=1)


def _first_registration_block(scenario: Scenario, country: str, rng: np.random.Generator,
                              n: int) -> np.ndarray:
    """Signing plus the scenario's delay, conditioned on not having happened before the
    simulation start; 0 for a country that has registered projects.

    The delay is drawn from its distribution above ``-signing`` by inverting the survival
    function (:func:`sim.ppf.sample_above`); a distribution without a quantile function here
    is drawn by rejection (up to :data:`FIRST_REGISTRATION_TRIES` tries, after which the
    country registers at the simulation start)."""
    c = scenario.countries[country]
    if c.has_registered_projects:
        return np.zeros(n)
    signed_m = 0.0
    if c.signed is not None:
        year, month = (int(x) for x in c.signed.split("-"))
        signed_m = 12.0 * (year - scenario.program.as_of_fy) + (month - 4)
    delay = scenario.assumptions.signing_to_first_registration_months
    above = sample_above(delay, -signed_m, rng.random(n))
    if above is not None:
        return np.maximum(signed_m + above, 0.0)
    t = signed_m + np.asarray(delay.sample(rng, n), dtype=float)
    for _ in range(FIRST_REGISTRATION_TRIES):
        redo = np.flatnonzero(t <= 0)
        if len(redo) == 0:
            break
        fresh = signed_m + np.asarray(delay.sample(rng, n), dtype=float)
        t[redo] = fresh[redo]
    return np.maximum(t, 0.0)


def used_countries(scenario: Scenario) -> tuple[str, ...]:
    """The countries some project is in, in the scenario's order (only they need Joint
    Committee calendars and first-registration dates)."""
    used = {p.country for p in scenario.projects}
    return tuple(c for c in scenario.countries if c in used)


def _block(scenario: Scenario, seed: int, block: int, on_demand: tuple) -> BatchDraws:
    """The draws of block ``block``; ``on_demand`` is :func:`_on_demand_specs`."""
    prog = scenario.program
    n = BLOCK
    end_m = 12.0 * (prog.horizon_fy - prog.as_of_fy + 1)
    vm, vw = [], []
    (specs, keys), (jc_specs, jc_keys), pp = on_demand
    trials = np.arange(block * n, (block + 1) * n)
    for i, p in enumerate(scenario.projects):
        if specs is None:
            period = pp.fields(i, ("period_months",), trials)["period_months"]
            m, w = _verify_block(scenario, p, block_stream(seed, block, f"verify:{p.id}"),
                                 period, end_m)
        else:
            m = w = np.zeros((n, 0))
        vm.append(m)
        vw.append(w)
    countries = used_countries(scenario)
    if jc_specs is not None:
        jc_times = np.zeros((n, len(countries), 0))
    else:
        jc = [_jc_block(scenario, c, block_stream(seed, block, f"jc:{c}"), n, end_m)
              for c in countries]
        width = max(x.shape[1] for x in jc) if jc else 1
        jc_times = np.full((n, len(countries), width), np.inf)
        for j, x in enumerate(jc):
            jc_times[:, j, : x.shape[1]] = x
    first_reg = np.stack(
        [_first_registration_block(scenario, c, block_stream(seed, block,
                                                              f"first-registration:{c}"), n)
         for c in countries], axis=1) if countries else np.zeros((n, 0))
    brng = block_stream(seed, block, "budget")
    budgets = scenario.budget_oku_yen
    budget = np.stack(
        [np.asarray(budgets[fy].sample(brng, n), dtype=float) if fy in budgets else np.zeros(n)
         for fy in range(prog.as_of_fy, prog.horizon_fy + 1)], axis=1)
    return BatchDraws(seed, range(block * n, (block + 1) * n), pp, vm, vw, jc_times,
                      first_reg, budget, countries, specs, keys, jc_specs, jc_keys)


#: The last scenarios' :func:`_on_demand_specs`, by (id of the scenario, seed), with the
#: scenario itself (an id is only reused once its object is gone).
_SPECS: dict[tuple[int, int], tuple[Scenario, tuple]] = {}


def _on_demand_specs(scenario: Scenario, seed: int) -> tuple:
    """What the blocks of a scenario and seed share: :func:`verify_specs`,
    :func:`jc_specs_of` and the projects' :class:`~sim.project_params.ProjectParams` (made
    once, not per block: for 208 projects they cost about 10 µs per trial of a block)."""
    hit = _SPECS.get((id(scenario), seed))
    if hit is not None and hit[0] is scenario:
        return hit[1]
    specs = (verify_specs(scenario, seed), jc_specs_of(scenario, seed),
             project_params(scenario, seed))
    if len(_SPECS) >= 8:
        _SPECS.clear()
    _SPECS[(id(scenario), seed)] = (scenario, specs)
    return specs


def jc_specs_of(scenario: Scenario, seed: int) -> tuple[np.ndarray | None, np.ndarray]:
    """Per used country (:func:`used_countries`) the quantile spec of its Joint Committee
    interval and its fixed first decision (NaN if none), shape (countries, 5), or None when
    some interval has no quantile function here (the calendars are then drawn up front), and
    each country's key."""
    countries = used_countries(scenario)
    keys = np.array([key_hash(seed, f"jc:{c}") for c in countries], dtype=np.uint64)
    rows = []
    for c in countries:
        spec = spec_of(scenario.jc_interval(c))
        if spec is None:
            return None, keys
        fixed = scenario.countries[c].jc_next_decision_month
        rows.append((*spec, np.nan if fixed is None else float(fixed)))
    return np.array(rows, dtype=float).reshape(len(countries), 5), keys


def verify_specs(scenario: Scenario, seed: int) -> tuple[np.ndarray | None, np.ndarray]:
    """Quantile specs (2, 4) of the verification delays, or None when either distribution
    has none (the delays are then drawn up front), and each project's key."""
    a = scenario.assumptions
    v, w = spec_of(a.verification_months), spec_of(a.tpe_verification_months)
    keys = np.array([key_hash(seed, f"verify:{p.id}") for p in scenario.projects],
                    dtype=np.uint64)
    if v is None or w is None:
        return None, keys
    return np.array([v, w], dtype=float), keys


def block_pieces(trials: range) -> list[range]:
    """``trials`` cut at the draw blocks' edges (each piece lies in one block)."""
    out = []
    start = trials.start
    while start < trials.stop:
        stop = min((start // BLOCK + 1) * BLOCK, trials.stop)
        out.append(range(start, stop))
        start = stop
    return out


def draw_batch(scenario: Scenario, seed: int, trials: range) -> BatchDraws:
    """The pre-drawn numbers of ``trials`` (consecutive trial numbers) of ``scenario``.

    Within one block the arrays are views of the block's; across blocks they are copied
    together (padding the ragged widths)."""
    if len(trials) == 0:
        raise ValueError("no trials to draw")
    b0, b1 = trials.start // BLOCK, (trials.stop - 1) // BLOCK
    on_demand = _on_demand_specs(scenario, seed)
    parts = [_block(scenario, seed, b, on_demand) for b in range(b0, b1 + 1)]
    lo = trials.start - b0 * BLOCK
    sl = slice(lo, lo + len(trials))
    if len(parts) == 1:
        x = parts[0]
        return BatchDraws(seed, trials, x.project,
                          [v[sl] for v in x.verify_months],
                          [v[sl] for v in x.verify_work_months], x.jc_times[sl],
                          x.first_registration_m[sl], x.budget_oku_yen[sl], x.countries,
                          x.verify_specs, x.verify_keys, x.jc_specs, x.jc_keys)

    def cat(arrays: list[np.ndarray]) -> np.ndarray:
        return np.concatenate(arrays, axis=0)[sl]

    def cat_ragged(arrays: list[np.ndarray]) -> np.ndarray:
        width = max(a.shape[1] for a in arrays)
        padded = [np.pad(a, ((0, 0), (0, width - a.shape[1])), constant_values=np.nan)
                  for a in arrays]
        return cat(padded)

    n_p = len(scenario.projects)
    jc_w = max(x.jc_times.shape[2] for x in parts)
    jc = [np.pad(x.jc_times, ((0, 0), (0, 0), (0, jc_w - x.jc_times.shape[2])),
                 constant_values=np.inf) for x in parts]
    return BatchDraws(
        seed=seed,
        trials=trials,
        project=parts[0].project,
        verify_months=[cat_ragged([x.verify_months[i] for x in parts]) for i in range(n_p)],
        verify_work_months=[cat_ragged([x.verify_work_months[i] for x in parts])
                            for i in range(n_p)],
        jc_times=cat(jc),
        first_registration_m=cat([x.first_registration_m for x in parts]),
        budget_oku_yen=cat([x.budget_oku_yen for x in parts]),
        countries=parts[0].countries,
        verify_specs=parts[0].verify_specs,
        verify_keys=parts[0].verify_keys,
        jc_specs=parts[0].jc_specs,
        jc_keys=parts[0].jc_keys,
    )


__all__ = ["BLOCK", "BatchDraws", "block_pieces", "block_stream",
           "draw_batch", "key_hash"]
