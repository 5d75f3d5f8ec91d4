"""The cached territory table answers as rigour's lookup_territory does."""

from __future__ import annotations

from pathlib import Path

import pytest
from rigour.territories import get_territories, lookup_territory

from procurewatch.cache import cache_path
from procurewatch.normalize import places

WORDS = ["united states", "usa", "china", "xinjiang", "hong kong", "prc", "deutschland", "acme",
         "hikvision", "us", "germany", "taiwan", "macao", "kashgar", "urumqi", "holding"]  # fmt: skip


def _expected(text: str) -> str | None:
    found = lookup_territory(text)
    return found.code if found is not None else None


def test_same_answers_as_rigour(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROCUREWATCH_HOME", str(tmp_path))
    places._table.cache_clear()
    places.territory_code.cache_clear()
    names = WORDS + [t.name.casefold() for t in get_territories()][:300]
    assert [places.territory_code(w) for w in names] == [_expected(w) for w in names]
    assert cache_path(places.cache_name()).is_file()  # built once, kept for the next process
    places._table.cache_clear()
    places.territory_code.cache_clear()
    assert [places.territory_code(w) for w in names] == [_expected(w) for w in names]
    assert places.territory_code("united states") == "us"


def test_unwritable_cache_still_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "home"
    blocker.write_text("a file where the home folder should be", encoding="utf-8")
    monkeypatch.setenv("PROCUREWATCH_HOME", str(blocker))
    places._table.cache_clear()
    places.territory_code.cache_clear()
    assert places.territory_code("germany") == "de"
    places._table.cache_clear()
    places.territory_code.cache_clear()
