"""The compiled event loop of the fast engine: one trial at a time, everything the SimPy
engine (:mod:`sim.lifecycle`) does, the timeline of stage dates of one trial included
(:func:`_span`), each trial followed by its replications
(:func:`sim.dissemination.replicate`, as the reference makes them).

The loop keeps SimPy's order of events, (time [months], priority, sequence), with the
same priorities (April refills first, then ordinary events in the order they were scheduled,
then serving the budget queue), the same intermediate steps (a started process begins at an
``URGENT`` event, a released slot is handed on when the release is processed) and the same
floating-point arithmetic, so both engines give the same numbers from the same pre-drawn
random numbers. One wait of the reference is not an event here: a verification's wait for
the Joint Committee decision that issues its credits, which nothing else waits on; the
credits are booked when the wait begins, in the year of the decision and in the order the
issuances come (``PC_V_WORK_END``).

Each process of the reference (a project, its methodology drafting, its crediting, each
verification) is a state machine here: ``pc`` says where it waits. Events
wait in a binary heap of arrays, except those scheduled for the current instant, which wait in
one FIFO per priority (:func:`_push`); a trial works in arrays allocated once per batch
(:func:`_workspace`).

A trial the loop cannot settle exactly is flagged and the caller reruns it in the reference
engine: two racing events at the very same instant (a start deadline and the grant it races),
more verifications open at once than its pool of verification processes holds, or a timeline
longer than the room given for it.

With ``NUMBA_DISABLE_JIT=1`` the same functions run as plain Python (slowly), for debugging;
a test checks that this gives the compiled results.
"""

from __future__ import annotations

import math

import numpy as np

from sim.dissemination import no_replication, replicate
from sim.jit import njit
from sim.ppf import jc_decision, verification_delays
from sim.project_params import FIELD, project_value
from sim.resources import APRIL_DUE_M, EPS, EPS_T
from sim.samplers import FIXED

URGENT, NORMAL, LATE = 0, 1, 2
# heap entry codes
E_RESUME, E_DEADLINE, E_APRIL, E_SERVE, E_STAFF, E_TPE, E_APPROVE, E_START = range(8)
# kinds, statuses, stages (as in sim.scenario)
DEMO, METH, QUANT = 0, 1, 2
CAND, RUNNING, FINISHED = 0, 1, 2
ST_NONE, ST_DESIGN, ST_MAIN, ST_FOLLOWUP = 0, 1, 2, 3
# funding classes
CONTINUING, NEXT_STAGE, NEW_PROJECT = 0, 1, 2
# what a process waits on
W_NONE, W_STAFF, W_MONEY, W_TPE, W_APPROVAL, W_TIME = 0, 1, 2, 3, 4, 5
# the stages of the timeline (sim.lifecycle's Trial._event), by code: SPAN_NAMES
SPAN_NAMES = ("waiting to start", "design", "no money for the demonstration",
              "waiting for budget", "stopped: no money", "paused: waiting for budget", "build",
              "operation", "follow-up", "development", "JC approval", "support",
              "validation and registration")
(S_WAIT_START, S_DESIGN, S_NO_MONEY_DEMO, S_WAIT_BUDGET, S_STOPPED, S_PAUSED, S_BUILD,
 S_OPERATION, S_FOLLOWUP, S_DEVELOPMENT, S_JC_APPROVAL, S_SUPPORT, S_REGISTRATION) = range(13)

# program counters ---------------------------------------------------------------------------
(PC_INIT, PC_CAND_WAKE, PC_CAND_STAFF, PC_CAND_MONEY, PC_RUN_STAFF, PC_KIND,
 PC_ADV_LOOP, PC_ADV_PAID, PC_ADV_STEP, PC_NSM_LOOP, PC_NSM_PAID,
 PC_D_DESIGN, PC_D_DESIGN_END, PC_D_MONEY_END, PC_D_MAIN, PC_D_BUILD_END, PC_D_OP_END,
 PC_M_BEGIN, PC_M_DEV_END, PC_M_JC,
 PC_Q_BEGIN, PC_Q_END,
 PC_FIN,
 PC_C_BEGIN, PC_R_APPROVED, PC_R_TPE, PC_R_VAL_END, PC_R_FIRST, PC_R_REG,
 PC_C_CREDIT, PC_C_LOOP, PC_C_PERIOD,
 PC_V_BEGIN, PC_V_REQ, PC_V_WORK, PC_V_WORK_END,
 PC_O_BEGIN, PC_O_JC, PC_O_END,
 PC_DONE) = range(40)


# the projects' parameters (sim.project_params), by field
F_DESIGN_COST, F_DESIGN_MONTHS, F_DESIGN_OK = (FIELD["design_cost"], FIELD["design_months"],
                                               FIELD["design_ok"])
F_MAIN_COST, F_BUILD_MONTHS, F_MAIN_MONTHS, F_MAIN_OK = (
    FIELD["main_cost"], FIELD["build_months"], FIELD["main_months"], FIELD["main_ok"])
F_METH_MONTHS, F_METH_OK = FIELD["meth_months"], FIELD["meth_ok"]
F_EXPECTED_T_PER_YR, F_PERF = FIELD["expected_t_per_yr"], FIELD["perf"]
F_REGISTRATION_OK, F_ISSUES, F_JAPAN_SHARE = (FIELD["registration_ok"], FIELD["issues"],
                                              FIELD["japan_share"])
F_PERIOD_MONTHS, F_FOLLOWUP_MONTHS = FIELD["period_months"], FIELD["followup_months"]
F_AFTER_FOLLOWUP_MONTHS, F_VALIDATION_MONTHS = (FIELD["after_followup_months"],
                                                FIELD["validation_months"])
F_DISSEM_U, F_DISSEM_PROB, F_BASS_P, F_BASS_Q = (FIELD["dissem_u"], FIELD["dissem_prob"],
                                                 FIELD["bass_p"], FIELD["bass_q"])
F_MARKET, F_REPLICATION_T_PER_YR, F_LIFETIME_YEARS = (
    FIELD["market"], FIELD["replication_t_per_yr"], FIELD["lifetime_years"])


@njit(cache=True, inline="always")
def _par(f, i, trial, pa):
    """Field ``f`` of project ``i`` in ``trial``, made on first read
    (:func:`sim.project_params.project_value`) and kept for the rest of the trial in ``pvs``
    (``pvs[i, f]`` holds the value and the trial number + 1 it was made for, side by side in
    one cache line; a value made for an earlier trial is stale, as the rows' trials increase;
    a fixed value is made once per block, marked infinity: :func:`run_rows`); ``pa`` is
    ``(pvs, specs, post, flags, keys)``."""
    pvs, specs, post, flags, keys = pa
    if pvs[i, f, 1] < trial + 1:
        # np.int64: a plain integer, so that numba compiles one project_value for every
        # field (called with the field as a constant it would compile, and LLVM inline, one
        # copy of the samplers per field and read: machine code two-thirds larger)
        pvs[i, f, 0] = project_value(specs, post, flags, keys, i, np.int64(f), trial)
        pvs[i, f, 1] = trial + 1
    return pvs[i, f, 0]


# the event queue ------------------------------------------------------------------------------
#: An event's payload packs its code (4 bits), a process, year or key (24 bits) and a serial.
A_MASK = (1 << 24) - 1
B_SHIFT = 28
#: The heap orders by (time, key) with key = priority << PRIO_SHIFT | sequence number.
PRIO_SHIFT = 50
#: What :func:`_pop` returns when the queue is empty, and when it overflowed.
EMPTY, OVERFLOW = -1, -2


@njit(cache=True)
def _n_proc(P):
    """Process slots of a trial with ``P`` projects: three per project (the project, its
    methodology drafting, its crediting) and a pool of verification processes (the slots of
    finished verifications are reused; a trial needing more at once is flagged and rerun by
    the reference engine), plus one."""
    return 3 * P + max(64, 2 * P) + 1


@njit(cache=True)
def _workspace(P, n_ys, n_keys):
    """The arrays a trial works in, allocated once per batch: rows of float64, int64 and bool
    (named where :func:`run_trial` takes them apart) and the waiting lists of methodology
    approvals. The event queue's rows hold a heap of future events (times, keys = priority
    << PRIO_SHIFT | sequence number, payloads), counters ([0] heap size, [1 + p] and [4 + p]
    head and tail of the FIFO of priority ``p``, [7] set when an event did not fit, [8] the
    next April refill and [9] the last, which wait outside the heap: see :func:`_pop`) and one
    FIFO of payloads per priority."""
    nproc = _n_proc(P)
    width = 4 * nproc + n_ys + n_keys + 64
    return (np.zeros((26, width)), np.zeros((30, width), np.int64),
            np.zeros((7, width), np.bool_), np.zeros((max(n_keys, 1), max(P, 1)), np.int64))


