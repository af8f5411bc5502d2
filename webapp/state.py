"""Session state: the scenario being edited, the run settings, and the shareable link.

The edited scenario lives in ``st.session_state`` as a plain dictionary (``_work``), next to
the dictionary it started from (``_base_raw``). Widgets write into it; nothing is kept only in
a widget, so switching page or language never loses an input.

The link: the query parameters hold the shipped scenario (``scenario``), the edits relative to
it (``changes``: :func:`sim.scenario_io.diff`, as compressed JSON), the seed, the trial count
and the language. Opening such a link rebuilds the same scenario and so the same results.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from sim import limits
from sim.errors import InputError, Problem
from sim.scenario import Scenario
from sim.scenario_io import apply, diff
from webapp import i18n, pflink
from webapp.scenarios import (
    DEFAULT_SCENARIO,
    load_shipped,
    scenario_text,
    shipped,
    validate,
)

DEFAULT_TRIALS = 2000
MIN_TRIALS = 10
MAX_TRIALS = limits.APP_MAX_TRIALS
DEFAULT_SEED = 1
MAX_SEED = 2**31 - 1
MAX_LINK_CHARS = 6000
MAX_CHANGES_BYTES = 500_000
#: Longest query value repeated back in a message [characters].
MAX_SHOWN_CHARS = 60

K_INIT = "_init"
K_BASE = "_base"  # shipped scenario (relative path) the session started from
K_LABEL = "_base_label"  # what the base is called in the interface
K_BASE_RAW = "_base_raw"
K_LINK_BASE = "_link_base"  # shipped scenario the link's changes are relative to
K_WORK = "_work"
K_VER = "_ver"
K_URL_PROBLEMS = "_url_problems"
K_VALID = "_valid"
#: The edited scenario another scenario replaced (it can be brought back): its base,
#: label, link base, base dictionary and edited dictionary.
K_REPLACED = "_replaced"
_SCENARIO_KEYS = (K_BASE, K_LABEL, K_LINK_BASE, K_BASE_RAW, K_WORK)


# ------------------------------------------------------------------------------------------
# link encoding
# ------------------------------------------------------------------------------------------
def encode_changes(changes: dict[str, Any]) -> str:
    """Compressed, URL-safe text of a change set."""
    data = json.dumps(changes, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    packed = zlib.compress(data.encode("utf-8"), 9)
    return base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


class LinkError(ValueError):
    """A part of a link that cannot be used: ``key`` names its message in
    :mod:`webapp.i18n` (``link.*``), with the ``words`` it takes."""

    def __init__(self, key: str, **words: Any):
        super().__init__(i18n.text_in("en", key, **words))
        self.key, self.words = key, words


def decode_changes(text: str) -> dict[str, Any]:
    """The change set in a link; raises :class:`LinkError` (a ValueError) for anything
    malformed or oversized."""
    if len(text) > MAX_LINK_CHARS:
        raise LinkError("link.too_long", n=f"{MAX_LINK_CHARS:,}")
    try:
        packed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        inflater = zlib.decompressobj()
        data = inflater.decompress(packed, MAX_CHANGES_BYTES)
        if inflater.unconsumed_tail:
            raise LinkError("link.too_large")
        changes = json.loads(data.decode("utf-8"))
    except LinkError:
        raise
    except RecursionError:
        raise LinkError("link.too_deep", n=limits.MAX_NESTING_DEPTH) from None
    except (ValueError, zlib.error, UnicodeDecodeError):
        raise LinkError("link.unreadable") from None
    if not isinstance(changes, dict):
        raise LinkError("link.not_table")
    if limits.nesting_depth_exceeds(changes):
        raise LinkError("link.too_deep", n=limits.MAX_NESTING_DEPTH)
    return changes


def shown_value(text: object) -> str:
    """A value from the address bar, shortened for a message (escaped where it is shown)."""
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_SHOWN_CHARS else text[: MAX_SHOWN_CHARS - 1] + "…"


def apply_changes(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """The base scenario with a change set applied (dropped projects kept, but excluded)."""
    changes = dict(changes)
    excluded = changes.pop("exclude_projects", [])
    if not isinstance(excluded, list) or not all(isinstance(x, str) for x in excluded):
        raise LinkError("link.exclude")
    out = apply(base, changes)
    if excluded:
        out["exclude_projects"] = list(excluded)
    return out


def changes_of(base: dict[str, Any], work: dict[str, Any]) -> dict[str, Any]:
    """The edits in ``work`` relative to ``base`` (what a link carries)."""
    return diff(base, work)


# ------------------------------------------------------------------------------------------
# session
# ------------------------------------------------------------------------------------------
def url_problem(key: str, **words: Any) -> None:
    """Note a part of the link that could not be used (shown in the page's language by
    :func:`url_problems`)."""
    st.session_state[K_URL_PROBLEMS].append((key, words))


def url_problems() -> list[str]:
    """The parts of the link that could not be used, each saying what is used instead, in
    the page's language."""
    out = []
    for key, words in st.session_state.get(K_URL_PROBLEMS, []):
        words = dict(words)
        if isinstance(words.get("why"), tuple):  # a LinkError's (key, words)
            why_key, why_words = words["why"]
            words["why"] = i18n.t(why_key, **why_words)
        out.append(i18n.t(key, **words))
    return out


