"""The JCM partner countries' names in Japanese, and a country name as a planner typed it
matched to the name a scenario gives the country.

Scenario files name countries in English (``[countries.Georgia]``); planners in Japan often
type them in Japanese (``ジョージア``), in full-width letters (``ＧＥＯＲＧＩＡ``) or in another
case (``georgia``). :func:`scenario_country` finds the scenario's own name for such a spelling.
The app shows countries in Japanese through :data:`JAPANESE` (``webapp/names.py``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

#: English name (as the scenarios write it) -> Japanese name.
JAPANESE: dict[str, str] = {
    "Azerbaijan": "アゼルバイジャン",
    "Bangladesh": "バングラデシュ",
    "Cambodia": "カンボジア",
    "Chile": "チリ",
    "Costa Rica": "コスタリカ",
    "Ethiopia": "エチオピア",
    "Georgia": "ジョージア",
    "Indonesia": "インドネシア",
    "Kazakhstan": "カザフスタン",
    "Kenya": "ケニア",
    "Kyrgyz": "キルギス",
    "Lao PDR": "ラオス",
    "Maldives": "モルディブ",
    "Mexico": "メキシコ",
    "Moldova": "モルドバ",
    "Mongolia": "モンゴル",
    "Myanmar": "ミャンマー",
    "Palau": "パラオ",
    "Papua New Guinea": "パプアニューギニア",
    "Philippines": "フィリピン",
    "Saudi Arabia": "サウジアラビア",
    "Senegal": "セネガル",
    "Sri Lanka": "スリランカ",
    "Tanzania": "タンザニア",
    "Thailand": "タイ",
    "Tunisia": "チュニジア",
    "UAE": "アラブ首長国連邦",
    "Ukraine": "ウクライナ",
    "Uzbekistan": "ウズベキスタン",
    "Viet Nam": "ベトナム",
}


def japanese(name: str) -> str:
    """The country's Japanese name; a country not in :data:`JAPANESE` as written."""
    return JAPANESE.get(name, name)


def _key(text: str) -> str:
    """``text`` compared loosely: NFKC (full-width and half-width forms), spaces collapsed
    and trimmed, case folded. ``ＧＥＯＲＧＩＡ``, `` georgia `` and ``Georgia`` are equal."""
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def scenario_country(name: str, countries: Iterable[str]) -> str | None:
    """The one name in ``countries`` that ``name`` denotes, or None.

    ``name`` denotes a country when it is the country's name, or equals the country's name or
    its Japanese name once both are compared loosely (see :func:`_key`). None when no
    country, or more than one, matches.
    """
    names = [str(c) for c in countries]
    if name in names:
        return name
    wanted = _key(name)
    if not wanted:
        return None
    found = {c for c in names if wanted in (_key(c), _key(JAPANESE.get(c, "")))}
    return found.pop() if len(found) == 1 else None
