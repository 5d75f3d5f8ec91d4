"""USAspending.gov download files: contract (and assistance) prime awards, transactions, subawards.

A download is a CSV; what makes it special is its header, which tells the kind of file and which
columns hold the recipient, its parent, the awarding agency and the descriptions. Column names
follow ``usaspending-api``'s download lookups. In July 2022 ``award_description`` became
``prime_award_base_transaction_description`` (award files) and ``transaction_description``
(transaction files); older downloads carry the old name, and both are read.
"""

from __future__ import annotations

from collections.abc import Sequence

from procurewatch.ingest.base import FieldMap

KINDS = ("usaspending-award", "usaspending-transaction", "usaspending-subaward")

_MARKERS: dict[str, tuple[str, ...]] = {
    # a file is of a kind when its header has all of one tuple's columns
    "usaspending-transaction": (
        "contract_transaction_unique_key",
        "assistance_transaction_unique_key",
    ),
    "usaspending-subaward": ("subaward_number", "subawardee_name"),
    "usaspending-award": ("contract_award_unique_key", "assistance_award_unique_key"),
}
_SUPPORT = ("recipient_name", "awarding_agency_name")  # prime files have both as well

_ROLES: dict[str, dict[str, tuple[str, ...]]] = {
    "usaspending-award": {
        "vendor": ("recipient_name", "recipient_doing_business_as_name"),
        "parent": ("recipient_parent_name",),
        "buyer": ("awarding_agency_name", "awarding_sub_agency_name", "awarding_office_name"),
        "text": ("prime_award_base_transaction_description", "award_description",
                 "product_or_service_code_description", "naics_description", "cfda_title"),
        "amount": ("total_obligated_amount", "total_obligation_amount"),
        "date": ("period_of_performance_start_date", "award_base_action_date"),
        "place": ("primary_place_of_performance_state_code",
                  "primary_place_of_performance_country_code"),
        "record_id": ("contract_award_unique_key", "assistance_award_unique_key"),
    },
    "usaspending-transaction": {
        "vendor": ("recipient_name", "recipient_doing_business_as_name"),
        "parent": ("recipient_parent_name",),
        "buyer": ("awarding_agency_name", "awarding_sub_agency_name", "awarding_office_name"),
        "text": ("transaction_description", "award_description",
                 "prime_award_base_transaction_description",
                 "product_or_service_code_description", "naics_description", "cfda_title"),
        "amount": ("federal_action_obligation",),
        "date": ("action_date", "period_of_performance_start_date"),
        "place": ("primary_place_of_performance_state_code",
                  "primary_place_of_performance_country_code"),
        "record_id": ("contract_transaction_unique_key", "assistance_transaction_unique_key"),
    },
    "usaspending-subaward": {
        "vendor": ("subawardee_name", "subawardee_dba_name", "prime_awardee_name"),
        "parent": ("subawardee_parent_name", "prime_awardee_parent_name"),
        "buyer": ("prime_award_awarding_agency_name", "prime_award_awarding_sub_agency_name",
                  "prime_award_awarding_office_name"),
        "text": ("subaward_description", "prime_award_base_transaction_description",
                 "prime_award_description", "prime_award_project_title",
                 "prime_award_naics_description"),
        "amount": ("subaward_amount",),
        "date": ("subaward_action_date",),
        "place": ("subaward_primary_place_of_performance_state_code",
                  "subaward_primary_place_of_performance_country_code"),
        "record_id": ("subaward_sam_report_id", "subaward_fsrs_report_id", "subaward_number"),
    },
}
"""Per kind and role, the columns to use, best first (only those in the file are kept)."""


def detect_kind(columns: Sequence[str]) -> str | None:
    """``usaspending-award``/``-transaction``/``-subaward`` from a header, or None."""
    have = set(columns)
    for kind, markers in _MARKERS.items():
        if kind == "usaspending-subaward":
            if all(name in have for name in markers):
                return kind
        elif any(name in have for name in markers) and all(name in have for name in _SUPPORT):
            return kind
    return None


def field_map(kind: str, columns: Sequence[str]) -> FieldMap:
    """The roles of a USAspending file's columns (columns missing from the file are left out)."""
    have = set(columns)
    roles = _ROLES[kind]

    def present(role: str) -> tuple[str, ...]:
        return tuple(name for name in roles[role] if name in have)

    def first(role: str) -> str | None:
        found = present(role)
        return found[0] if found else None

    return FieldMap(
        vendor=present("vendor"),
        parent=present("parent"),
        buyer=present("buyer"),
        text=present("text"),
        amount=first("amount"),
        currency=None,  # US dollars
        date=first("date"),
        place=present("place"),
        record_id=first("record_id"),
    )
