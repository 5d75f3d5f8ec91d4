"""Country names as US lists spell them → lower-case ISO 3166-1 codes."""

from __future__ import annotations

from functools import lru_cache

LIST_SPELLINGS: dict[str, str] = {
    "bahamas, the": "bs",
    "burma": "mm",
    "congo, democratic republic of the": "cd",
    "congo, republic of the": "cg",
    "cote d ivoire": "ci",
    "hong kong": "hk",
    "korea, north": "kp",
    "korea, south": "kr",
    "macau": "mo",
    "palestinian": "ps",
    "region: gaza": "ps",
    "region: northern mali": "ml",
    "the gambia": "gm",
    "turkey": "tr",
    "virgin islands, british": "vg",
    "west bank": "ps",
}
"""OFAC spellings that the territory names of ``rigour`` do not cover."""


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    from rigour.territories import get_territories

    names: dict[str, str] = {}
    for territory in get_territories():
        code = territory.ftm_country
        if code and len(code) == 2:
            for name in (territory.name, territory.full_name, territory.code):
                if name:
                    names.setdefault(str(name).casefold(), str(code))
    names.update(LIST_SPELLINGS)
    return names


def country_code(name: str) -> str | None:
    """The code of a country name (``China`` → ``cn``), or None if unknown."""
    return _names().get(name.strip().casefold()) if name.strip() else None
