"""USAspending downloads, built from the real column lists (2022 names and the older ones)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from procurewatch.ingest import open_input

from .conftest import rows

pytestmark = pytest.mark.shared


def _columns(procurement: Path, kind: str) -> list[str]:
    text = (procurement / f"usaspending_cols_{kind}_d1.txt").read_text()
    return [line.strip() for line in text.splitlines() if line.strip()]


def _download(path: Path, header: list[str], rows_: int = 2) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for n in range(1, rows_ + 1):
            writer.writerow([f"{name}#{n}" for name in header])
    return path


def test_award_file_2022_names(procurement: Path, tmp_path: Path) -> None:
    header = _columns(procurement, "award")
    reader = open_input(_download(tmp_path / "Contracts_PrimeAwardSummaries.csv", header))
    assert reader.format == "usaspending-award"
    fm = reader.field_map
    assert fm.vendor == ("recipient_name", "recipient_doing_business_as_name")
    assert fm.parent == ("recipient_parent_name",)
    assert fm.buyer == ("awarding_agency_name", "awarding_sub_agency_name", "awarding_office_name")
    assert fm.text == ("prime_award_base_transaction_description",
                       "product_or_service_code_description", "naics_description")
    assert fm.amount == "total_obligated_amount"
    assert fm.date == "period_of_performance_start_date"
    assert fm.place == ("primary_place_of_performance_state_code",
                        "primary_place_of_performance_country_code")
    assert fm.record_id == "contract_award_unique_key"
    got = rows(reader)
    assert [r["recipient_name"] for r in got] == ["recipient_name#1", "recipient_name#2"]
    assert [r["_row"] for r in got] == [1, 2]
    assert len(reader.columns) == len(header)


def test_award_file_old_description_name(procurement: Path, tmp_path: Path) -> None:
    header = ["award_description" if name == "prime_award_base_transaction_description" else name
              for name in _columns(procurement, "award")]
    reader = open_input(_download(tmp_path / "old_awards.csv", header))
    assert reader.format == "usaspending-award"
    assert reader.field_map.text[0] == "award_description"
    assert rows(reader)[0]["award_description"] == "award_description#1"


def test_transaction_file_new_and_old_names(procurement: Path, tmp_path: Path) -> None:
    header = _columns(procurement, "transaction_search")
    reader = open_input(_download(tmp_path / "tx.csv", header))
    assert reader.format == "usaspending-transaction"
    fm = reader.field_map
    assert fm.text[:2] == ("transaction_description", "prime_award_base_transaction_description")
    assert fm.amount == "federal_action_obligation"
    assert fm.date == "action_date"
    assert fm.record_id == "contract_transaction_unique_key"
    old = [name for name in header if name != "prime_award_base_transaction_description"]
    old = ["award_description" if name == "transaction_description" else name for name in old]
    reader = open_input(_download(tmp_path / "tx_old.csv", old))
    assert reader.field_map.text[0] == "award_description"


def test_subaward_file(procurement: Path, tmp_path: Path) -> None:
    header = _columns(procurement, "subaward_search")
    reader = open_input(_download(tmp_path / "sub.csv", header))
    assert reader.format == "usaspending-subaward"
    fm = reader.field_map
    assert fm.vendor == ("subawardee_name", "subawardee_dba_name", "prime_awardee_name")
    assert fm.parent == ("subawardee_parent_name", "prime_awardee_parent_name")
    assert fm.text[0] == "subaward_description"
    assert fm.amount == "subaward_amount" and fm.date == "subaward_action_date"
    assert fm.record_id == "subaward_sam_report_id"
    assert rows(reader)[1]["subawardee_name"] == "subawardee_name#2"


def test_forced_format_and_override(procurement: Path, tmp_path: Path) -> None:
    header = _columns(procurement, "award")
    path = _download(tmp_path / "awards.txt", header)
    reader = open_input(path, fmt="usaspending-award", mapping={"date": "award_base_action_date"})
    assert reader.format == "usaspending-award"
    assert reader.field_map.date == "award_base_action_date"