@njit(cache=True, inline="always")
def _push(ht, hq, now, t, prio, seq, code, a, b):
    """Schedule event ``code`` (process, year or key ``a``; serial ``b``) at time ``t`` [months]
    with priority ``prio`` as SimPy would, with sequence number ``seq``; returns the next
    sequence number.

    SimPy orders events by (time, priority, sequence). An event scheduled for the current
    instant (``t == now``) has a higher sequence number than every event already in the heap,
    so among the events of this instant and priority it comes after those in the heap and in
    the order scheduled: a FIFO per priority keeps it, and only later events enter the heap."""
    hk, hp, hn = hq[0], hq[1], hq[2]
    payload = code | (a << 4) | (b << B_SHIFT)
    if t == now:
        tail = hn[4 + prio]
        if tail == hq.shape[1]:
            hn[7] = 1
        else:
            hq[3 + prio, tail] = payload
            hn[4 + prio] = tail + 1
        return seq + 1
    m = hn[0]
    if m == ht.shape[0]:
        hn[7] = 1
        return seq + 1
    key = (prio << PRIO_SHIFT) | seq
    j = m
    while j > 0:
        pa = (j - 1) >> 1
        if t < ht[pa] or (t == ht[pa] and key < hk[pa]):
            ht[j] = ht[pa]
            hk[j] = hk[pa]
            hp[j] = hp[pa]
            j = pa
        else:
            break
    ht[j] = t
    hk[j] = key
    hp[j] = payload
    hn[0] = m + 1
    return seq + 1


@njit(cache=True, inline="always")
def _pop(ht, hq, now):
    """The next event as (time [months], payload), or (now, EMPTY) / (now, OVERFLOW)."""
    hk, hp, hn = hq[0], hq[1], hq[2]
    if hn[7]:
        return now, OVERFLOW
    m = hn[0]
    for q in range(3):
        h = hn[1 + q]
        if h < hn[4 + q]:
            # a heap event of this instant with a priority as high comes first (it was
            # scheduled earlier)
            if m > 0 and ht[0] == now and (hk[0] >> PRIO_SHIFT) <= q:
                break
            payload = hq[3 + q, h]
            if h + 1 == hn[4 + q]:
                hn[1 + q] = 0
                hn[4 + q] = 0
            else:
                hn[1 + q] = h + 1
            return now, payload
    # the next April refill (k at 12 k months, URGENT, scheduled before any other event but
    # serving the queue at 0) comes before every heap event at its instant or later
    k = hn[8]
    if k <= hn[9] and (m == 0 or 12.0 * k <= ht[0]):
        hn[8] = k + 1
        return 12.0 * k, E_APRIL | (k << 4)
    if m == 0:
        return now, EMPTY
    t0 = ht[0]
    p0 = hp[0]
    m -= 1
    hn[0] = m
    if m > 0:
        lt = ht[m]
        lk = hk[m]
        lp = hp[m]
        # unsigned indices (no wraparound of negative indices to compute) and the smaller
        # child chosen by adding the comparison, not by a branch (a coin toss to predict)
        one = np.uint64(1)
        mu = np.uint64(m)
        j = np.uint64(0)
        while True:
            c = j + j + one
            if c >= mu:
                break
            c1 = c + one
            if c1 < mu:
                t1 = ht[c1]
                tc = ht[c]
                c += np.uint64((t1 < tc) | ((t1 == tc) & (hk[c1] < hk[c])))
            tc = ht[c]
            kc = hk[c]
            if (tc < lt) | ((tc == lt) & (kc < lk)):
                ht[j] = tc
                hk[j] = kc
                hp[j] = hp[c]
                j = c
            else:
                break
        ht[j] = lt
        hk[j] = lk
        hp[j] = lp
    return t0, p0


@njit(cache=True, inline="always")
def _span(tl, tl_n, i, code, t0, t1):
    """Record stage ``code`` (``SPAN_NAMES``) of project ``i`` from ``t0`` to ``t1`` [months]
    in the timeline ``tl`` (rows of project, code, start, end; ``tl_n[0]`` rows so far,
    ``tl_n[1]`` set when one did not fit)."""
    n = tl_n[0]
    if n < tl.shape[0]:
        tl[n, 0] = i
        tl[n, 1] = code
        tl[n, 2] = t0
        tl[n, 3] = t1
        tl_n[0] = n + 1
    else:
        tl_n[1] = 1


@njit(cache=True, inline="always")
def _mark(i, y, touched, w_lo, w_hi):
    """Note that the trial wrote year ``y`` of project ``i``'s rows (``touched``; ``w_lo``,
    ``w_hi``: the first and last year it wrote)."""
    if touched[i]:
        w_lo[i] = min(w_lo[i], y)
        w_hi[i] = max(w_hi[i], y)
    else:
        touched[i] = True
        w_lo[i] = y
        w_hi[i] = y


@njit(cache=True)
def _year_index(y0, t):
    return y0 + int(math.floor((t + EPS_T) / 12.0))


@njit(cache=True)
def _end_year_index(y0, t):
    return y0 + int(math.floor((t - EPS_T) / 12.0))


@njit(cache=True)
def _months_to_april(t):
    k = math.floor((t + EPS_T) / 12.0)
    return 12.0 * (k + 1) - t


@njit(cache=True)
def _staff_head(prio, time, seq, n):
    """Index of the first request in the staff queue: by (priority, time, insertion)."""
    best = 0
    for a in range(1, n):
        if prio[a] < prio[best] or (prio[a] == prio[best] and (
                time[a] < time[best] or (time[a] == time[best] and seq[a] < seq[best]))):
            best = a
    return best


@njit(cache=True, inline="always")
def _staff_take(proc, prio, time, seq, pos, n, k):
    """Remove entry ``k`` of the staff queue (of length ``n``) by moving the last entry into
    its place (the queue is kept unordered: :func:`_staff_head` finds the first request, so
    the order of the entries does not matter); ``pos[x]`` is process ``x``'s entry. Returns
    the new length."""
    last = n - 1
    if k != last:
        proc[k] = proc[last]
        prio[k] = prio[last]
        time[k] = time[last]
        seq[k] = seq[last]
        pos[proc[k]] = k
    return last


@njit(cache=True)
def _next_jc(times, now):
    """First decision time strictly after ``now``."""
    k = np.searchsorted(times, now, side="right")
    return times[k]


@njit(cache=True, inline="always")
def _jc_after(c, now, r, trial0, jc_mode, jc_times, jc_specs, jc_keys, jc_t, jc_k, jc_cur,
              jc_now0):
    """Country ``c``'s first Joint Committee decision strictly after ``now``: from the
    pre-drawn calendar, or (``jc_mode`` 1) made on demand, decision after decision, as far
    as needed (``jc_t``, ``jc_k``: the last decision made and how many; the loop asks at
    non-decreasing times, so earlier decisions are never needed again).

    Returned as the time the reference's clock shows at that decision: its decision is a
    timeout of ``t - now0`` scheduled at ``now0``, the time the decision was first asked for
    (``jc_cur``, ``jc_now0``: the decision last asked for and when), so the clock reads
    ``now0 + (t - now0)``, which can differ from ``t`` in the last bit."""
    if jc_mode == 0:
        t = _next_jc(jc_times[r, c], now)
    else:
        while jc_k[c] == 0 or jc_t[c] <= now:
            jc_t[c] = jc_decision(jc_keys[c], trial0 + r, int(jc_specs[c, 0]),
                                  jc_specs[c, 1], jc_specs[c, 2], jc_specs[c, 3],
                                  jc_specs[c, 4], jc_k[c], jc_t[c])
            jc_k[c] += 1
        t = jc_t[c]
    if t != jc_cur[c]:
        jc_cur[c] = t
        jc_now0[c] = now
    return jc_now0[c] + (t - jc_now0[c])


