"""Parse the dates and amounts found in records (text in many formats). Pure.

How a column writes them (decimal comma or point, a 万元 unit in the header, day-first dates) is
decided once per input by :mod:`procurewatch.ingest.valueformat`; these functions read one value
with that decision.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from procurewatch.currency import normalize_code, to_usd
from procurewatch.ingest.valueformat import AmountFormat, cell_unit, currency_in

_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y%m%d",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %d %Y",
    "%d %b %Y",
    "%d %B %Y",
)
_MONTH_FORMATS = (
    "%Y-%m", "%Y/%m", "%Y.%m", "%m/%Y", "%m-%Y", "%m.%Y",
    "%b %Y", "%B %Y", "%b-%Y", "%B-%Y", "%b-%y", "%Y %b", "%Y %B",
)  # fmt: skip
"""Dates given to the month only: a monthly report's ``2019-08``, ``08/2019``, ``Aug 2019``, a
spreadsheet's ``Aug-19``."""
_US = ("%m/%d/%Y", "%m/%d/%y", "%m-%d-%Y", "%d.%m.%Y", "%d.%m.%y")
_EU = ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d.%m.%y")
_CJK_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?")
_ERA_DATE = re.compile(
    r"(令和|平成|昭和)\s*(\d{1,2}|元)\s*年\s*(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?"
)
_ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925}
"""Japanese eras: year N of the era is this + N (令和元年 = 2019, 平成元年 = 1989)."""
_ISO_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]")
_US_TIME = re.compile(r"^(\d{1,2}/\d{1,2}/\d{2,4})\s+\d{1,2}:\d{2}")
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
_EPOCH = re.compile(r"^1\d{9}(?:\d{3})?$")
_EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL_RANGE = (18264, 73051)
"""Excel serial days read as dates: 1950-01-01 to 2099-12-31."""
_NUMBER = re.compile(r"\d[\d.,\s'\u00a0\u202f]*")
_EXPONENT = re.compile(r"[eE]([+-]?\d{1,3})(?!\d)")
"""A spreadsheet's scientific notation right after the digits: ``1.2E+06``, ``4.5e-01``."""


@lru_cache(maxsize=1 << 16)
def parse_period(text: str | None, day_first: bool = False) -> tuple[date, date] | None:
    """The first and last day a record's date may mean: the same day for a full date (ISO with
    or without a time, US or (``day_first``) European order, ``2021年3月4日``, ``令和3年4月1日``,
    Excel serial days, Unix timestamps, month names), the first and last day of the month for
    a date given to the month (``2019-08``, ``Aug 2019``, ``2019年8月``); else None."""
    if not text:
        return None
    value = text.strip()
    iso = _ISO_PREFIX.match(value) or _US_TIME.match(value)
    if iso:
        value = iso.group(1)
    if not value.isascii():
        cjk = _cjk(value)
        if cjk is not None:
            return cjk
    elif (special := _number_date(value)) is not None:
        return special, special
    orders = (*_EU, *_US) if day_first else (*_US, *_EU)
    for fmt in (*_DATE_FORMATS, *orders):
        try:
            day = datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        return day, day
    return _month_only(value)


def parse_date(text: str | None, day_first: bool = False) -> date | None:
    """The day of a record's date (:func:`parse_period`); a date given to the month only is
    the month's first day."""
    period = parse_period(text, day_first)
    return period[0] if period else None


def _month_only(value: str) -> tuple[date, date] | None:
    for fmt in _MONTH_FORMATS:
        try:
            first = datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        return first, _month_end(first.year, first.month)
    return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _cjk(value: str) -> tuple[date, date] | None:
    era = _ERA_DATE.search(value)
    found = _CJK_DATE.search(value)
    try:
        if era:
            year = _ERAS[era.group(1)] + (1 if era.group(2) == "元" else int(era.group(2)))
            return _day_or_month(year, int(era.group(3)), era.group(4))
        if found:
            return _day_or_month(int(found.group(1)), int(found.group(2)), found.group(3))
    except ValueError:
        return None
    return None


