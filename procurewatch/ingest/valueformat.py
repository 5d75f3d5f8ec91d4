"""How a file writes its amounts and dates, decided per column from its header and values. Pure.

An amount column's header may give a unit (``中标金额（万元）``: ten-thousands of yuan; ``Amount
(000s)``: thousands) and a currency (``Importe (EUR)``, ``Valor R$``); its values tell which
character is the decimal separator (``1.234,56`` vs ``1,234.56``), helped by the file's
delimiter (a semicolon CSV is usually European). A date column's values tell the order of
``03/04/2021`` (a ``25/04/2021`` in the same column means day first). The words and units are
data, in ``valueformat.yaml`` next to this module.

When a column does not say (every value reads either way), the common reading is taken and a
note says so; the notes go to ``summary.json``, the command's output and the report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from procurewatch import yamlload

_ONLY_GROUPS = re.compile(r"^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")
_NUMERIC = re.compile(r"[-+]?\(?\s*\d[\d.,\s'\u00a0\u202f]*\)?")
_DMY = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})\b")
SAMPLE_VALUES = 2000
"""How many values of a column are looked at to decide its format."""


@cache
def vocabulary() -> dict[str, Any]:
    """The parsed ``valueformat.yaml`` (units, currency signs and words)."""
    text = resources.files("procurewatch.ingest").joinpath("valueformat.yaml").read_text("utf-8")
    data: dict[str, Any] = yamlload.safe_load(text)
    return data


@dataclass(frozen=True, slots=True)
class AmountFormat:
    """How one amount column writes its numbers."""

    decimal: str = "."
    """The decimal separator: ``.`` or ``,`` (the other one groups thousands)."""
    unit: float = 1.0
    """What one written unit is worth: 10,000 in a 万元 column, 1,000 in a "(000s)" column."""
    unit_label: str = ""
    currency: str | None = None
    """The currency the header names (``RMB``, ``€``, ``元`` ...), else None."""


@dataclass(frozen=True, slots=True)
class ValueFormats:
    """The amount and date formats of one input, and notes on what could not be decided."""

    amount: AmountFormat = field(default_factory=AmountFormat)
    day_first: bool = False
    """Whether ``03/04/2021`` is the 3rd of April (day first) rather than March 4th."""
    notes: tuple[str, ...] = ()
    no_currency: bool = False
    """Neither the amount column's header, its values nor a currency column names a currency."""


def header_unit(header: str) -> tuple[float, str]:
    """``(multiplier, label)`` a column header gives its amounts: ``金额（万元）`` → 10,000."""
    folded = header.casefold()
    for unit in vocabulary()["units"]:
        for word in unit["header"]:
            if _has_word(folded, str(word).casefold()):
                return float(unit["factor"]), str(word)
    return 1.0, ""


def _has_word(text: str, word: str) -> bool:
    """Whether ``word`` occurs in ``text`` and, where it starts or ends with a Latin letter, not
    inside a longer word (``$m`` is not in ``$mxn``)."""
    return _word_regex(word).search(text) is not None


@cache
def _word_regex(word: str) -> re.Pattern[str]:
    """The regex of :func:`_has_word`, compiled once (``re``'s own cache holds 512 patterns,
    and a screen compiles more: looked up per record, they were compiled again each time)."""
    before = r"(?<![a-z])" if word[:1].isascii() and word[:1].isalpha() else ""
    after = r"(?![a-z])" if word[-1:].isascii() and word[-1:].isalpha() else ""
    return re.compile(before + re.escape(word) + after)


@cache
def _currency_codes() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each currency code's regex (compiled once) and the code it stands for."""
    return tuple(
        (re.compile(rf"(?<![A-Z]){code}(?![A-Z])"), "CNY" if code == "RMB" else str(code))
        for code in vocabulary()["currency_codes"]
    )


def cell_unit(text: str) -> float:
    """The multiplier written after a number in a cell: ``150万`` → 10,000; ``2.5M`` → 10⁶."""
    tail = _NUMERIC.sub(" ", text).strip().casefold()
    if not tail:
        return 1.0
    for unit in vocabulary()["units"]:
        if any(_has_word(tail, str(w).casefold()) for w in unit.get("cell") or ()):
            return float(unit["factor"])
    return 1.0


