"""Hold a page change back for a moment while an edit is still on its way to the server.

Two inputs send an edit late: the table grid (``st.data_editor``) waits 150 ms after a cell
is changed before it sends the edit, and drops it if the page changes in that time; a text
box sends its value when it loses focus, about 0.1 s after the click that took the focus
away, so the edit arrives after the page change and takes the planner back. This script,
run once in the browser, notices an edit in progress (a key pressed in a grid or a text box,
or a click while a text box has the focus) and lets a click on the navigation wait until
0.4 s after it, so the edit goes first and the page change second.

The script is a constant of the app (nothing typed by a user is in it).
"""

from __future__ import annotations

import streamlit as st

HOLD_MS = 400

SCRIPT = """
<script>
(() => {
  if (window.__jcmNavGuard) { return; }
  window.__jcmNavGuard = true;
  const HOLD_MS = @HOLD_MS@;
  let holdUntil = 0;
  const editing = (el) => !!el && !!el.closest && (
    !!el.closest('[data-testid="stDataFrame"]') || !!el.closest('#portal') ||
    ((el.tagName === 'INPUT' || el.tagName === 'TEXTAREA') &&
     !el.closest('[data-testid="stSidebar"]')));
  window.addEventListener('keydown', (e) => {
    if (editing(e.target)) { holdUntil = Date.now() + HOLD_MS; }
  }, true);
  window.addEventListener('pointerdown', (e) => {
    if (editing(document.activeElement) || editing(e.target)) {
      holdUntil = Date.now() + HOLD_MS;
    }
  }, true);
  window.addEventListener('click', (e) => {
    const link = e.target && e.target.closest &&
      e.target.closest('[data-testid="stSidebarNav"] a, [data-testid="stPageLink"] a');
    if (!link || link.__jcmPass) { return; }
    const wait = holdUntil - Date.now();
    if (wait <= 0) { return; }
    e.preventDefault();
    e.stopImmediatePropagation();
    window.setTimeout(() => {
      link.__jcmPass = true;
      try { link.click(); } finally { link.__jcmPass = false; }
    }, wait);
  }, true);
})();
</script>
""".replace("@HOLD_MS@", str(HOLD_MS))


def install() -> None:
    """Put the script on the page (it installs itself once per browser tab)."""
    st.html(SCRIPT, unsafe_allow_javascript=True, width="content")
