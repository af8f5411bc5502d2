"""The report as one self-contained HTML page (opens offline, prints well).

Plotly's JavaScript is embedded once, gzip-compressed and base64-encoded (about 1.9 MB instead
of 4.8 MB), and unpacked by the browser's own ``DecompressionStream``; each chart is stored as
its JSON specification and drawn after that. Every text is escaped. Fonts: the system's
Japanese fonts (Noto Sans CJK JP, Hiragino, Yu Gothic, Meiryo), so both languages show
without a download.
"""

from __future__ import annotations

import base64
import gzip
import html
import json
from functools import lru_cache

import plotly.graph_objects as go

from report.content import Content, Table
from report.fmt import number
from report.texts import tr

CSS = """
body { font-family: "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans",
       "Hiragino Kaku Gothic ProN", "Yu Gothic", YuGothic, Meiryo, "Segoe UI", Arial, sans-serif;
       margin: 2em auto; max-width: 1200px; color: #1a1a1a; padding: 0 1em; line-height: 1.6; }
h1 { font-size: 1.5em; border-bottom: 3px solid #1f4e79; padding-bottom: .3em; }
h2 { font-size: 1.2em; color: #1f4e79; margin-top: 1.8em; }
p.lead { color: #333; }
table { border-collapse: collapse; width: 100%; font-size: .88em; margin: .8em 0 1.2em; }
th { background: #1f4e79; color: #fff; text-align: left; padding: .4em .5em;
     vertical-align: bottom; }
td { border-bottom: 1px solid #d0d7e1; padding: .35em .5em; vertical-align: top; }
td.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr:nth-child(even) td { background: #f2f5f9; }
td.j-green { color: #1e7b34; font-weight: bold; } td.j-amber { color: #b36b00; font-weight: bold; }
td.j-red { color: #b02a2a; font-weight: bold; }
.chart { width: 100%; min-height: 320px; }
#needjs { display: none; color: #b02a2a; }
dl.rep { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; font-size: .9em; }
dl.rep dt { font-weight: bold; } dl.rep dd { margin: 0; word-break: break-all; }
@media print { body { max-width: none; margin: 0; } h2 { break-after: avoid; }
               table, .chart { break-inside: avoid; } }
"""

LOADER = """
(async function () {
  try {
    var b64 = document.getElementById('plotly-gz').textContent.trim();
    var bin = Uint8Array.from(atob(b64), function (c) { return c.charCodeAt(0); });
    var stream = new Blob([bin]).stream().pipeThrough(new DecompressionStream('gzip'));
    var code = await new Response(stream).text();
    var s = document.createElement('script'); s.textContent = code; document.head.appendChild(s);
    document.querySelectorAll('script.fig').forEach(function (el) {
      var spec = JSON.parse(el.textContent);
      Plotly.newPlot(document.getElementById(el.dataset.target), spec.data, spec.layout,
                     {displaylogo: false, responsive: true});
    });
  } catch (e) {
    document.getElementById('needjs').style.display = 'block';
  }
})();
"""


@lru_cache(maxsize=1)
def plotly_js_gz_b64() -> str:
    """Plotly's JavaScript, gzip-compressed (fixed timestamp) and base64-encoded."""
    from plotly.offline import get_plotlyjs

    raw = get_plotlyjs().encode("utf-8")
    return base64.b64encode(gzip.compress(raw, compresslevel=9, mtime=0)).decode("ascii")


def _esc(x: object) -> str:
    return html.escape("" if x is None else str(x))


def table_html(table: Table, judgement_col: int | None = None) -> str:
    head = "".join(f"<th>{_esc(c.title)}</th>" for c in table.columns)
    rows = []
    for i, row in enumerate(table.rows):
        cells = []
        for j, value in enumerate(row):
            fmt = table.fmt(i, j)
            text = number(value, fmt)
            cls = "n" if fmt != "text" and not isinstance(value, str) else ""
            if judgement_col is not None and j == judgement_col and text:
                cls = f"j-{_judge_class(text)}"
            attr = f' class="{cls}"' if cls else ""
            cells.append(f"<td{attr}>{_esc(text)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _judge_class(text: str) -> str:
    for key, words in (("green", ("likely", "達成見込み")), ("amber", ("at risk", "要注意")),
                       ("red", ("unlikely", "未達見込み"))):
        if text in words:
            return key
    return ""


def _figure(fig: go.Figure, k: int) -> str:
    spec = fig.to_plotly_json()
    text = json.dumps({"data": spec["data"], "layout": spec["layout"]},
                      separators=(",", ":"), cls=_Encoder).replace("</", "<\\/")
    return (f'<div id="chart{k}" class="chart"></div>'
            f'<script type="application/json" class="fig" data-target="chart{k}">{text}</script>')


class _Encoder(json.JSONEncoder):
    def default(self, o):  # numpy arrays and scalars from plotly's JSON form
        if hasattr(o, "tolist"):
            return o.tolist()
        return super().default(o)


def page(content: Content, figures: dict[str, list[go.Figure]]) -> str:
    """The whole page. ``figures`` by section key (``charts``, ``sensitivity``)."""
    lang = content.lang
    t = content.tables
    parts = [f"<h1>{_esc(content.title)}</h1>",
             f"<p class='lead'>{_esc(tr('program', lang))}</p>",
             f"<p>{_esc(content.intro)}</p>",
             f"<h2>{_esc(t['targets'].title)}</h2>",
             table_html(t["targets"], judgement_col=len(t["targets"].columns) - 1),
             f"<h2>{_esc(t['ndc'].title)}</h2><p>{_esc(content.ndc_note)}</p>",
             table_html(t["ndc"]),
             f"<h2>{_esc(t['cost'].title)}</h2>", table_html(t["cost"]),
             f"<h2>{_esc(t['budget'].title)}</h2>", table_html(t["budget"])]
    k = 0
    parts.append(f"<h2>{_esc(tr('sec.charts', lang))}</h2>"
                 f"<p id='needjs'>{_esc(tr('charts.need_js', lang))}</p>")
    for fig in figures.get("charts", []):
        parts.append(_figure(fig, k))
        k += 1
    parts.append(f"<h2>{_esc(tr('sec.sensitivity', lang))}</h2>")
    if "sensitivity" in t:
        parts.append(f"<p>{_esc(t['sensitivity'].note)}</p>")
        for fig in figures.get("sensitivity", []):
            parts.append(_figure(fig, k))
            k += 1
        parts.append(table_html(t["sensitivity"]))
    else:
        parts.append(f"<p>{_esc(tr('sens.none', lang))}</p>")
    parts += [f"<h2>{_esc(t['projects'].title)}</h2>", table_html(t["projects"]),
              f"<h2>{_esc(t['assumptions'].title)}</h2>", table_html(t["assumptions"]),
              f"<h2>{_esc(tr('sec.reproduce', lang))}</h2><p>{_esc(tr('rep.how', lang))}</p>",
              "<dl class='rep'>" + "".join(f"<dt>{_esc(a)}</dt><dd>{_esc(b)}</dd>"
                                           for a, b in content.reproduce) + "</dl>"]
    scripts = ""
    if k:
        scripts = (f'<script id="plotly-gz" type="application/octet-stream">'
                   f"{plotly_js_gz_b64()}</script><script>{LOADER}</script>")
    return (f'<!DOCTYPE html>\n<html lang="{_esc(lang)}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_esc(content.title)}</title><style>{CSS}</style></head><body>"
            f"{''.join(parts)}{scripts}</body></html>")
