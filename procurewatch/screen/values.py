"""Parse the dates and amounts found in records (text in many formats). Pure."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%m/%d/%Y",
    "%m/%d/%y",
    "%d.%m.%Y",
    "%Y%m%d",
    "%d-%b-%Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%d %b %Y",
    "%d %B %Y",
    "%Y-%m",
)
_CJK_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?")
_ISO_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]")
_NUMBER = re.compile(r"[-+]?\d[\d,\s]*(?:\.\d+)?|[-+]?\.\d+")
_CURRENCY_SIGNS = {
    "$": "USD",
    "US$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "CNY",
    "￥": "CNY",
    "元": "CNY",
}


@lru_cache(maxsize=1 << 16)
def parse_date(text: str | None) -> date | None:
    """A date from common record formats (ISO, US, European, 2021年3月4日), else None."""
    if not text:
        return None
    value = text.strip()
    iso = _ISO_PREFIX.match(value)
    if iso:
        value = iso.group(1)
    cjk = _CJK_DATE.search(value)
    if cjk:
        try:
            return date(int(cjk.group(1)), int(cjk.group(2)), int(cjk.group(3) or 1))
        except ValueError:
            return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def parse_amount(text: str | None) -> float | None:
    """A number from ``$1,234.56``, ``(1,234.00)`` (negative), ``1 234``, ``12万``; else None."""
    if not text:
        return None
    value = text.strip()
    negative = value.startswith("(") and value.endswith(")")
    match = _NUMBER.search(value.replace("\u00a0", " "))
    if match is None:
        return None
    try:
        number = float(match.group(0).replace(",", "").replace(" ", ""))
    except ValueError:
        return None
    if "万" in value[match.end() :]:
        number *= 10_000
    elif "亿" in value[match.end() :]:
        number *= 100_000_000
    return -number if negative else number


def currency_of(
    amount_text: str | None, column_currency: str | None, default: str | None
) -> str | None:
    """The currency of an amount: its column, a sign in the text (``$``, ``¥``, ``元``), or the default."""
    if column_currency:
        return column_currency.strip().upper()
    if amount_text:
        for sign, code in _CURRENCY_SIGNS.items():
            if sign in amount_text:
                return code
    return default