def _int_param(name: str, default: int, lo: int, hi: int) -> int:
    """A whole number from the link within ``lo``..``hi``; otherwise (with a message saying
    what is used instead) the default, or the nearer bound."""
    text = st.query_params.get(name)
    if text is None:
        return default
    try:
        value = int(str(text).strip())
    except ValueError:
        url_problem("link.not_int", name=name, value=shown_value(text), used=f"{default:,}")
        return default
    used = min(max(value, lo), hi)
    if used != value:
        url_problem("link.clamped", name=name, value=shown_value(text), lo=f"{lo:,}",
                    hi=f"{hi:,}", used=f"{used:,}")
    return used


def _initial_lang() -> str:
    wanted = st.query_params.get("lang")
    if wanted in i18n.LANGS:
        return wanted
    if wanted is not None:
        url_problem("link.lang", value=shown_value(wanted))
    try:
        locale = st.context.locale or ""
    except Exception:  # noqa: BLE001 - older runtimes or tests without a browser
        locale = ""
    if locale and not locale.lower().startswith("ja"):
        return "en"
    return i18n.DEFAULT_LANG


def init_session() -> None:
    """Set up a new session from the link (query parameters) or the defaults. Idempotent."""
    ss = st.session_state
    if ss.get(K_INIT):
        return
    ss[K_URL_PROBLEMS] = []
    ss["lang"] = _initial_lang()
    ss["seed"] = _int_param("seed", DEFAULT_SEED, 0, MAX_SEED)
    ss["trials"] = _int_param("trials", DEFAULT_TRIALS, MIN_TRIALS, MAX_TRIALS)
    rel = st.query_params.get("scenario", DEFAULT_SCENARIO)
    if rel not in shipped():
        url_problem("link.scenario", value=shown_value(rel), used=DEFAULT_SCENARIO)
        rel = DEFAULT_SCENARIO
    set_base(rel, load_shipped(rel), rel, rel)
    text = st.query_params.get("changes")
    if text:
        try:
            ss[K_WORK] = apply_changes(ss[K_BASE_RAW], decode_changes(text))
        except LinkError as err:
            url_problem("link.changes", why=(err.key, err.words), used=rel)
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            url_problem("link.changes", why=("link.unreadable", {}), used=rel)
    pf_text = st.query_params.get("pf")
    if pf_text:  # the Portfolio page's settings (checked value by value in pflink)
        try:
            settings = decode_changes(pf_text)
        except LinkError as err:
            url_problem("link.pf", why=(err.key, err.words))
        else:
            dropped = pflink.restore(ss, settings)
            if dropped:
                url_problem("link.pf_values", keys=", ".join(shown_value(k) for k in dropped))
    ss[K_INIT] = True


#: Seconds within which an edit from the page just left still follows the planner's click.
NAV_GRACE_S = 1.5
K_PAGE, K_PAGE_AT, K_GO_BACK = "_page", "_page_at", "_go_back"


