"""Amounts and dates as real records write them: units, separators, currencies, date orders.

Every value below is composed for the test (shapes seen in Chinese bid results, European
semicolon CSVs, US budget tables), not taken from a real record.
"""

from __future__ import annotations

from datetime import date

import pytest

from procurewatch.ingest.valueformat import (
    AmountFormat,
    cell_unit,
    currency_in,
    decide,
    decide_day_first,
    decide_decimal,
    header_unit,
    input_notes,
)
from procurewatch.screen.values import money_facts, parse_amount, parse_date, parse_money


@pytest.mark.parametrize(
    ("header", "factor"),
    [
        ("中标金额（万元）", 10_000),
        ("预算金额(亿元)", 100_000_000),
        ("合同金额（千元）", 1_000),
        ("中标金额（元）", 1),
        ("Amount (000s)", 1_000),
        ("Spending, in thousands", 1_000),
        ("Total $K", 1_000),
        ("Budget (in millions)", 1_000_000),
        ("Importe ($MXN)", 1),
        ("Amount", 1),
    ],
)
def test_header_units(header: str, factor: int) -> None:
    assert header_unit(header)[0] == factor


@pytest.mark.parametrize(
    ("cell", "factor"), [("150万", 10_000), ("2.5M", 1_000_000), ("3 k", 1_000), ("1,234", 1)]
)
def test_cell_units(cell: str, factor: int) -> None:
    assert cell_unit(cell) == factor


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("¥150", "CNY"),
        ("RMB 150", "CNY"),
        ("150 CNY", "CNY"),
        ("150元", "CNY"),
        ("€ 1.000", "EUR"),
        ("1.000 EUR", "EUR"),
        ("R$ 2.500,00", "BRL"),
        ("MXN 1,000", "MXN"),
        ("Importe ($MXN)", "MXN"),
        ("$1,200", "USD"),
        ("1,200", None),
    ],
)
def test_currency_from_signs_codes_and_words(text: str, code: str | None) -> None:
    assert currency_in(text) == code


def test_decimal_separator_decided_by_the_column() -> None:
    assert decide_decimal(["1.234,56", "12,00"]) == (",", "")
    assert decide_decimal(["1,234.56", "980.00"]) == (".", "")
    assert decide_decimal(["1.234.567"]) == (",", "")  # dots group thousands
    # every value reads either way: the semicolon file is taken as European, and says so
    sep, note = decide_decimal(["1.234", "2.500"], delimiter=";")
    assert sep == "," and "either way" in note
    sep, note = decide_decimal(["1.234", "2.500"], delimiter=",")
    assert sep == "." and "either way" in note
    # whole-dollar amounts of a US export: thousands commas, nothing to say
    assert decide_decimal(["1,234", "12,500"], delimiter=",") == (".", "")
    sep, note = decide_decimal(["1,234", "2,500"], delimiter=";")
    assert sep == "," and "either way" in note


def test_european_amount_is_1234_56() -> None:
    fmt = AmountFormat(decimal=",")
    assert parse_amount("1.234,56", fmt) == pytest.approx(1234.56)
    assert parse_amount("1.234,56") == pytest.approx(1234.56)  # both separators: unambiguous
    assert parse_amount("-12,5", fmt) == pytest.approx(-12.5)
    assert parse_amount("2.000", fmt) == pytest.approx(2000.0)
    assert parse_amount("2.000") == pytest.approx(2.0)


def test_scientific_notation_of_a_spreadsheet_export() -> None:
    assert parse_amount("1.2E+06") == pytest.approx(1_200_000.0)
    assert parse_amount("4.5e-01") == pytest.approx(0.45)
    assert parse_money("$3E+03") == (pytest.approx(3000.0), "USD")
    assert parse_amount("(1.5E+04)") == pytest.approx(-15_000.0)
    assert parse_amount("1,2E+03", AmountFormat(decimal=",")) == pytest.approx(1200.0)
    assert parse_money("12 EUR") == (pytest.approx(12.0), "EUR")  # E of a code is no exponent
    assert parse_amount("5 E10") == pytest.approx(5.0)  # only right after the digits