@njit(cache=True, _nrt=False)
def run_trial(r, P, kind, status, stage0, elapsed0, earliest_m, deadline_m, started_fy,
              finished_fy, hist_succeeded, hist_registered, monitored_t, meth_needed, meth_key,
              n_keys, country, prank, fin_design, first_fy, as_of_fy, y0, n_years, end_m,
              outside_after, carry_share, compounds, staff_cap, tpe_cap,
              ps, pp, pfl, pk, pvs, v_off, v_width, v_months, v_work,
              v_mode, v_keys, v_specs, trial0, jc_times, jc_mode, jc_specs, jc_keys,
              first_reg, budget,
              spend, credits, japan, demo, start_fy, main_start_fy, main_end_fy, succeeded,
              diss_t, lapsed, committed, carried_in, outside, hist, hist_lo, hist_hi, summ,
              stop_a, stop_b, s_prog, s_c_a, s_c_b, s_pspend, s_total, wf, wi, wb, aw, acc,
              tl, tl_n):
    """Run trial row ``r`` in the workspace ``wf, wi, wb, aw, acc`` (:func:`_workspace`;
    ``acc`` (4, projects, years) float64); writes row ``r`` of the output arrays (``spend``,
    ``credits``, ``japan``, ``demo`` float32, from the history ``hist`` (3, projects, years):
    spending, credits and Japan's credits before the simulation) or, when ``summ`` is 1, only
    their summaries (:mod:`sim.summaries`: ``s_prog`` the program totals by year of the four,
    ``s_c_a`` and ``s_c_b`` each project's credits of the years before ``stop_a`` and
    ``stop_b``, ``s_pspend`` its spending, ``s_total`` the trial's), and returns a flag (1:
    rerun this trial in the reference engine). Given a timeline ``tl`` (None: none), the
    trial records its stage dates there (:func:`_span`), as the reference's
    ``record_events`` does: numba compiles a version without ``tl`` and with every use of it
    pruned, so the trials that record nothing run the loop they ran before.

    Compiled without numba's reference counting: it allocates nothing (its arrays are rows
    of the workspace), so the counting would only cost time, which in a function this large
    numba's pruning of reference-count pairs does not recover."""
    flag = 0
    tr = trial0 + r  # the trial's number
    pa = (pvs, ps, pp, pfl, pk)  # its projects' parameters (_par)
    n_ys = budget.shape[1]
    NPROC = _n_proc(P)
    nv = NPROC - 3 * P - 1
    # the workspace's rows (see _workspace), reset where a trial reads before it writes
    pc = wi[0]
    serial = wi[1]
    dl_serial = wi[2]
    waiting = wi[3]
    proj = wi[4]
    adv_ret = wi[5]
    nsm_ret = wi[6]
    stage = wi[7]
    n_verify = wi[8]
    v_k = wi[9]
    free_v = wi[10]  # a stack of free verification slots
    q_proc = wi[11]
    q_key = wi[12]
    sq_proc = wi[13]
    sq_prio = wi[14]
    sq_seq = wi[15]
    tq_proc = wi[16]
    appr = wi[17]  # per methodology key: 0 none, 1 triggered, 2 processed
    aw_n = wi[18]
    runq = wi[19]
    hq = wi[20:26]  # the event queue with ht: keys, payloads, counters, FIFOs (_workspace)
    dl_time = wf[0]
    a_cost = wf[1]
    a_total = wf[2]
    a_done = wf[3]
    a_paid = wf[4]
    adv_months = wf[5]
    adv_step = wf[6]
    gm = wf[7]
    granted = wf[8]
    elapsed = wf[9]
    t_main = wf[10]
    credit_end = wf[11]
    cr_t = wf[12]
    cr_period = wf[13]
    v_amount = wf[14]
    v_wk = wf[15]
    sq_time = wf[16]
    ht = wf[17]
    # the current time [months] again, in memory: a process's step that divides it (the
    # year index, the months to April) reads it from here; from a local variable, LLVM
    # hoists those divisions out of the steps and makes them for every event
    clock = wf[19]
    # the timeline's times of a project's main process: when it asked (to start, for money,
    # for its methodology's Joint Committee decision), when its stage began, when its
    # demonstration began operating; and its crediting's start
    t_ask = wf[20]
    t_st = wf[21]
    t_comm = wf[22]
    t_reg = wf[23]
    # spending, credits, Japan's credits and the demonstrations' reductions by project and
    # year, accumulated in float64 (from the history) and stored once at the end
    sp = acc[0]
    cr = acc[1]
    jp = acc[2]
    dm = acc[3]
    # they hold the history (run_rows puts it there); a project's rows are touched when the
    # trial writes to them, which it does only from the simulation's first year (y0: every
    # time it books is at or after the start), so only those years of touched rows are reset
    # (and only touched rows and rows with a history are summed in the summaries)
    touched = wb[6]
    w_lo = wi[28]  # a touched row's first and last year written (_mark)
    w_hi = wi[29]
    for i in range(P):
        if touched[i]:
            for y in range(w_lo[i], w_hi[i] + 1):
                sp[i, y] = hist[0, i, y]
                cr[i, y] = hist[1, i, y]
                jp[i, y] = hist[2, i, y]
                dm[i, y] = 0.0
            touched[i] = False
    jc_t = wf[18]  # per country: the last Joint Committee decision made (on demand)
    jc_k = wi[26]  # and how many
    jc_cur = wf[24]  # per country: the decision last asked for, and when (_jc_after)
    jc_now0 = wf[25]
    sq_pos = wi[27]  # per process: its entry in the staff queue (while it waits there)
    dl_armed = wb[0]
    a_lump = wb[1]
    has_acct = wb[2]
    adv_ok = wb[3]
    has_staff = wb[4]
    q_contracted = wb[5]
    for a in range(NPROC):
        pc[a] = PC_DONE
        serial[a] = 0
        dl_serial[a] = 0
        waiting[a] = 0
        dl_armed[a] = False
    for a in range(P):
        adv_ret[a] = 0
        nsm_ret[a] = 0
        stage[a] = 0
        n_verify[a] = 0
    for row in range(1, 17):  # row by row: each row is contiguous
        for a in range(P):
            wf[row, a] = 0.0
    for a in range(P):
        credit_end[a] = np.inf
    for row in range(1, 5):
        for a in range(P):
            wb[row, a] = False
    for a in range(nv + 1):
        free_v[a] = NPROC - 1 - a
    n_free = nv + 1
    for a in range(n_keys):
        appr[a] = 0
        aw_n[a] = 0
    for a in range(jc_specs.shape[0]):
        jc_k[a] = 0
    for a in range(max(jc_specs.shape[0], jc_times.shape[1])):
        jc_cur[a] = -1.0  # none yet (every decision is after the start, 0)
    for a in range(8):
        hq[2, a] = 0
    # budget
    fresh = 0.0
    carried = 0.0
    byear = -1
    serving = False
    q_n = 0
    lap = 0.0
    # staff (priority queue) and TPE (FIFO)
    s_users = 0
    s_cap = staff_cap
    sq_n = 0
    t_users = 0
    tq_n = 0

    seq = 0
    # the event queue: future events in a heap, events at the current instant in one FIFO
    # per priority (see _push); the trial starts at 0, so its first events (serving the
    # budget queue, the processes' Initialize events) wait in the FIFOs, in the order
    # scheduled, not in the heap
    now = 0.0

    n_started = 0
    for i in range(P):
        if status[i] == RUNNING and stage0[i] != ST_FOLLOWUP:
            n_started += 1
    if n_started > s_cap:
        s_cap = n_started

    # FiscalBudget.__init__: April 0 now, later Aprils as URGENT events
    carry = carry_share * (fresh + (carried if compounds else 0.0))
    lap += fresh + carried - carry
    byear = 0
    carried = carry
    fresh = budget[r, 0] if 0 < n_ys else 0.0
    carried_in[r, 0] = carry
    serving = True
    seq = _push(ht, hq, now, 0.0, LATE, seq, E_SERVE, 0, 0)
    # the later Aprils 1..n_ys: outside the heap (_pop), in the order the reference schedules
    # them here (their sequence numbers would come next: the later events' numbers are all
    # shifted by as many, which keeps their order)
    hq[2, 8] = 1
    hq[2, 9] = n_ys
    # the project processes start: in the reference, one Initialize event each (URGENT, at
    # 0, one after the other), each resuming its process; nothing a process does when it
    # starts comes before the next one's Initialize (what it schedules at 0 is URGENT or
    # later in priority, and so after them), so one event resumes them all in that order
    for i in range(P):
        proj[i] = i
        proj[P + i] = i
        proj[2 * P + i] = i
        pc[i] = PC_INIT
    seq = _push(ht, hq, now, 0.0, URGENT, seq, E_START, 0, 0)

    while True:
        ev_t, payload = _pop(ht, hq, now)
        if payload < 0:
            if payload == OVERFLOW:  # the queue overflowed: rerun this trial in the reference
                flag = 1
            break
        now = ev_t
        clock[0] = now
        code = payload & 15
        ev_a = (payload >> 4) & A_MASK
        ev_b = payload >> B_SHIFT
        if now > end_m:
            break
        if now == end_m and code != E_APRIL:
            continue
        rq_n = 0
        if code == E_APRIL:
            k = ev_a
            carry = carry_share * (fresh + (carried if compounds else 0.0))
            lap += fresh + carried - carry
            byear = k
            carried = carry
            fresh = budget[r, k] if k < n_ys else 0.0
            if k < n_ys:
                carried_in[r, k] = carry
            serving = True
            if now < end_m:
                seq = _push(ht, hq, now, now, LATE, seq, E_SERVE, 0, 0)
            continue
        elif code == E_SERVE:
            serving = False
            # sort the queue by funding order (stable insertion sort on keys)
            for a in range(1, q_n):
                kp, kk, kc = q_proc[a], q_key[a], q_contracted[a]
                b = a - 1
                while b >= 0 and q_key[b] > kk:
                    q_proc[b + 1] = q_proc[b]
                    q_key[b + 1] = q_key[b]
                    q_contracted[b + 1] = q_contracted[b]
                    b -= 1
                q_proc[b + 1] = kp
                q_key[b + 1] = kk
                q_contracted[b + 1] = kc
            keep = 0
            for a in range(q_n):
                x = q_proc[a]
                i = proj[x]
                # amount at this instant
                if a_total[i] <= 0:
                    amount = a_cost[i]
                else:
                    mm = min(a_total[i] - a_paid[i], _months_to_april(now))
                    gm[i] = mm
                    amount = (a_cost[i] / a_total[i]) * mm
                ok = False
                if q_contracted[a] and byear > outside_after:
                    outside[r, byear] += amount
                    ok = True
                elif amount <= fresh + carried + EPS:
                    take = min(carried, amount)
                    carried -= take
                    fresh = max(fresh - (amount - take), 0.0)
                    committed[r, byear] += amount
                    ok = True
                if ok:
                    granted[i] = amount
                    seq = _push(ht, hq, now, now, NORMAL, seq, E_RESUME, x, serial[x])
                else:
                    q_proc[keep] = x
                    q_key[keep] = q_key[a]
                    q_contracted[keep] = q_contracted[a]
                    keep += 1
            q_n = keep
            continue
        elif code == E_STAFF:
            if sq_n > 0 and s_users < s_cap:
                best = _staff_head(sq_prio, sq_time, sq_seq, sq_n)
                x = sq_proc[best]
                sq_n = _staff_take(sq_proc, sq_prio, sq_time, sq_seq, sq_pos, sq_n, best)
                s_users += 1
                has_staff[proj[x]] = True
                seq = _push(ht, hq, now, now, NORMAL, seq, E_RESUME, x, serial[x])
            continue
        elif code == E_TPE:
            if tq_n > 0 and t_users < tpe_cap:
                x = tq_proc[0]
                for a in range(tq_n - 1):
                    tq_proc[a] = tq_proc[a + 1]
                tq_n -= 1
                t_users += 1
                seq = _push(ht, hq, now, now, NORMAL, seq, E_RESUME, x, serial[x])
            continue
        elif code == E_START:
            for a in range(P):
                runq[a] = a
            rq_n = P
        elif code == E_APPROVE:
            key = ev_a
            appr[key] = 2
            for a in range(aw_n[key]):
                runq[rq_n] = aw[key, a]
                rq_n += 1
                serial[aw[key, a]] += 1
            aw_n[key] = 0
        elif code == E_DEADLINE:
            x = ev_a
            if not dl_armed[x] or dl_serial[x] != ev_b:
                continue
            dl_armed[x] = False
            i = proj[x]
            if waiting[x] == W_STAFF:
                a = sq_pos[x]
                if a < sq_n and sq_proc[a] == x:
                    sq_n = _staff_take(sq_proc, sq_prio, sq_time, sq_seq, sq_pos, sq_n, a)
                else:  # granted at this very instant: the order is ambiguous
                    flag = 1
            elif waiting[x] == W_MONEY:
                found = False
                for a in range(q_n):
                    if q_proc[a] == x:
                        for b in range(a, q_n - 1):
                            q_proc[b] = q_proc[b + 1]
                            q_key[b] = q_key[b + 1]
                            q_contracted[b] = q_contracted[b + 1]
                        q_n -= 1
                        found = True
                        break
                if not found:
                    flag = 1
            serial[x] += 1  # a pending grant no longer resumes it
            waiting[x] = W_NONE
            adv_ok[i] = False  # "the deadline came first"
            runq[rq_n] = x
            rq_n += 1
        else:  # E_RESUME
            x = ev_a
            if ev_b != serial[x]:
                continue
            if waiting[x] == W_STAFF or waiting[x] == W_MONEY:
                adv_ok[proj[x]] = True  # granted
                if dl_armed[x] and now >= dl_time[x]:  # the grant races its deadline
                    flag = 1
            waiting[x] = W_NONE
            runq[rq_n] = x
            rq_n += 1

        # run the resumed processes, each until it waits again --------------------------------
        for qi in range(rq_n):
            while True:
                # read at every step: read once, x and i let LLVM compute the addresses of
                # their rows in every array once per resumed process, used or not
                x = runq[qi]
                i = proj[x]
                p = pc[x]
                if p == PC_DONE:
                    break
                # ---------------------------------------------------------------- main process
                if p == PC_INIT:
                    if hist_registered[i] and meth_needed[i]:
                        key = meth_key[i]
                        if appr[key] == 0:
                            appr[key] = 1
                            seq = _push(ht, hq, now, now, NORMAL, seq, E_APPROVE, key, 0)
                    if status[i] == FINISHED:
                        pc[x] = PC_FIN
                        continue
                    stage[i] = stage0[i]
                    elapsed[i] = elapsed0[i]
                    if status[i] == CAND:
                        serial[x] += 1
                        waiting[x] = W_TIME
                        seq = _push(ht, hq, now, now + earliest_m[i],
                                    NORMAL, seq, E_RESUME, x, serial[x])
                        pc[x] = PC_CAND_WAKE
                        break
                    if stage0[i] != ST_FOLLOWUP:
                        serial[x] += 1
                        waiting[x] = W_STAFF
                        pc[x] = PC_RUN_STAFF
                        # staff request, priority 0, at time now
                        sq_proc[sq_n] = x
                        sq_prio[sq_n] = 0
                        sq_time[sq_n] = now
                        sq_seq[sq_n] = seq
                        sq_pos[x] = sq_n
                        sq_n += 1
                        seq += 1
                        if s_users < s_cap:
                            best = _staff_head(sq_prio, sq_time, sq_seq, sq_n)
                            xx = sq_proc[best]
                            sq_n = _staff_take(sq_proc, sq_prio, sq_time, sq_seq, sq_pos, sq_n,
                                              best)
                            s_users += 1
                            has_staff[proj[xx]] = True
                            seq = _push(ht, hq, now, now, NORMAL, seq, E_RESUME, xx, serial[xx])
                        break
                    main_start_fy[r, i] = started_fy[i]
                    pc[x] = PC_KIND
                    continue
                if p == PC_RUN_STAFF:
                    if stage[i] == ST_MAIN:
                        main_start_fy[r, i] = first_fy + _year_index(y0, -elapsed[i])
                    pc[x] = PC_KIND
                    continue
                if p == PC_CAND_WAKE:
                    if now >= deadline_m[i]:
                        pc[x] = PC_DONE
                        break
                    if tl is not None:
                        t_ask[i] = now
                    dl_serial[x] += 1
                    dl_armed[x] = True
                    dl_time[x] = now + (deadline_m[i] - now)
                    seq = _push(ht, hq, now, dl_time[x], NORMAL, seq, E_DEADLINE, x, dl_serial[x])
                    serial[x] += 1
                    waiting[x] = W_STAFF
                    pc[x] = PC_CAND_STAFF
                    sq_proc[sq_n] = x
                    sq_prio[sq_n] = 1
                    sq_time[sq_n] = now
                    sq_seq[sq_n] = seq
                    sq_pos[x] = sq_n
                    sq_n += 1
                    seq += 1
                    if s_users < s_cap:
                        best = _staff_head(sq_prio, sq_time, sq_seq, sq_n)
                        xx = sq_proc[best]
                        sq_n = _staff_take(sq_proc, sq_prio, sq_time, sq_seq, sq_pos, sq_n, best)
                        s_users += 1
                        has_staff[proj[xx]] = True
                        seq = _push(ht, hq, now, now, NORMAL, seq, E_RESUME, xx, serial[xx])
                    break
                if p == PC_CAND_STAFF:
                    if not adv_ok[i]:  # the deadline came first
                        pc[x] = PC_DONE
                        break
                    # first stage's account, first part with the same deadline
                    if kind[i] == DEMO:
                        a_cost[i] = _par(F_DESIGN_COST, i, tr, pa)
                        a_total[i] = max(_par(F_DESIGN_MONTHS, i, tr, pa), 0.0)
                    else:
                        a_cost[i] = _par(F_MAIN_COST, i, tr, pa)
                        a_total[i] = max(_par(F_MAIN_MONTHS, i, tr, pa), 0.0)
                    a_done[i] = 0.0
                    a_paid[i] = 0.0
                    a_lump[i] = False
                    has_acct[i] = True
                    pc[x] = PC_CAND_MONEY
                    # budget request, class NEW_PROJECT, contracted
                    serial[x] += 1
                    waiting[x] = W_MONEY
                    if a_total[i] <= 0:
                        amount = a_cost[i]
                    else:
                        mm = min(a_total[i] - a_paid[i], _months_to_april(clock[0]))
                        gm[i] = mm
                        amount = (a_cost[i] / a_total[i]) * mm
                    due = now >= 12.0 * (byear + 1) - APRIL_DUE_M
                    got = False
                    if not serving and not due:
                        if byear > outside_after:
                            outside[r, byear] += amount
                            got = True
                        elif amount <= fresh + carried + EPS:
                            take = min(carried, amount)
                            carried -= take
                            fresh = max(fresh - (amount - take), 0.0)
                            committed[r, byear] += amount
                            got = True
                    if got:
                        granted[i] = amount
                        seq = _push(ht, hq, now, now, NORMAL, seq, E_RESUME, x, serial[x])
                    else:
                        q_proc[q_n] = x
                        q_key[q_n] = NEW_PROJECT * P + prank[i]
                        q_contracted[q_n] = True
                        q_n += 1
                    break
                if p == PC_CAND_MONEY:
                    if not adv_ok[i]:  # deadline: give the staff slot back
                        has_staff[i] = False
                        s_users -= 1
                        seq = _push(ht, hq, now, now, NORMAL, seq, E_STAFF, 0, 0)
                        pc[x] = PC_DONE
                        break
                    dl_armed[x] = False
                    if a_total[i] <= 0:
                        a_lump[i] = True
                    else:
                        a_paid[i] += gm[i]
                    if granted[i] != 0.0:
                        yi = _year_index(y0, clock[0])
                        sp[i, yi] += granted[i]
                        _mark(i, yi, touched, w_lo, w_hi)
                    if tl is not None:
                        if now > t_ask[i] + EPS_T:  # no staff or money in its first year(s)
                            _span(tl, tl_n, i, S_WAIT_START, t_ask[i], now)
                    start_fy[r, i] = first_fy + _year_index(y0, clock[0])
                    elapsed[i] = 0.0
                    if kind[i] == DEMO:
                        stage[i] = ST_DESIGN
                    else:
                        stage[i] = ST_MAIN
                        main_start_fy[r, i] = start_fy[r, i]
                    pc[x] = PC_KIND
                    continue
                if p == PC_KIND:
                    if kind[i] == DEMO:
                        if stage[i] == ST_DESIGN:
                            pc[x] = PC_D_DESIGN
                        elif stage[i] == ST_MAIN:
                            pc[x] = PC_D_MAIN
                        else:
                            end0 = -elapsed[i]
                            main_end_fy[r, i] = first_fy + _end_year_index(y0, end0)
                            succeeded[r, i] = True
                            credit_end[i] = (end0 + _par(F_FOLLOWUP_MONTHS, i, tr, pa)
                                             + _par(F_AFTER_FOLLOWUP_MONTHS, i, tr, pa))
                            diss_t[r, i] = end0
                            pc[x] = PC_C_BEGIN
                    elif kind[i] == METH:
                        pc[x] = PC_M_BEGIN
                    else:
                        if stage[i] == ST_FOLLOWUP:
                            end0 = -elapsed[i]
                            main_end_fy[r, i] = first_fy + _end_year_index(y0, end0)
                            succeeded[r, i] = True
                            credit_end[i] = (end0 + _par(F_FOLLOWUP_MONTHS, i, tr, pa)
                                             + _par(F_AFTER_FOLLOWUP_MONTHS, i, tr, pa))
                            pc[x] = PC_C_BEGIN
                        else:
                            pc[x] = PC_Q_BEGIN
                    continue
                # ---------------------------------------------------------- _advance(months)
                if p == PC_ADV_LOOP:
                    if adv_months[i] > EPS_T:
                        needs = False
                        if a_total[i] <= 0:
                            needs = not a_lump[i]
                        else:
                            needs = (a_paid[i] - a_done[i] <= EPS_T
                                     and a_done[i] < a_total[i] - EPS_T)
                        if needs:
                            out_now = byear > outside_after
                            ahead = fresh + carried > EPS
                            if not ahead:
                                for yy in range(byear + 1, n_ys):
                                    if budget[r, yy] > EPS:
                                        ahead = True
                                        break
                            if not out_now and not ahead and a_cost[i] > 0:
                                if tl is not None:
                                    _span(tl, tl_n, i, S_STOPPED, now, end_m)
                                adv_ok[i] = False
                                pc[x] = adv_ret[i]
                                continue
                            if tl is not None:
                                t_ask[i] = now
                            # pay, CONTINUING, contracted, no deadline
                            serial[x] += 1
                            waiting[x] = W_MONEY
                            pc[x] = PC_ADV_PAID
                            if a_total[i] <= 0:
                                amount = a_cost[i]
                            else:
                                mm = min(a_total[i] - a_paid[i], _months_to_april(clock[0]))
                                gm[i] = mm
                                amount = (a_cost[i] / a_total[i]) * mm
                            due = now >= 12.0 * (byear + 1) - APRIL_DUE_M
                            got = False
                            if not serving and not due:
                                if byear > outside_after:
                                    outside[r, byear] += amount
                                    got = True
                                elif amount <= fresh + carried + EPS:
                                    take = min(carried, amount)
                                    carried -= take
                                    fresh = max(fresh - (amount - take), 0.0)
                                    committed[r, byear] += amount
                                    got = True
                            if got:
                                granted[i] = amount
                                seq = _push(ht, hq, now, now, NORMAL, seq, E_RESUME, x, serial[x])
                            else:
                                q_proc[q_n] = x
                                q_key[q_n] = CONTINUING * P + prank[i]
                                q_contracted[q_n] = True
                                q_n += 1
                            break
                        pc[x] = PC_ADV_PAID
                        granted[i] = -1.0  # no payment: go straight to the step
                        continue
                    adv_ok[i] = True
                    pc[x] = adv_ret[i]
                    continue
                if p == PC_ADV_PAID:
                    if granted[i] >= 0.0:
                        if tl is not None:
                            if now > t_ask[i] + EPS_T:
                                _span(tl, tl_n, i, S_PAUSED, t_ask[i], now)
                        if a_total[i] <= 0:
                            a_lump[i] = True
                        else:
                            a_paid[i] += gm[i]
                        if granted[i] != 0.0:
                            yi = _year_index(y0, clock[0])
                            sp[i, yi] += granted[i]
                            _mark(i, yi, touched, w_lo, w_hi)
                    granted[i] = -1.0
                    step = min(adv_months[i], a_paid[i] - a_done[i])
                    if step <= 0.0:  # nothing left to pay: the last hair of the stage runs
                        step = adv_months[i]
                    adv_step[i] = step
                    serial[x] += 1
                    waiting[x] = W_TIME
                    seq = _push(ht, hq, now, now + step, NORMAL, seq, E_RESUME, x, serial[x])
                    pc[x] = PC_ADV_STEP
                    break
                if p == PC_ADV_STEP:
                    a_done[i] += adv_step[i]
                    adv_months[i] -= adv_step[i]
                    pc[x] = PC_ADV_LOOP
                    continue
                # ------------------------------------------------------- _new_stage_money
                if p == PC_NSM_LOOP:
                    ahead = fresh + carried > EPS
                    if not ahead:
                        for yy in range(byear + 1, n_ys):
                            if budget[r, yy] > EPS:
                                ahead = True
                                break
                    if not ahead and a_cost[i] > 0:
                        if tl is not None:
                            _span(tl, tl_n, i, S_NO_MONEY_DEMO, t_ask[i], end_m)
                        adv_ok[i] = False
                        pc[x] = nsm_ret[i]
                        continue
                    dl_serial[x] += 1
                    dl_armed[x] = True
                    dl_time[x] = now + (_months_to_april(clock[0]) + EPS_T)
                    seq = _push(ht, hq, now, dl_time[x], NORMAL, seq, E_DEADLINE, x, dl_serial[x])
                    serial[x] += 1
                    waiting[x] = W_MONEY
                    pc[x] = PC_NSM_PAID
                    if a_total[i] <= 0:
                        amount = a_cost[i]
                    else:
                        mm = min(a_total[i] - a_paid[i], _months_to_april(clock[0]))
                        gm[i] = mm
                        amount = (a_cost[i] / a_total[i]) * mm
                    due = now >= 12.0 * (byear + 1) - APRIL_DUE_M
                    got = False
                    if not serving and not due:
                        if amount <= fresh + carried + EPS:
                            take = min(carried, amount)
                            carried -= take
                            fresh = max(fresh - (amount - take), 0.0)
                            committed[r, byear] += amount
                            got = True
                    if got:
                        granted[i] = amount
                        seq = _push(ht, hq, now, now, NORMAL, seq, E_RESUME, x, serial[x])
                    else:
                        q_proc[q_n] = x
                        q_key[q_n] = NEXT_STAGE * P + prank[i]
                        q_contracted[q_n] = False
                        q_n += 1
                    break
                if p == PC_NSM_PAID:
                    if not adv_ok[i]:  # the April passed unpaid: ask again
                        pc[x] = PC_NSM_LOOP
                        continue
                    if tl is not None:
                        if now > t_ask[i] + EPS_T:
                            _span(tl, tl_n, i, S_WAIT_BUDGET, t_ask[i], now)
                    dl_armed[x] = False
                    if a_total[i] <= 0:
                        a_lump[i] = True
                    else:
                        a_paid[i] += gm[i]
                    if granted[i] != 0.0:
                        yi = _year_index(y0, clock[0])
                        sp[i, yi] += granted[i]
                        _mark(i, yi, touched, w_lo, w_hi)
                    granted[i] = -1.0
                    adv_ok[i] = True
                    pc[x] = nsm_ret[i]
                    continue
                # ------------------------------------------------------------ demonstration
                if p == PC_D_DESIGN:
                    if not has_acct[i]:
                        a_cost[i] = _par(F_DESIGN_COST, i, tr, pa)
                        a_total[i] = max(_par(F_DESIGN_MONTHS, i, tr, pa), 0.0)
                        a_done[i] = min(elapsed[i], a_total[i])
                        a_paid[i] = a_done[i]
                        a_lump[i] = False
                        has_acct[i] = True
                    adv_months[i] = max(_par(F_DESIGN_MONTHS, i, tr, pa) - elapsed[i], 0.0)
                    if tl is not None:
                        t_st[i] = now - elapsed[i]
                    adv_ret[i] = PC_D_DESIGN_END
                    pc[x] = PC_ADV_LOOP
                    continue
                if p == PC_D_DESIGN_END:
                    if tl is not None:
                        _span(tl, tl_n, i, S_DESIGN, t_st[i], now)
                    if not adv_ok[i] or _par(F_DESIGN_OK, i, tr, pa) == 0.0:
                        pc[x] = PC_DONE
                        if has_staff[i]:
                            has_staff[i] = False
                            s_users -= 1
                            seq = _push(ht, hq, now, now, NORMAL, seq, E_STAFF, 0, 0)
                        break
                    a_cost[i] = _par(F_MAIN_COST, i, tr, pa)
                    a_total[i] = max(_par(F_BUILD_MONTHS, i, tr, pa)
                                     + _par(F_MAIN_MONTHS, i, tr, pa), 0.0)
                    a_done[i] = 0.0
                    a_paid[i] = 0.0
                    a_lump[i] = False
                    nsm_ret[i] = PC_D_MONEY_END
                    if tl is not None:
                        t_ask[i] = now
                    pc[x] = PC_NSM_LOOP
                    continue
                if p == PC_D_MONEY_END:
                    if not adv_ok[i]:
                        pc[x] = PC_DONE
                        if has_staff[i]:
                            has_staff[i] = False
                            s_users -= 1
                            seq = _push(ht, hq, now, now, NORMAL, seq, E_STAFF, 0, 0)
                        break
                    main_start_fy[r, i] = first_fy + _year_index(y0, clock[0])
                    stage[i] = ST_MAIN
                    elapsed[i] = 0.0
                    pc[x] = PC_D_MAIN
                    continue
                if p == PC_D_MAIN:
                    t_main[i] = now - elapsed[i]
                    if not has_acct[i]:
                        a_cost[i] = _par(F_MAIN_COST, i, tr, pa)
                        a_total[i] = max(_par(F_BUILD_MONTHS, i, tr, pa)
                                         + _par(F_MAIN_MONTHS, i, tr, pa), 0.0)
                        a_done[i] = min(elapsed[i], a_total[i])
                        a_paid[i] = a_done[i]
                        a_lump[i] = False
                        has_acct[i] = True
                    if meth_needed[i]:
                        o = P + i
                        pc[o] = PC_O_BEGIN
                        seq = _push(ht, hq, now, now, URGENT, seq, E_RESUME, o, serial[o])
                    adv_months[i] = max(_par(F_BUILD_MONTHS, i, tr, pa) - elapsed[i], 0.0)
                    adv_ret[i] = PC_D_BUILD_END
                    pc[x] = PC_ADV_LOOP
                    continue
                if p == PC_D_BUILD_END:
                    if tl is not None:
                        if elapsed[i] < _par(F_BUILD_MONTHS, i, tr, pa):
                            t_comm[i] = now
                        else:
                            t_comm[i] = t_main[i] + _par(F_BUILD_MONTHS, i, tr, pa)
                        _span(tl, tl_n, i, S_BUILD, t_main[i], t_comm[i])
                    if not adv_ok[i]:
                        pc[x] = PC_DONE
                        if has_staff[i]:
                            has_staff[i] = False
                            s_users -= 1
                            seq = _push(ht, hq, now, now, NORMAL, seq, E_STAFF, 0, 0)
                        break
                    if _par(F_MAIN_OK, i, tr, pa) != 0.0:
                        c = 2 * P + i
                        pc[c] = PC_C_BEGIN
                        seq = _push(ht, hq, now, now, URGENT, seq, E_RESUME, c, serial[c])
                    adv_months[i] = max(_par(F_BUILD_MONTHS, i, tr, pa)
                                        + _par(F_MAIN_MONTHS, i, tr, pa)
                                        - max(elapsed[i], _par(F_BUILD_MONTHS, i, tr, pa)), 0.0)
                    adv_ret[i] = PC_D_OP_END
                    pc[x] = PC_ADV_LOOP
                    continue
                if p == PC_D_OP_END:
                    if tl is not None:
                        _span(tl, tl_n, i, S_OPERATION, t_comm[i], now)
                    if has_staff[i]:
                        has_staff[i] = False
                        s_users -= 1
                        seq = _push(ht, hq, now, now, NORMAL, seq, E_STAFF, 0, 0)
                    if not adv_ok[i]:
                        pc[x] = PC_DONE
                        break
                    main_end_fy[r, i] = first_fy + _end_year_index(y0, clock[0])
                    succeeded[r, i] = _par(F_MAIN_OK, i, tr, pa) != 0.0
                    credit_end[i] = (now + _par(F_FOLLOWUP_MONTHS, i, tr, pa)
                                     + _par(F_AFTER_FOLLOWUP_MONTHS, i, tr, pa))
                    if _par(F_MAIN_OK, i, tr, pa) != 0.0:
                        if tl is not None:
                            if _par(F_FOLLOWUP_MONTHS, i, tr, pa) > 0:
                                _span(tl, tl_n, i, S_FOLLOWUP, now,
                                      now + _par(F_FOLLOWUP_MONTHS, i, tr, pa))
                        diss_t[r, i] = now
                    pc[x] = PC_DONE
                    break
                # -------------------------------------------------------------- methodology
                if p == PC_M_BEGIN:
                    if not has_acct[i]:
                        a_cost[i] = _par(F_MAIN_COST, i, tr, pa)
                        a_total[i] = max(_par(F_MAIN_MONTHS, i, tr, pa), 0.0)
                        a_done[i] = min(elapsed[i], a_total[i])
                        a_paid[i] = a_done[i]
                        a_lump[i] = False
                        has_acct[i] = True
                    adv_months[i] = max(_par(F_MAIN_MONTHS, i, tr, pa) - elapsed[i], 0.0)
                    if tl is not None:
                        t_st[i] = now - elapsed[i]
                    adv_ret[i] = PC_M_DEV_END
                    pc[x] = PC_ADV_LOOP
                    continue
                if p == PC_M_DEV_END:
                    if tl is not None:
                        _span(tl, tl_n, i, S_DEVELOPMENT, t_st[i], now)
                    if has_staff[i]:
                        has_staff[i] = False
                        s_users -= 1
                        seq = _push(ht, hq, now, now, NORMAL, seq, E_STAFF, 0, 0)
                    if not adv_ok[i]:
                        pc[x] = PC_DONE
                        break
                    main_end_fy[r, i] = first_fy + _end_year_index(y0, clock[0])
                    if _par(F_MAIN_OK, i, tr, pa) == 0.0:
                        pc[x] = PC_DONE
                        break
                    serial[x] += 1
                    waiting[x] = W_TIME
                    t_jc = _jc_after(country[i], now, r, trial0, jc_mode, jc_times, jc_specs,
                                     jc_keys, jc_t, jc_k, jc_cur, jc_now0)
                    seq = _push(ht, hq, now, t_jc, NORMAL, seq, E_RESUME, x, serial[x])
                    if tl is not None:
                        t_ask[i] = now
                    pc[x] = PC_M_JC
                    break
                if p == PC_M_JC:
                    if tl is not None:
                        _span(tl, tl_n, i, S_JC_APPROVAL, t_ask[i], now)
                    if _par(F_METH_OK, i, tr, pa) != 0.0:
                        succeeded[r, i] = True
                        key = meth_key[i]
                        if appr[key] == 0:
                            appr[key] = 1
                            seq = _push(ht, hq, now, now, NORMAL, seq, E_APPROVE, key, 0)
                    pc[x] = PC_DONE
                    break
                # ----------------------------------------------------------- quantification
                if p == PC_Q_BEGIN:
                    if not has_acct[i]:
                        a_cost[i] = _par(F_MAIN_COST, i, tr, pa)
                        a_total[i] = max(_par(F_MAIN_MONTHS, i, tr, pa), 0.0)
                        a_done[i] = min(elapsed[i], a_total[i])
                        a_paid[i] = a_done[i]
                        a_lump[i] = False
                        has_acct[i] = True
                    adv_months[i] = max(_par(F_MAIN_MONTHS, i, tr, pa) - elapsed[i], 0.0)
                    if tl is not None:
                        t_st[i] = now - elapsed[i]
                    adv_ret[i] = PC_Q_END
                    pc[x] = PC_ADV_LOOP
                    continue
                if p == PC_Q_END:
                    if tl is not None:
                        _span(tl, tl_n, i, S_SUPPORT, t_st[i], now)
                    if has_staff[i]:
                        has_staff[i] = False
                        s_users -= 1
                        seq = _push(ht, hq, now, now, NORMAL, seq, E_STAFF, 0, 0)
                    if not adv_ok[i]:
                        pc[x] = PC_DONE
                        break
                    main_end_fy[r, i] = first_fy + _end_year_index(y0, clock[0])
                    succeeded[r, i] = _par(F_MAIN_OK, i, tr, pa) != 0.0
                    credit_end[i] = (now + _par(F_FOLLOWUP_MONTHS, i, tr, pa)
                                     + _par(F_AFTER_FOLLOWUP_MONTHS, i, tr, pa))
                    if _par(F_MAIN_OK, i, tr, pa) != 0.0:
                        if tl is not None:
                            if _par(F_FOLLOWUP_MONTHS, i, tr, pa) > 0:
                                _span(tl, tl_n, i, S_FOLLOWUP, now,
                                      now + _par(F_FOLLOWUP_MONTHS, i, tr, pa))
                        pc[x] = PC_C_BEGIN
                        continue
                    pc[x] = PC_DONE
                    break
                # ----------------------------------------------------------------- finished
                if p == PC_FIN:
                    if not hist_succeeded[i] or fin_design[i]:
                        pc[x] = PC_DONE
                        break
                    if kind[i] == METH:
                        key = meth_key[i]
                        if appr[key] == 0:
                            appr[key] = 1
                            seq = _push(ht, hq, now, now, NORMAL, seq, E_APPROVE, key, 0)
                        pc[x] = PC_DONE
                        break
                    end0 = 12.0 * (finished_fy[i] + 1 - as_of_fy)
                    credit_end[i] = (end0 + _par(F_FOLLOWUP_MONTHS, i, tr, pa)
                                     + _par(F_AFTER_FOLLOWUP_MONTHS, i, tr, pa))
                    if kind[i] == DEMO:
                        diss_t[r, i] = end0
                    if credit_end[i] > 0:
                        pc[x] = PC_C_BEGIN
                        continue
                    pc[x] = PC_DONE
                    break
                # ---------------------------------------------------------------- crediting
                if p == PC_C_BEGIN:
                    if hist_registered[i]:
                        if monitored_t[i] > 0 and (_par(F_ISSUES, i, tr, pa) != 0.0):
                            if n_free == 0:
                                flag = 1
                                pc[x] = PC_DONE
                                break
                            n_free -= 1
                            v = free_v[n_free]
                            proj[v] = i
                            v_amount[v] = monitored_t[i]
                            v_k[v] = n_verify[i]
                            n_verify[i] += 1
                            pc[v] = PC_V_BEGIN
                            seq = _push(ht, hq, now, now, URGENT, seq, E_RESUME, v, serial[v])
                        pc[x] = PC_C_CREDIT
                        continue
                    if tl is not None:
                        t_reg[i] = now
                    if meth_needed[i]:
                        key = meth_key[i]
                        if appr[key] != 2:
                            aw[key, aw_n[key]] = x
                            aw_n[key] += 1
                            waiting[x] = W_APPROVAL
                            pc[x] = PC_R_APPROVED
                            break
                    pc[x] = PC_R_APPROVED
                    continue
                if p == PC_R_APPROVED:
                    # TPE request (FIFO)
                    serial[x] += 1
                    waiting[x] = W_TPE
                    pc[x] = PC_R_TPE
                    tq_proc[tq_n] = x
                    tq_n += 1
                    if t_users < tpe_cap:
                        xx = tq_proc[0]
                        for a in range(tq_n - 1):
                            tq_proc[a] = tq_proc[a + 1]
                        tq_n -= 1
                        t_users += 1
                        seq = _push(ht, hq, now, now, NORMAL, seq, E_RESUME, xx, serial[xx])
                    break
                if p == PC_R_TPE:
                    serial[x] += 1
                    waiting[x] = W_TIME
                    seq = _push(ht, hq, now, now + _par(F_VALIDATION_MONTHS, i, tr, pa),
                                NORMAL, seq, E_RESUME, x, serial[x])
                    pc[x] = PC_R_VAL_END
                    break
                if p == PC_R_VAL_END:
                    t_users -= 1
                    seq = _push(ht, hq, now, now, NORMAL, seq, E_TPE, 0, 0)
                    first = first_reg[r, country[i]]
                    if now < first:
                        serial[x] += 1
                        waiting[x] = W_TIME
                        seq = _push(ht, hq, now, now + (first - now),
                                    NORMAL, seq, E_RESUME, x, serial[x])
                        pc[x] = PC_R_FIRST
                        break
                    pc[x] = PC_R_FIRST
                    continue
                if p == PC_R_FIRST:
                    serial[x] += 1
                    waiting[x] = W_TIME
                    t_jc = _jc_after(country[i], now, r, trial0, jc_mode, jc_times, jc_specs,
                                     jc_keys, jc_t, jc_k, jc_cur, jc_now0)
                    seq = _push(ht, hq, now, t_jc, NORMAL, seq, E_RESUME, x, serial[x])
                    pc[x] = PC_R_REG
                    break
                if p == PC_R_REG:
                    if tl is not None:
                        _span(tl, tl_n, i, S_REGISTRATION, t_reg[i], now)
                    if _par(F_REGISTRATION_OK, i, tr, pa) == 0.0:
                        pc[x] = PC_DONE
                        break
                    if monitored_t[i] > 0 and (_par(F_ISSUES, i, tr, pa) != 0.0):
                        if n_free == 0:
                            flag = 1
                            pc[x] = PC_DONE
                            break
                        n_free -= 1
                        v = free_v[n_free]
                        proj[v] = i
                        v_amount[v] = monitored_t[i]
                        v_k[v] = n_verify[i]
                        n_verify[i] += 1
                        pc[v] = PC_V_BEGIN
                        seq = _push(ht, hq, now, now, URGENT, seq, E_RESUME, v, serial[v])
                    pc[x] = PC_C_CREDIT
                    continue
                if p == PC_C_CREDIT:
                    cr_t[i] = now
                    pc[x] = PC_C_LOOP
                    continue
                if p == PC_C_LOOP:
                    t = cr_t[i]
                    if t < credit_end[i] - EPS_T and t < end_m:
                        per = min(_par(F_PERIOD_MONTHS, i, tr, pa), credit_end[i] - t)
                        cr_period[i] = per
                        serial[x] += 1
                        waiting[x] = W_TIME
                        seq = _push(ht, hq, now, now + per, NORMAL, seq, E_RESUME, x, serial[x])
                        pc[x] = PC_C_PERIOD
                        break
                    pc[x] = PC_DONE
                    break
                if p == PC_C_PERIOD:
                    t = cr_t[i]
                    per = cr_period[i]
                    rate = _par(F_EXPECTED_T_PER_YR, i, tr, pa) * _par(F_PERF, i, tr, pa) / 12.0
                    amount = rate * per
                    yi0 = _year_index(y0, t)
                    yi1 = _end_year_index(y0, t + per)
                    if yi0 == yi1:
                        dm[i, yi0] += amount
                        _mark(i, yi0, touched, w_lo, w_hi)
                    else:
                        # the years [yi0, yi1] and one more each side: every other year's
                        # overlap is exactly 0.0, which the reference adds to no effect
                        k0 = max(yi0 - y0 - 1, 0)
                        k1 = min(yi1 - y0 + 2, n_years - y0)
                        if k0 < k1:
                            _mark(i, y0 + k0, touched, w_lo, w_hi)
                            _mark(i, y0 + k1 - 1, touched, w_lo, w_hi)
                        for kk in range(k0, k1):
                            e_lo = 12.0 * kk
                            e_hi = 12.0 * (kk + 1)
                            lo = min(max(t, e_lo), e_hi)
                            hi = min(max(t + per, e_lo), e_hi)
                            dm[i, y0 + kk] += max(hi - lo, 0.0) * rate
                    if (_par(F_ISSUES, i, tr, pa) != 0.0) and amount > 0:
                        if n_free == 0:
                            flag = 1
                            pc[x] = PC_DONE
                            break
                        n_free -= 1
                        v = free_v[n_free]
                        proj[v] = i
                        v_amount[v] = amount
                        v_k[v] = n_verify[i]
                        n_verify[i] += 1
                        pc[v] = PC_V_BEGIN
                        seq = _push(ht, hq, now, now, URGENT, seq, E_RESUME, v, serial[v])
                    cr_t[i] = t + per
                    pc[x] = PC_C_LOOP
                    continue
                # ------------------------------------------------------------- verification
                if p == PC_V_BEGIN:
                    if v_mode == 1:
                        mo, wo = verification_delays(v_keys[i], trial0 + r, v_k[x],
                                                     v_specs[0], v_specs[1])
                    else:
                        j = v_off[i] + r * v_width[i] + v_k[x]
                        mo, wo = v_months[j], v_work[j]
                    v_wk[x] = wo
                    serial[x] += 1
                    waiting[x] = W_TIME
                    seq = _push(ht, hq, now, now + (mo - wo), NORMAL, seq, E_RESUME, x, serial[x])
                    pc[x] = PC_V_REQ
                    break
                if p == PC_V_REQ:
                    serial[x] += 1
                    waiting[x] = W_TPE
                    pc[x] = PC_V_WORK
                    tq_proc[tq_n] = x
                    tq_n += 1
                    if t_users < tpe_cap:
                        xx = tq_proc[0]
                        for a in range(tq_n - 1):
                            tq_proc[a] = tq_proc[a + 1]
                        tq_n -= 1
                        t_users += 1
                        seq = _push(ht, hq, now, now, NORMAL, seq, E_RESUME, xx, serial[xx])
                    break
                if p == PC_V_WORK:
                    serial[x] += 1
                    waiting[x] = W_TIME
                    seq = _push(ht, hq, now, now + v_wk[x], NORMAL, seq, E_RESUME, x, serial[x])
                    pc[x] = PC_V_WORK_END
                    break
                if p == PC_V_WORK_END:
                    t_users -= 1
                    seq = _push(ht, hq, now, now, NORMAL, seq, E_TPE, 0, 0)
                    # the credits are issued at the next decision, which the reference
                    # waits for; nothing else waits on an issuance, so they are booked now,
                    # in the year of the decision. The additions come in the order of the
                    # issuances: a later end of work cannot have an earlier decision, and
                    # issuances at one decision come in the order their waits began.
                    t_jc = _jc_after(country[i], now, r, trial0, jc_mode, jc_times, jc_specs,
                                     jc_keys, jc_t, jc_k, jc_cur, jc_now0)
                    if t_jc < end_m:  # an issuance at or after the end is not processed
                        yi = _year_index(y0, t_jc)
                        cr[i, yi] += v_amount[x]
                        jp[i, yi] += v_amount[x] * _par(F_JAPAN_SHARE, i, tr, pa)
                        _mark(i, yi, touched, w_lo, w_hi)
                    pc[x] = PC_DONE
                    free_v[n_free] = x  # the slot can serve a later verification
                    n_free += 1
                    break
                # ------------------------------------------------------ own methodology
                if p == PC_O_BEGIN:
                    serial[x] += 1
                    waiting[x] = W_TIME
                    t_o = max(t_main[i] + _par(F_METH_MONTHS, i, tr, pa) - now, 0.0)
                    seq = _push(ht, hq, now, now + t_o,
                                NORMAL, seq, E_RESUME, x, serial[x])
                    pc[x] = PC_O_JC
                    break
                if p == PC_O_JC:
                    serial[x] += 1
                    waiting[x] = W_TIME
                    t_jc = _jc_after(country[i], now, r, trial0, jc_mode, jc_times, jc_specs,
                                     jc_keys, jc_t, jc_k, jc_cur, jc_now0)
                    seq = _push(ht, hq, now, t_jc, NORMAL, seq, E_RESUME, x, serial[x])
                    pc[x] = PC_O_END
                    break
                if p == PC_O_END:
                    if _par(F_METH_OK, i, tr, pa) != 0.0:
                        key = meth_key[i]
                        if appr[key] == 0:
                            appr[key] = 1
                            seq = _push(ht, hq, now, now, NORMAL, seq, E_APPROVE, key, 0)
                    pc[x] = PC_DONE
                    break
                pc[x] = PC_DONE  # unknown state: stop this process
                flag = 1
                break
    if tl is not None:
        if tl_n[1]:  # the timeline did not fit: rerun this trial in the reference
            flag = 1
    lapsed[r] = lap
    # the trial's reductions and spending, rounded once to float32 as the results keep them
    if summ == 0:
        for i in range(P):
            for y in range(n_years):
                spend[r, i, y] = sp[i, y]
                credits[r, i, y] = cr[i, y]
                japan[r, i, y] = jp[i, y]
                demo[r, i, y] = dm[i, y]
        return flag
    # or only their summaries, summed as sim.summaries sums the float32 arrays
    for y in range(n_years):
        for k in range(4):
            s_prog[k, r, y] = 0.0
    s_all = 0.0
    for i in range(P):
        # the years that may hold a value: those of the history and those the trial wrote
        # (every other year is 0.0, which adds nothing)
        lo = hist_lo[i]
        hi = hist_hi[i]
        if touched[i]:
            lo = min(lo, w_lo[i])
            hi = max(hi, w_hi[i])
        s_i = 0.0
        c_a = 0.0
        c_b = 0.0
        for y in range(lo, hi + 1):
            v = np.float64(np.float32(sp[i, y]))
            s_i += v
            s_all += v
            s_prog[0, r, y] += v
            c = np.float64(np.float32(cr[i, y]))
            if y < stop_a:
                c_a += c
            if y < stop_b:
                c_b += c
            s_prog[1, r, y] += c
            s_prog[2, r, y] += np.float64(np.float32(jp[i, y]))
            s_prog[3, r, y] += np.float64(np.float32(dm[i, y]))
        s_pspend[r, i] = s_i
        s_c_a[r, i] = c_a
        s_c_b[r, i] = c_b
    s_total[r] = s_all
    return flag


