"""Territory lookups for the words of names, with rigour's name table kept on disk.

rigour's ``lookup_territory`` builds its table of territory names (some 29,000 names, each
transliterated) the first time it is asked, about 1.5 s in every new process: most of what
compiling a watchlist costs. :func:`territory_code` answers exactly as ``lookup_territory`` does
(identifiers first, then the normalized name), from the same table kept as a JSON file in the
cache folder (``$PROCUREWATCH_HOME/cache``), one file per rigour version, built on first use.
Where the folder cannot be written, the table is built in memory as before.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from importlib.metadata import version

from rigour.territories import lookup_territory
from rigour.territories.lookup import lookup_by_identifier
from rigour.territories.util import normalize_territory_name

from procurewatch.cache import DiskCache


def _build() -> dict[str, str]:
    from rigour.territories import lookup as rigour_lookup

    names = getattr(rigour_lookup, "_get_territory_names", None)
    if names is None:  # rigour changed inside: nothing to keep
        return {}
    return {name: territory.code for name, territory in names().items()}


def cache_name() -> str:
    """The cache entry of the table: one per rigour version."""
    return f"territory-names-rigour-{version('rigour')}.json"


@cache
def _table() -> dict[str, str]:
    disk = DiskCache()
    try:
        loaded = json.loads(disk.get(cache_name()) or b"{}")
    except ValueError:
        loaded = {}
    if isinstance(loaded, dict) and loaded:
        return {str(k): str(v) for k, v in loaded.items()}
    table = _build()
    if table:
        disk.put(cache_name(), json.dumps(table, ensure_ascii=False).encode())
    return table


@lru_cache(maxsize=65536)
def territory_code(text: str) -> str | None:
    """The code of the territory ``text`` names (``united states`` -> ``us``), or None."""
    by_id = lookup_by_identifier(text)
    if by_id is not None:
        return by_id.code
    table = _table()
    if not table:
        found = lookup_territory(text)
        return found.code if found is not None else None
    return table.get(normalize_territory_name(text))
