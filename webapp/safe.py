"""Show text from users (file names, scenario names, link values, messages) literally.

Streamlit renders Markdown in titles, captions, alerts and progress texts; text typed by a
user or carried by a link must never become a link, an image or HTML there.
"""

from __future__ import annotations

import re

_WWW = re.compile(r"www", re.IGNORECASE)


def md_escape(text: object) -> str:
    """Text shown literally by Markdown (names typed by users never become links or HTML).

    Besides escaping Markdown's punctuation, a zero-width space breaks what GitHub-flavoured
    Markdown would turn into a link by itself: ``://``, ``www.`` and ``name@host``.
    """
    out = "".join("\\" + c if c in "\\`*_{}[]()#+-.!|<>~:$&" else c for c in str(text))
    out = out.replace("//", "/\u200b/").replace("@", "\u200b@")
    return _WWW.sub(lambda m: m.group(0)[0] + "\u200b" + m.group(0)[1:], out)