def edit_arrived() -> None:
    """Called by the levers' callbacks. A text box sends its value when it loses focus,
    about 0.1 s after the click that took the focus away; if that click opened another
    page, the edit arrives from the page just left. Remember to go on to that page."""
    ss = st.session_state
    at = ss.get(K_PAGE_AT)
    if at is not None and time.monotonic() - at < NAV_GRACE_S:
        ss[K_GO_BACK] = ss.get(K_PAGE)


def honour_navigation(url_path: str, pages: dict[str, str]) -> None:
    """Note the page this run draws; after a late edit from the page just left, go on to
    the page the planner had asked for (the edit is already in the scenario)."""
    ss = st.session_state
    target = ss.pop(K_GO_BACK, None)
    if target is not None and target != url_path and target in pages:
        st.switch_page(pages[target])
    if ss.get(K_PAGE) != url_path:
        ss[K_PAGE] = url_path
        ss[K_PAGE_AT] = time.monotonic()


#: Sidebar settings kept beside their widgets, so a run that ends without drawing the
#: sidebar (a page change in the middle of a run) never resets the language or the trials.
KEPT = ("lang", "trials", "seed")


def keep_settings(ss: Any = None) -> None:
    """Restore the sidebar settings if their widgets' values were dropped, else copy them."""
    ss = st.session_state if ss is None else ss
    for key in KEPT:
        shadow = f"_keep_{key}"
        if key not in ss and shadow in ss:
            ss[key] = ss[shadow]
        elif key in ss:
            ss[shadow] = ss[key]


def set_base(rel: str, raw: dict[str, Any], label: str, link_base: str,
             work: dict[str, Any] | None = None) -> None:
    """Start editing a new scenario (a shipped one or an upload) as it is, or with the edits
    ``work`` (the edits carried over). Edits a new scenario replaces are kept
    (:data:`K_REPLACED`) so that :func:`restore_replaced` can bring them back."""
    ss = st.session_state
    if work is None and K_WORK in ss and K_BASE_RAW in ss and is_edited():
        ss[K_REPLACED] = {k: ss[k] for k in _SCENARIO_KEYS if k in ss}
    ss[K_BASE] = rel
    ss[K_LABEL] = label
    ss[K_LINK_BASE] = link_base
    ss[K_BASE_RAW] = raw
    ss[K_WORK] = copy.deepcopy(raw) if work is None else work
    bump()


def replaced_label() -> str | None:
    """What the edited scenario that another one replaced was called (None: none kept)."""
    kept = st.session_state.get(K_REPLACED)
    return None if not kept else str(kept.get(K_LABEL, ""))


def restore_replaced() -> None:
    """Bring back the edited scenario another one replaced; the one it replaces is kept in
    turn, so the two can be swapped back and forth."""
    ss = st.session_state
    kept = ss.pop(K_REPLACED, None)
    if not kept:
        return
    ss[K_REPLACED] = {k: ss[k] for k in _SCENARIO_KEYS if k in ss}
    for k, v in kept.items():
        ss[k] = v
    bump()


def base_raw() -> dict[str, Any]:
    return st.session_state[K_BASE_RAW]


def work() -> dict[str, Any]:
    """The scenario being edited (mutate it, then call :func:`bump`)."""
    return st.session_state[K_WORK]


def set_work(raw: dict[str, Any]) -> None:
    st.session_state[K_WORK] = raw
    bump()


def reset_work() -> None:
    set_work(copy.deepcopy(base_raw()))


def version() -> int:
    """Changes whenever the edited scenario is changed by something other than the editors
    themselves, so table editors are rebuilt from the dictionary."""
    return int(st.session_state.get(K_VER, 0))


def bump() -> None:
    st.session_state[K_VER] = version() + 1


def label() -> str:
    return st.session_state.get(K_LABEL, DEFAULT_SCENARIO)


def is_edited() -> bool:
    return work() != base_raw()


def seed() -> int:
    return int(st.session_state.get("seed", DEFAULT_SEED))


def requested_trials() -> int:
    """The trial count the planner asked for (sidebar or link)."""
    return int(st.session_state.get("trials", DEFAULT_TRIALS))