def test_negatives_and_parentheses() -> None:
    assert parse_amount("(1,234.00)") == pytest.approx(-1234.0)
    assert parse_amount("1,234.00-") == pytest.approx(-1234.0)
    assert parse_amount("$-50") == pytest.approx(-50.0)


def test_units_in_header_and_cell_multiply() -> None:
    wan = AmountFormat(unit=10_000, unit_label="万元", currency="CNY")
    assert parse_money("150", wan) == (1_500_000.0, None)
    assert parse_money("¥150万元", None) == (1_500_000.0, "CNY")
    assert parse_money("USD 3.2M", None) == (3_200_000.0, "USD")


def test_money_facts_convert_at_the_record_month() -> None:
    wan = AmountFormat(unit=10_000, unit_label="万元", currency="CNY")
    value, currency, usd = money_facts("150", None, wan, None, date(2021, 6, 1))
    assert value == 1_500_000.0 and currency == "CNY"
    # Federal Reserve H.10, June 2021: about 6.46 yuan per US dollar (an outside reference,
    # not the bundled ECB table the code uses): the two agree within 5%
    assert usd is not None and abs(usd - 1_500_000 / 6.46) / (1_500_000 / 6.46) < 0.05
    # no currency anywhere and no --currency: not converted rather than taken as dollars
    assert money_facts("150", None, AmountFormat(), None, date(2021, 6, 1))[2] is None
    assert money_facts("150", None, AmountFormat(), "USD", date(2021, 6, 1))[2] == 150.0
    assert money_facts("150", "RMB", AmountFormat(), None, date(2021, 6, 1))[1] == "CNY"


def test_missing_currency_said_once_unless_given() -> None:
    formats = decide("Amount", ["1,200.00", "35.10"], [])
    assert formats.no_currency
    assert any("names no currency" in n for n in input_notes(formats, "Amount", None))
    assert input_notes(formats, "Amount", "USD") == []
    assert not decide("Amount", ["$1,200.00"], []).no_currency


@pytest.mark.parametrize(
    ("text", "day_first", "expected"),
    [
        ("2020-06-15", False, date(2020, 6, 15)),
        ("2020-06-15T10:30:00Z", False, date(2020, 6, 15)),
        ("2020-06-15 10:30:00", False, date(2020, 6, 15)),
        ("05/28/2020", False, date(2020, 5, 28)),
        ("03/04/2021", False, date(2021, 3, 4)),
        ("03/04/2021", True, date(2021, 4, 3)),
        ("28/05/2020", False, date(2020, 5, 28)),  # only one reading exists
        ("28.05.2020", False, date(2020, 5, 28)),
        ("2020年6月1日", False, date(2020, 6, 1)),
        ("2020 年 6 月", False, date(2020, 6, 1)),
        ("令和3年4月1日", False, date(2021, 4, 1)),
        ("平成31年4月30日", False, date(2019, 4, 30)),
        ("44197", False, date(2021, 1, 1)),  # Excel serial day
        ("44197.5", False, date(2021, 1, 1)),
        ("1600000000", False, date(2020, 9, 13)),  # Unix seconds
        ("May 28, 2020", False, date(2020, 5, 28)),
        ("28-May-2020", False, date(2020, 5, 28)),
        ("20200615", False, date(2020, 6, 15)),
        ("5/28/2020 0:00", False, date(2020, 5, 28)),
        ("not a date", False, None),
        ("12345", False, None),  # a number too small to be a recent serial day
    ],
)
def test_dates(text: str, day_first: bool, expected: date | None) -> None:
    assert parse_date(text, day_first) == expected


def test_date_order_decided_by_the_column() -> None:
    assert decide_day_first(["05/28/2020", "06/01/2020"]) == (False, "")
    assert decide_day_first(["01/06/2020", "25/04/2021"]) == (True, "")
    assert decide_day_first(["03.04.2021"]) == (True, "")
    day_first, note = decide_day_first(["03/04/2021", "01/02/2021"])
    assert day_first is False and "either way" in note
