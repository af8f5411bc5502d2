"""The planners' web app (Streamlit + Plotly), Japanese and English.

``app.py`` at the repository root is the entry point (``streamlit run app.py``). It sets up the
session (:mod:`webapp.state`), the sidebar and the navigation; each page under
``webapp/pages/`` is a thin script: widgets, one call into :mod:`sim` (through
:mod:`webapp.compute`) or :mod:`optimize`, then figures from :mod:`webapp.charts` and tables
from :mod:`webapp.tables`. Every visible text comes from :mod:`webapp.i18n`.
"""