@njit(cache=True, _nrt=False)
def _replications(r, tr, P, kind, diss_t, pa, adopt_keys, known, end_m, first_fy, y0,
                  n_years, summ, d_cases, d_first, d_life, d_diss, s_diss, scratch):
    """Trial row ``r``'s replications (:func:`sim.dissemination.replicate`) of every
    demonstration whose main stage ended (``diss_t``): cases, first fiscal year, lifetime
    reductions, and the reductions by year in ``d_diss`` (float32) or, when ``summ`` is 1,
    summed over the projects in ``s_diss`` (as :mod:`sim.summaries` sums the float32
    array)."""
    row = scratch[0]
    full = scratch[1]
    if summ:
        for y in range(n_years):
            s_diss[r, y] = 0.0
    for i in range(P):
        if kind[i] != DEMO or math.isnan(diss_t[r, i]):
            continue
        if no_replication(diss_t[r, i], known[i], _par(F_DISSEM_U, i, tr, pa),
                          _par(F_DISSEM_PROB, i, tr, pa)):
            d_cases[r, i] = 0  # replicate's answer, without making its other values
            continue
        for y in range(n_years):
            row[y] = 0.0
        c, fy, life = replicate(
            adopt_keys[i], tr, diss_t[r, i], int(_par(F_MARKET, i, tr, pa)),
            _par(F_BASS_P, i, tr, pa), _par(F_BASS_Q, i, tr, pa), _par(F_DISSEM_U, i, tr, pa),
            _par(F_DISSEM_PROB, i, tr, pa), _par(F_REPLICATION_T_PER_YR, i, tr, pa),
            _par(F_LIFETIME_YEARS, i, tr, pa), known[i], end_m, first_fy, y0, n_years, row,
            full)
        d_cases[r, i] = c
        if c == 0:
            continue
        d_first[r, i] = fy
        d_life[r, i] = life
        if summ:
            for y in range(n_years):
                s_diss[r, y] += np.float64(np.float32(row[y]))
        else:
            for y in range(n_years):
                d_diss[r, i, y] = row[y]