def _day_or_month(year: int, month: int, day: str | None) -> tuple[date, date]:
    if day is None:
        return date(year, month, 1), _month_end(year, month)
    one = date(year, month, int(day))
    return one, one


def _number_date(value: str) -> date | None:
    """An Excel serial day (``44197`` = 2021-01-01) or a Unix timestamp in s or ms."""
    if _SERIAL.match(value):
        days = float(value)
        if _SERIAL_RANGE[0] <= days <= _SERIAL_RANGE[1]:
            return _EXCEL_EPOCH + timedelta(days=int(days))
        return None
    if _EPOCH.match(value):
        seconds = int(value) / (1000 if len(value) == 13 else 1)
        return datetime.fromtimestamp(seconds, UTC).date()
    return None


def parse_money(
    text: str | None, fmt: AmountFormat | None = None
) -> tuple[float | None, str | None]:
    """``(value, currency named in the cell)`` of an amount as written, units applied: with the
    column's format (decimal separator, header unit), ``(1.234,56)`` → -1234.56, ``150`` in a
    万元 column → 1,500,000, ``R$ 2,5 mil``, ``1.2E+06`` (a spreadsheet's scientific notation)
    → 1,200,000 ... The value is None when there is no number."""
    if not text:
        return None, None
    fmt = fmt or AmountFormat()
    value = text.strip()
    match = _NUMBER.search(value)
    if match is None:
        return None, currency_in(value)
    number = _number(match.group(0), fmt.decimal)
    if number is None:
        return None, currency_in(value)
    exponent = _EXPONENT.match(value, match.end()) if match.group(0)[-1].isdigit() else None
    if exponent is not None:
        number *= 10.0 ** int(exponent.group(1))
    rest = value[: match.start()] + " " + value[exponent.end() if exponent else match.end() :]
    number *= cell_unit(rest) * fmt.unit
    negative = (value.startswith("(") and value.endswith(")")) or "-" in value[: match.start()]
    negative = negative or value.endswith("-") or rest.strip().upper().endswith("CR")
    return (-number if negative else number), currency_in(rest)


def _number(digits: str, decimal: str) -> float | None:
    """A number from digits and separators; a value showing both separators uses the last
    one as its decimal separator, whatever the column's."""
    text = re.sub(r"[\s'\u00a0\u202f]", "", digits).rstrip(".,")
    if "," in text and "." in text:
        decimal = text[max(text.rfind(","), text.rfind("."))]
    elif text.count(decimal) > 1:  # 1.234.567 in a decimal-point column: grouped thousands
        decimal = "," if decimal == "." else "."
    grouping = "." if decimal == "," else ","
    text = text.replace(grouping, "").replace(decimal, ".")
    try:
        return float(text)
    except ValueError:
        return None


def parse_amount(text: str | None, fmt: AmountFormat | None = None) -> float | None:
    """A number from ``$1,234.56``, ``(1,234.00)`` (negative), ``1 234``, ``12万``; else None."""
    return parse_money(text, fmt)[0]


def currency_of(
    amount_text: str | None, column_currency: str | None, default: str | None
) -> str | None:
    """The currency of an amount: its column, a sign in the text (``$``, ``¥``, ``元``), or the default."""
    if column_currency and column_currency.strip():
        return currency_in(column_currency) or column_currency.strip().upper()
    if amount_text:
        found = currency_in(amount_text)
        if found:
            return found
    return default


def money_facts(
    amount: str | None,
    currency_cell: str | None,
    fmt: AmountFormat,
    default: str | None,
    day: date | None,
) -> tuple[float | None, str | None, float | None]:
    """``(amount_value, currency, amount_usd)`` of a record: the amount with its units applied,
    its currency (the currency column, else the cell, else the column header, else the run's
    ``--currency``) and its value in US dollars at the record month's rate (None when the
    currency or the date is unknown)."""
    value, in_cell = parse_money(amount, fmt)
    named = currency_of(None, currency_cell, None) if currency_cell else None
    currency = named or in_cell or fmt.currency or default
    code = normalize_code(currency) if currency else None
    if value is None or code is None:
        return value, code, None
    return value, code, to_usd(value, code, day)[0]
