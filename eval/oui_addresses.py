"""MAC blocks chosen by the registrant's address, not its name: a less circular OUI figure.

The OUI recall of ``inventory_eval.py`` is near-circular: its positives are the blocks whose
registrant name contains a maker's name, and procurewatch attributes a block by that same name.
Here the truth comes from another field of the IEEE registry, the postal address: a block
registered at the street address of a listed maker's head office (or of its camera brand's) is
taken as the maker's, whatever name it was registered under, and procurewatch is scored on
finding it from the name alone. What stays circular: the addresses below were read off the
blocks the makers registered under their own names (the registry itself is the source), so the
figure can only add blocks the name misses; the count of such blocks is printed with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HEAD_OFFICES = {
    "hikvision": ("555 qianmo road", "469 jianghui road", "399 danfeng road"),
    "dahua": ("1199 bin an road", "1199 binan road", "1199 waterfront road",
              "1399 binxing road", "582 liye road", "2930 nanhuan road"),
}  # fmt: skip
"""Maker -> street addresses (normalized) as the IEEE MA-L registry prints them for the blocks
of Hikvision and EZVIZ (Hangzhou), and of Dahua and Huacheng/Imou (Hangzhou)."""

_RECORD = re.compile(r"^([0-9A-F]{6})\s+\(base 16\)\s*(.*)\n((?:[ \t]+.*\n)*)", re.M)


@dataclass(frozen=True)
class AddressBlock:
    """An MA-L block registered at a listed maker's address."""

    prefix: int
    organization: str
    address: str
    maker: str

    @property
    def own_name(self) -> bool:
        """Whether the registrant name itself carries the maker's (or its brand's) name."""
        return any(k in self.organization.lower() for k in NAME_WORDS[self.maker])


NAME_WORDS = {"hikvision": ("hikvision", "ezviz"), "dahua": ("dahua", "huacheng")}
"""Words the extract's keyword grouping uses for these makers (to report the blocks it lacks)."""


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def address_blocks(ieee_file: Path) -> Iterator[AddressBlock]:
    """Every MA-L block of ``ieee_file`` (IEEE ``oui.txt`` layout) at a head-office address."""
    text = ieee_file.read_text(encoding="utf-8", errors="replace")
    for prefix, org, lines in _RECORD.findall(text):
        address = _norm(lines)
        for maker, streets in HEAD_OFFICES.items():
            if any(street in address for street in streets):
                yield AddressBlock(int(prefix, 16), org.strip(), address, maker)
                break
