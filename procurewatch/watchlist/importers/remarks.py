"""Identifiers, names and dates inside the free-text id fields of US lists.

The CSL ``ids`` column holds ``Scheme, value[, country]`` items separated by ``; ``; OFAC's
legacy ``Remarks`` column holds ``Scheme value (Country)`` items, ``alt.`` prefixes and
``a.k.a. 'NAME'`` aliases. Only what can be read without guessing is taken: the identifier
schemes below, issuer names, quoted aliases, and listing/effective dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from procurewatch.watchlist.importers.base import iso_date, text_date

SCHEMES: dict[str, str] = {
    "unified social credit code (uscc)": "uscc",
    "isin": "isin",
    "legal entity number": "lei",
    "d-u-n-s number": "duns",
    "swift/bic": "bic",
    "equity ticker": "stock",
    "imo": "imo",
}
"""Scheme names as the lists spell them (lower case) → identifier scheme."""

_OFAC_KEY = re.compile(
    r"^(?P<key>Unified Social Credit Code \(USCC\)|ISIN|Legal Entity Number|D-U-N-S Number|"
    r"SWIFT/BIC|Equity Ticker|IMO|Issuer Name|(?:Listing|Effective) Date \([^)]*\):?) "
    r"(?P<value>.+)$"
)
_ALIAS = re.compile(r"\b([afn])\.k\.a\.,? '(.+?)'(?=[.;,]|\s*$)")
_COUNTRY_SUFFIX = re.compile(r"\s*\([A-Za-z .,'-]+\)$")
_OFAC_DATE_FORMATS = ("%d %b %Y", "%b %Y", "%Y")


@dataclass
class RemarkFacts:
    """What :func:`parse_csl_ids` or :func:`parse_ofac_remarks` found."""

    identifiers: list[tuple[str, str]] = field(default_factory=list)
    names: list[tuple[str, str, bool]] = field(default_factory=list)
    """``(value, kind, weak)``: issuer names (alias) and quoted a.k.a./f.k.a. names."""
    listed: date | None = None
    in_force: date | None = None
    text: str = ""
    """The text the facts were read from."""

    def add(self, key: str, value: str, when: date | None) -> None:
        """Record one ``key value`` item; ``when`` is the value read as a date, if it is one."""
        lower = key.lower().rstrip(":").strip()
        if lower in SCHEMES and value:
            self.identifiers.append((SCHEMES[lower], _ident_value(SCHEMES[lower], value)))
        elif lower == "issuer name" and value:
            self.names.append((value, "alias", False))
        elif lower.startswith("listing date") and when and self.listed is None:
            self.listed = when
        elif lower.startswith("effective date") and when and self.in_force is None:
            self.in_force = when


def _ident_value(scheme: str, value: str) -> str:
    """``002415 CN`` for stock codes, digits only for DUNS, else the first word upper-cased."""
    if scheme == "stock":
        return " ".join(value.split()).upper()
    first = value.split()[0].rstrip(".,;").upper()
    return re.sub(r"\D", "", first) if scheme == "duns" else first


def parse_csl_ids(text: str) -> RemarkFacts:
    """Facts of a CSL ``ids`` value (``ISIN, CNE100000PM8; Listing Date (CMIC), 2021-06-03``)."""
    facts = RemarkFacts()
    for item in text.split("; "):
        key, _, rest = item.partition(", ")
        parts = rest.split(", ")
        if len(parts) > 1 and re.fullmatch(r"[A-Z]{2}", parts[-1]):
            parts = parts[:-1]  # trailing country code
        value = ", ".join(parts).strip()
        facts.add(key, value, iso_date(value))
    return facts


def parse_ofac_remarks(text: str) -> RemarkFacts:
    """Facts of an OFAC legacy ``Remarks`` value (``ISIN CNE100000PM8; a.k.a. 'X'; ...``)."""
    facts = RemarkFacts(text=text)
    for kind, name in _ALIAS.findall(text):
        facts.names.append((name.strip(), "former" if kind == "f" else "alias", True))
    for item in text.split("; "):
        item = item.strip().rstrip(".").strip()
        item = item.removeprefix("alt. ")
        match = _OFAC_KEY.match(item)
        if match is None:
            continue
        value = match["value"].strip()
        if match["key"] != "Issuer Name":
            value = _COUNTRY_SUFFIX.sub("", value)
        facts.add(match["key"], value, text_date(value, _OFAC_DATE_FORMATS))
    return facts