def trials_cap() -> int:
    """Most trials one run of the edited scenario may use in the shared app: the run's
    trial × project × year cells stay within :data:`sim.limits.APP_MAX_WORK_CELLS`."""
    if K_WORK not in st.session_state:
        return MAX_TRIALS
    cur = current()
    if cur.scenario is None:
        return MAX_TRIALS
    size = len(cur.scenario.projects), len(cur.scenario.program.years)
    return min(MAX_TRIALS, limits.largest_trials(*size, cells=limits.APP_MAX_WORK_CELLS))


def trials() -> int:
    """Trials a run uses: what was asked for, within :func:`trials_cap`."""
    return min(requested_trials(), trials_cap())


@dataclass(frozen=True)
class Current:
    """The edited scenario, validated: ``scenario`` is None when it has problems."""

    text: str
    scenario: Scenario | None
    problems: tuple[Problem, ...]

    @property
    def key(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]


def current() -> Current:
    """Validate the edited scenario (remembered until it changes)."""
    raw = work()
    try:
        text = scenario_text(raw)
    except (TypeError, ValueError) as err:  # a value TOML cannot hold
        return Current("", None, (Problem(label(), "", f"cannot be written as TOML: {err}"),))
    cached = st.session_state.get(K_VALID)
    if cached is not None and cached.text == text:
        return cached
    try:
        result = Current(text, validate(raw, label()), ())
    except InputError as err:
        result = Current(text, None, tuple(err.problems))
    st.session_state[K_VALID] = result
    return result


# ------------------------------------------------------------------------------------------
# the shareable link
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Link:
    params: dict[str, str]
    exact: bool
    too_long: bool


def link() -> Link:
    """Query parameters that rebuild this session's scenario and run settings."""
    ss = st.session_state
    rel = ss.get(K_LINK_BASE, DEFAULT_SCENARIO)
    params = {"scenario": rel, "seed": str(seed()), "trials": str(requested_trials()),
              "lang": i18n.lang()}
    try:
        ref = load_shipped(rel) if rel != ss.get(K_BASE) else base_raw()
    except InputError:
        return Link(params, exact=False, too_long=False)
    changes = changes_of(ref, work())
    exact, too_long = True, False
    if changes:
        text = encode_changes(changes)
        if len(text) > MAX_LINK_CHARS:
            too_long = True
        else:
            params["changes"] = text
            try:
                exact = apply_changes(ref, decode_changes(text)) == work()
            except ValueError:
                exact = False
    pf = pflink.current(ss)
    if pf:
        params["pf"] = encode_changes(pf)
    return Link(params, exact=exact and not too_long, too_long=too_long)


def full_link(lk: Link, pages: Iterable[str] = (), default_page: str = "overview") -> str:
    """The link as a whole address: this server, the page being drawn and the query
    parameters. ``pages`` are the app's page paths; the address's last segment is replaced
    by the page being drawn (none for ``default_page``, which Streamlit serves at the root
    only: an address ending "/overview" opens on "Page not found")."""
    try:
        here = st.context.url or ""
    except Exception:  # noqa: BLE001 - no browser (tests)
        here = ""
    return page_address(here, lk.params, st.session_state.get(K_PAGE, default_page),
                        pages, default_page)


def page_address(here: str, params: dict[str, str], page: str, pages: Iterable[str],
                 default_page: str) -> str:
    """The address of ``page`` on the server of ``here`` (the browser's address), with
    ``params``; a prefix before the page (a proxy's base path) is kept."""
    from urllib.parse import urlencode, urlsplit

    parts = urlsplit(here)
    if not parts.netloc:
        return f"/?{urlencode(params)}"
    segments = [s for s in parts.path.split("/") if s]
    if segments and (segments[-1] in set(pages) | {default_page}):
        segments.pop()
    if page != default_page:
        segments.append(page)
    path = "/" + "/".join(segments)
    return f"{parts.scheme}://{parts.netloc}{path}?{urlencode(params)}"


def sync_url() -> Link:
    """Write the link into the browser's address bar (only when it changed)."""
    lk = link()
    now = {k: st.query_params.get(k) for k in st.query_params}
    if now != lk.params:
        st.query_params.from_dict(lk.params)
    return lk