def currency_in(text: str) -> str | None:
    """The ISO 4217 code a text names by code, sign or word (``R$`` → BRL, ``元`` → CNY)."""
    upper = text.upper()
    for regex, code in _currency_codes():
        if regex.search(upper):
            return code
    signs: dict[str, str] = vocabulary()["currency_signs"]
    for sign, code in signs.items():
        if sign in text:
            return code
    folded = text.casefold()
    words: dict[str, str] = vocabulary()["currency_words"]
    for word, code in words.items():
        if _has_word(folded, word):
            return code
    return None


def decide_decimal(values: Iterable[str | None], delimiter: str | None = None) -> tuple[str, str]:
    """``(decimal separator, note)`` of an amount column from its values (note: empty unless
    the values could be read either way and the separator was assumed)."""
    comma = dot = either = 0
    for value in values:
        vote = _decimal_vote(value or "", delimiter)
        comma += vote == ","
        dot += vote == "."
        either += vote == "?"
    if comma or dot:
        return ("," if comma > dot else "."), ""
    fallback = "," if delimiter == ";" else "."
    if not either:
        return fallback, ""
    reading = "decimal comma" if fallback == "," else "decimal point"
    return fallback, (
        f"every amount read either way (like 1.234 or 1,234); read with a {reading}"
        " — check the totals"
    )


def _decimal_vote(value: str, delimiter: str | None = None) -> str:
    """``,`` or ``.`` when a value shows its decimal separator, ``?`` when it reads either way,
    empty when it has no separator. ``1,234`` groups thousands (money has two decimals, not
    three) unless the file is semicolon-separated, where it reads either way."""
    text = re.sub(r"[\s'\u00a0\u202f]", "", value)
    match = re.search(r"\d[\d.,]*", text)
    if match is None:
        return ""
    number = match.group(0).rstrip(".,")
    if "," in number and "." in number:
        return number[max(number.rfind(","), number.rfind("."))]
    groups = _ONLY_GROUPS.match(number)
    if groups:
        many = number.count(groups.group(1)) > 1
        if many:  # 1.234.567: the dots group thousands
            return "," if groups.group(1) == "." else "."
        return "." if groups.group(1) == "," and delimiter != ";" else "?"
    for sep in ",.":
        if sep in number:
            return sep if number.count(sep) == 1 else ("," if sep == "." else ".")
    return ""


def decide_day_first(values: Iterable[str | None]) -> tuple[bool, str]:
    """``(day first, note)`` for a date column's ``NN/NN/YYYY`` values: a first number over 12
    means day first, a second over 12 month first; dots alone (``03.04.2021``) mean day first."""
    day_first = month_first = ambiguous = dotted = 0
    for value in values:
        match = _DMY.match(value or "")
        if match is None:
            continue
        first, second = int(match.group(1)), int(match.group(2))
        dotted += "." in match.group(0)
        if first > 12 >= second:
            day_first += 1
        elif second > 12 >= first:
            month_first += 1
        else:
            ambiguous += 1
    if day_first or month_first:
        return day_first > month_first, ""
    if dotted:
        return True, ""
    if ambiguous:
        return False, (
            "every date like 03/04/2021 reads either way; read month first (US "
            "order) — check the dates"
        )
    return False, ""


def decide(
    amount_header: str | None,
    amounts: Sequence[str | None],
    dates: Sequence[str | None],
    delimiter: str | None = None,
    currency_column: bool = False,
) -> ValueFormats:
    """The formats of one input from its amount column's header and values and its dates
    (``currency_column``: the input has a column naming each amount's currency)."""
    notes: list[str] = []
    amount = AmountFormat()
    if amount_header is not None:
        decimal, note = decide_decimal(amounts, delimiter)
        unit, label = header_unit(amount_header)
        amount = AmountFormat(decimal, unit, label, currency_in(amount_header))
        if note:
            notes.append(f"amount column {amount_header!r}: {note}")
        named = amount.currency or currency_column or any(currency_in(a or "") for a in amounts)
        no_currency = bool(amounts) and not named
    else:
        no_currency = False
    day_first, note = decide_day_first(dates)
    if note:
        notes.append(f"date column: {note}")
    return ValueFormats(amount, day_first, tuple(notes), no_currency)


def input_notes(
    formats: ValueFormats, amount_header: str | None, default_currency: str | None
) -> list[str]:
    """What a run says about one input's formats: the undecided ones and, without
    ``--currency``, an amount column that names no currency."""
    notes = list(formats.notes)
    if formats.no_currency and not default_currency:
        notes.append(
            f"amount column {amount_header!r} names no currency: amounts are not converted "
            "to USD (screen with --currency CODE to set one)"
        )
    return notes