@njit(cache=True)
def run_rows(n, P, kind, status, stage0, elapsed0, earliest_m, deadline_m, started_fy,
             finished_fy, hist_succeeded, hist_registered, monitored_t, meth_needed, meth_key,
             n_keys, country, prank, fin_design, first_fy, as_of_fy, y0, n_years, end_m,
             outside_after, carry_share, compounds, staff_cap, tpe_cap,
             ps, pp, pfl, pk, v_off, v_width, v_months, v_work,
             v_mode, v_keys, v_specs, trial0, jc_times, jc_mode, jc_specs, jc_keys,
             first_reg, budget,
             spend, credits, japan, demo, start_fy, main_start_fy, main_end_fy, succeeded,
             diss_t, lapsed, committed, carried_in, outside, hist, summ, stop_a, stop_b,
             s_prog, s_c_a, s_c_b, s_pspend, s_total, flags, adopt_keys, known, d_cases,
             d_first, d_life, d_diss, s_diss, tl_trial, tl, tl_n):
    """Run rows 0..n-1 (see :func:`run_trial`), each followed by its replications
    (:func:`_replications`); ``flags[r]`` is set for a trial to rerun. The trial numbered
    ``tl_trial`` (-1: none) records its timeline in ``tl``, ``tl_n``."""
    wf, wi, wb, aw = _workspace(P, budget.shape[1], n_keys)
    acc = np.zeros((4, max(P, 1), n_years))
    acc[:3, :P] = hist[:, :P]  # each trial starts from the history (run_trial)
    # the projects' parameters of the current trial, made when first read (_par)
    pvs = np.zeros((max(P, 1), ps.shape[1], 2))
    for i in range(P):  # a fixed value is the same in every trial: made once, kept for all
        for f in range(ps.shape[1]):
            if ps[i, f, 0] == FIXED:
                pvs[i, f, 0] = project_value(ps, pp, pfl, pk, i, np.int64(f), trial0)
                pvs[i, f, 1] = np.inf
    pa = (pvs, ps, pp, pfl, pk)
    scratch = np.zeros((2, n_years + 1))
    # per project, the first and last year with a history (none: first > last)
    hist_lo = np.full(max(P, 1), n_years, np.int64)
    hist_hi = np.full(max(P, 1), -1, np.int64)
    for i in range(P):
        for y in range(n_years):
            if hist[0, i, y] != 0.0 or hist[1, i, y] != 0.0 or hist[2, i, y] != 0.0:
                hist_lo[i] = min(hist_lo[i], y)
                hist_hi[i] = y
    # run_trial's arguments but the row and the timeline
    common = (P, kind, status, stage0, elapsed0, earliest_m, deadline_m, started_fy,
              finished_fy, hist_succeeded, hist_registered, monitored_t, meth_needed, meth_key,
              n_keys, country, prank, fin_design, first_fy, as_of_fy, y0, n_years, end_m,
              outside_after, carry_share, compounds, staff_cap, tpe_cap,
              ps, pp, pfl, pk, pvs, v_off, v_width, v_months, v_work,
              v_mode, v_keys, v_specs, trial0, jc_times, jc_mode, jc_specs, jc_keys,
              first_reg, budget,
              spend, credits, japan, demo, start_fy, main_start_fy, main_end_fy, succeeded,
              diss_t, lapsed, committed, carried_in, outside, hist, hist_lo, hist_hi, summ,
              stop_a, stop_b, s_prog, s_c_a, s_c_b, s_pspend, s_total, wf, wi, wb, aw, acc)
    for r in range(n):
        # with the timeline for the trial that records it; without it (a version of the
        # loop compiled without the recording) for every other
        if trial0 + r == tl_trial:
            flags[r] = run_trial(r, *common, tl, tl_n)
        else:
            flags[r] = run_trial(r, *common, None, tl_n)
        _replications(r, trial0 + r, P, kind, diss_t, pa, adopt_keys, known, end_m, first_fy,
                      y0, n_years, summ, d_cases, d_first, d_life, d_diss, s_diss, scratch)
