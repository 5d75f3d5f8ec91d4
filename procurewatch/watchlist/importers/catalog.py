"""The US lists that imported files designate parties on, and how their files name them.

The bundled ``lists.yaml`` may define the same ids with more detail; when both exist the
bundled definition is kept (see :mod:`procurewatch.watchlist.assemble`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from procurewatch.model import ListInfo

_BIS = "US Department of Commerce, Bureau of Industry and Security"
_OFAC = "US Department of the Treasury, Office of Foreign Assets Control"
_STATE = "US Department of State"
_LISTS_URL = "https://www.bis.doc.gov/index.php/policy-guidance/lists-of-parties-of-concern"
_OFAC_URL = "https://ofac.treasury.gov/other-ofac-sanctions-lists"


_SDN_URL = (
    "https://ofac.treasury.gov/"
    "specially-designated-nationals-and-blocked-persons-list-sdn-human-readable-lists"
)
_ISN = f"{_STATE}, Bureau of International Security and Nonproliferation"
_ISN_URL = (
    "https://www.state.gov/key-topics-bureau-of-international-security-and-nonproliferation/"
    "nonproliferation-sanctions/"
)
_EL_CFR = "15 CFR Part 744, Supplement No. 4"
_CMIC = "Non-SDN Chinese Military-Industrial Complex Companies List"
_CMIC_EO = "Executive Order 13959, as amended by Executive Order 14032"
_CMIC_URL = "https://ofac.treasury.gov/consolidated-sanctions-list/ns-cmic-list"
_CAP = "Correspondent Account or Payable-Through Account Sanctions (CAPTA) List"
_FCC = "Covered List (Secure and Trusted Communications Networks Act)"
_FCC_URL = "https://www.fcc.gov/supplychain/coveredlist"
_NDAA21 = "Section 1260H, William M. (Mac) Thornberry NDAA for FY2021 (Pub. L. 116-283)"

_ROWS: tuple[tuple[str, str, str, str | None, str], ...] = (
    ("us-bis-entity-list", "Entity List", _BIS, _EL_CFR, _LISTS_URL),
    ("us-bis-dpl", "Denied Persons List", _BIS, "15 CFR 764.3(a)(2)", _LISTS_URL),
    ("us-bis-uvl", "Unverified List", _BIS, "15 CFR Part 744, Supplement No. 6", _LISTS_URL),
    ("us-bis-meu", "Military End-User List", _BIS, "15 CFR Part 744, Supplement No. 7", _LISTS_URL),
    ("us-ofac-sdn", "Specially Designated Nationals and Blocked Persons List", _OFAC, None,
     _SDN_URL),
    ("us-ofac-ns-cmic", _CMIC, _OFAC, _CMIC_EO, _CMIC_URL),
    ("us-ofac-ssi", "Sectoral Sanctions Identifications List", _OFAC, "EO 13662", _OFAC_URL),
    ("us-ofac-plc", "Non-SDN Palestinian Legislative Council List", _OFAC, None, _OFAC_URL),
    ("us-ofac-fse", "Foreign Sanctions Evaders List", _OFAC, None, _OFAC_URL),
    ("us-ofac-mbs", "Non-SDN Menu-Based Sanctions List", _OFAC, None, _OFAC_URL),
    ("us-ofac-cap", _CAP, _OFAC, "31 CFR 561.201", _OFAC_URL),
    ("us-ofac-nonsdn", "OFAC Consolidated (non-SDN) Sanctions List", _OFAC, None, _OFAC_URL),
    ("us-state-isn", "Nonproliferation Sanctions", _ISN, None, _ISN_URL),
    ("us-state-dtc", "ITAR Debarred Parties", f"{_STATE}, Directorate of Defense Trade Controls",
     "22 CFR 127.7", "https://www.pmddtc.state.gov/"),
    ("us-fcc-covered-list", _FCC, "US Federal Communications Commission",
     "47 U.S.C. 1601; 47 CFR 1.50002", _FCC_URL),
    ("us-dod-1260h", "Chinese military companies (Section 1260H list)", "US Department of Defense",
     _NDAA21, "https://www.defense.gov/News/Releases/"),
)  # fmt: skip

CATALOG: dict[str, ListInfo] = {
    row[0]: ListInfo(
        id=row[0], name=row[1], authority=row[2], jurisdiction="us", citation=row[3], url=row[4]
    )
    for row in _ROWS
}
"""List id → its definition (without a source; :func:`lists_for` adds the version)."""

CSL_SOURCES: tuple[tuple[str, str], ...] = (
    ("Entity List", "us-bis-entity-list"),
    ("Denied Persons", "us-bis-dpl"),
    ("Unverified", "us-bis-uvl"),
    ("Military End User", "us-bis-meu"),
    ("Specially Designated Nationals", "us-ofac-sdn"),
    ("CMIC", "us-ofac-ns-cmic"),
    ("Sectoral Sanctions", "us-ofac-ssi"),
    ("Palestinian Legislative Council", "us-ofac-plc"),
    ("Foreign Sanctions Evaders", "us-ofac-fse"),
    ("Menu-Based", "us-ofac-mbs"),
    ("Correspondent Account", "us-ofac-cap"),
    ("Capta", "us-ofac-cap"),
    ("(CAP)", "us-ofac-cap"),
    ("Nonproliferation", "us-state-isn"),
    ("ITAR Debarred", "us-state-dtc"),
)
"""Text in the CSL ``source`` column → list id (first match wins)."""


def csl_list_id(source: str) -> str | None:
    """The list id of a CSL ``source`` value, or None if it is not a known list."""
    for needle, list_id in CSL_SOURCES:
        if needle.casefold() in source.casefold():
            return list_id
    return None


def ofac_nonsdn_list_ids(programs: Iterable[str]) -> list[str]:
    """List ids of a consolidated (non-SDN) OFAC entry, from its program tags."""
    found: list[str] = []
    for program in programs:
        upper = program.upper()
        if upper.startswith("CMIC"):
            found.append("us-ofac-ns-cmic")
        elif upper == "NS-PLC":
            found.append("us-ofac-plc")
        elif upper.startswith("FSE"):
            found.append("us-ofac-fse")
        elif upper == "561-RELATED":
            found.append("us-ofac-cap")
        elif upper == "UKRAINE-EO13662":
            found.append("us-ofac-ssi")
    if not found and any(p.upper() in _MBS_PROGRAMS for p in programs):
        found.append("us-ofac-mbs")
    return list(dict.fromkeys(found)) or ["us-ofac-nonsdn"]


_MBS_PROGRAMS = {"CAATSA - RUSSIA", "RUSSIA-EO14024", "BURMA-EO14014", "ILLICIT-DRUGS-EO14059"}


def lists_for(list_ids: Iterable[str], source: str) -> dict[str, ListInfo]:
    """Catalog entries of ``list_ids``, citing ``source``."""
    return {
        i: dataclasses.replace(CATALOG[i], source=source)
        for i in sorted(set(list_ids))
        if i in CATALOG
    }
