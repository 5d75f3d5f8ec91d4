"""USD conversion with the bundled monthly table (derived from ECB reference rates)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procurewatch.currency import (
    FxTable,
    default_table,
    monthly_averages,
    read_table,
    to_usd,
    write_table,
)

REQUIRED = ("CNY", "EUR", "GBP", "AUD", "CAD", "MXN", "JPY", "HKD")
MONTHS = [
    f"{y}-{m:02d}" for y in range(2015, 2027) for m in range(1, 13) if f"{y}-{m:02d}" <= "2026-10"
]


def test_the_table_covers_every_required_currency_and_month() -> None:
    rates = default_table().rates
    missing = [(c, m) for c in REQUIRED for m in MONTHS if (c, m) not in rates]
    assert missing == [] and len(MONTHS) == 142


@pytest.mark.parametrize(
    ("currency", "month", "rate"),
    [
        ("CNY", "2021-03", 0.153604),
        ("EUR", "2021-03", 1.18991),
        ("GBP", "2021-03", 1.38565),
        ("JPY", "2021-03", 0.00919716),
        ("AUD", "2015-01", 0.807638),
    ],
)
def test_known_rates_are_what_the_table_says(currency: str, month: str, rate: float) -> None:
    assert default_table().rates[currency, month] == rate


def test_a_known_conversion() -> None:
    value, note = to_usd(1000.0, "CNY", date(2021, 3, 15))
    assert value == 153.6
    assert note == "CNY→USD at 0.1536, 2021-03 monthly average (ECB)"
    assert to_usd(250.0, " eur ", date(2021, 3, 1)) == (
        297.48,
        "EUR→USD at 1.19, 2021-03 monthly average (ECB)",
    )
    assert to_usd(10.0, "RMB", date(2021, 3, 31))[0] == 1.54


def test_usd_unknown_currencies_and_missing_dates() -> None:
    assert to_usd(99.5, "usd", None) == (99.5, "USD: no conversion")
    assert to_usd(1.0, "PYG", date(2021, 1, 1)) == (
        None,
        "PYG: no USD rate for this currency; not converted",
    )
    value, note = to_usd(1.0, "CNY", None)
    assert value is None and "no date" in note


def test_the_nearest_month_is_used_within_31_days_and_said_so() -> None:
    value, note = to_usd(100.0, "CNY", date(2026, 11, 20))
    assert value == round(100 * default_table().rates["CNY", "2026-10"], 2)
    assert note.endswith(
        "2026-10 monthly average (ECB); nearest month, 20 days from the record date 2026-11-20"
    )
    assert "2015-01 monthly average" in to_usd(100.0, "GBP", date(2014, 12, 20))[1]
    value, note = to_usd(100.0, "CNY", date(2026, 12, 20))
    assert value is None and "no USD rate for 2026-12 within 31 days" in note
    assert to_usd(100.0, "CNY", date(2014, 11, 1))[0] is None


def test_monthly_averages_are_means_of_daily_cross_rates() -> None:
    rows = [
        {"Date": "2021-03-02", "USD": "1.2", "CNY": "8.0", "JPY": "N/A"},
        {"Date": "2021-03-01", "USD": "1.1", "CNY": "7.0", "JPY": "130"},
        {"Date": "2014-12-31", "USD": "1.0", "CNY": "7.0", "JPY": "140"},
    ]
    table = monthly_averages(rows)
    cny = (1.2 / 8.0 + 1.1 / 7.0) / 2
    assert table == [
        ("2021-03", "CNY", f"{cny:.6f}", 2),
        ("2021-03", "EUR", "1.15000", 2),
        ("2021-03", "JPY", "0.00846154", 1),
    ]
    buffer = io.StringIO()
    write_table(table, buffer)
    assert buffer.getvalue().startswith("# US dollars per unit")
    assert read_table(buffer.getvalue().splitlines()).rates["CNY", "2021-03"] == round(cny, 6)


@given(
    amount=st.floats(min_value=0, max_value=1e12, allow_nan=False),
    day=st.dates(min_value=date(2015, 1, 1), max_value=date(2026, 10, 31)),
    currency=st.sampled_from(REQUIRED),
)
def test_any_date_in_range_converts_at_its_own_month(
    amount: float, day: date, currency: str
) -> None:
    table: FxTable = default_table()
    value, note = to_usd(amount, currency, day)
    assert value == round(amount * table.rates[currency, f"{day:%Y-%m}"], 2)
    assert f"{day:%Y-%m} monthly average (ECB)" in note and "nearest" not in note
