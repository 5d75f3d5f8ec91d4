"""Where a purchase was made: a US state or a country (and region). Pure.

Hits carry no address columns, so a place is taken, in this order, from place fields a hit
may carry (``state``, ``buyer_state``, ``place_state``, ``country``, ``buyer_country``,
``place_country``), else from the buyer's name, and only in forms that leave no doubt:

* a trailing US postal code after a comma (``"City of Austin, TX"``);
* a full US state name that is not part of a county or city name (``"Texas Department of
  Public Safety"`` is Texas; ``"Kansas City"`` and ``"Nevada County"`` are not);
* a Chinese province-level name or a Xinjiang prefecture name in Chinese characters
  (``乌鲁木齐市公安局`` is China, Xinjiang).

Anything else has no place: a report shows the share without one rather than guessing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "PR": "Puerto Rico",
}  # fmt: skip
"""USPS codes of the states, DC and Puerto Rico, with the names the us-atlas map uses."""

AMBIGUOUS_NAMES = frozenset({"Washington", "Georgia"})
"""State names that also name a city, a county or a country: never taken from text alone."""

CN_REGIONS = {
    "新疆": "Xinjiang", "乌鲁木齐": "Xinjiang", "喀什": "Xinjiang", "和田": "Xinjiang",
    "石河子": "Xinjiang", "阿克苏": "Xinjiang", "伊犁": "Xinjiang", "克拉玛依": "Xinjiang",
    "吐鲁番": "Xinjiang", "哈密": "Xinjiang", "昌吉": "Xinjiang", "巴音郭楞": "Xinjiang",
    "克孜勒苏": "Xinjiang", "博尔塔拉": "Xinjiang", "塔城": "Xinjiang", "阿勒泰": "Xinjiang",
    "西藏": "Tibet", "北京": "Beijing", "上海": "Shanghai", "天津": "Tianjin", "重庆": "Chongqing",
    "广东": "Guangdong", "浙江": "Zhejiang", "江苏": "Jiangsu", "四川": "Sichuan", "湖北": "Hubei",
    "湖南": "Hunan", "河南": "Henan", "河北": "Hebei", "山东": "Shandong", "福建": "Fujian",
    "安徽": "Anhui", "江西": "Jiangxi", "陕西": "Shaanxi", "甘肃": "Gansu", "青海": "Qinghai",
    "宁夏": "Ningxia", "内蒙古": "Inner Mongolia", "黑龙江": "Heilongjiang", "吉林": "Jilin",
    "辽宁": "Liaoning", "云南": "Yunnan", "贵州": "Guizhou", "广西": "Guangxi", "海南": "Hainan",
}  # fmt: skip
"""Chinese province-level names, and Xinjiang prefecture names, to the region they are in."""

_BY_NAME = {name.casefold(): code for code, name in US_STATES.items()}
_TRAILING_CODE = re.compile(r",\s*([A-Z]{2})\.?\s*$")
_NAMES = sorted((n for n in US_STATES.values() if n not in AMBIGUOUS_NAMES), key=len, reverse=True)
_STATE_NAME = re.compile(r"\b(" + "|".join(re.escape(n) for n in _NAMES) + r")\b", re.IGNORECASE)
_NOT_A_STATE_AFTER = re.compile(r"^\s+(county|city|parish|township|borough|avenue|street)\b", re.I)
_CN_REGION = re.compile("|".join(sorted(CN_REGIONS, key=len, reverse=True)))
STATE_KEYS = ("state", "buyer_state", "place_state")
COUNTRY_KEYS = ("country", "buyer_country", "place_country")


@dataclass(frozen=True, slots=True)
class Place:
    """A place: a country with an optional region (a US state code for the United States)."""

    country: str
    region: str | None
    basis: str
    """``field`` (a place field of the hit) or ``buyer name``."""

    @property
    def label(self) -> str:
        """``"United States · Texas"``, ``"China · Xinjiang"``, ``"Germany"``."""
        region = (
            US_STATES.get(self.region or "", self.region)
            if self.country == "United States"
            else self.region
        )
        return f"{self.country} · {region}" if region else self.country


def state_code(value: str | None) -> str | None:
    """The USPS code of a code or a state name, else None."""
    text = (value or "").strip()
    if text.upper() in US_STATES:
        return text.upper()
    return _BY_NAME.get(text.casefold())


def us_state_in_text(text: str | None) -> str | None:
    """A US state named beyond doubt in ``text`` (see the module docstring), else None."""
    if not text:
        return None
    code = _TRAILING_CODE.search(text)
    if code and code.group(1) in US_STATES:
        return code.group(1)
    found = {
        _BY_NAME[m.group(1).casefold()]
        for m in _STATE_NAME.finditer(text)
        if not _NOT_A_STATE_AFTER.match(text[m.end() :])
    }
    return found.pop() if len(found) == 1 else None


def cn_region_in_text(text: str | None) -> str | None:
    """A Chinese region named in Chinese characters in ``text`` when only one is, else None."""
    found = {CN_REGIONS[m.group(0)] for m in _CN_REGION.finditer(text or "")}
    return found.pop() if len(found) == 1 else None


def place_of(hit: Mapping[str, Any]) -> Place | None:
    """The place of a hit's record, from its place fields or its buyer name, else None."""
    for key in STATE_KEYS:
        code = state_code(_text(hit.get(key)))
        if code:
            return Place("United States", code, "field")
    for key in COUNTRY_KEYS:
        country = _text(hit.get(key))
        if country:
            return Place(country, None, "field")
    buyer = _text(hit.get("buyer"))
    code = us_state_in_text(buyer)
    if code:
        return Place("United States", code, "buyer name")
    region = cn_region_in_text(buyer)
    if region:
        return Place("China", region, "buyer name")
    return None


def _text(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None
