"""Imported list versions in the store: save one, list them, load their entities.

Nothing is ever deleted or overwritten: importing a file adds a version. Which version of each
kind screening uses is decided by the versions' content, not by their file names or the order
they were imported in: a version takes over from the one in use only when it is at least as
recent (its publication date, the newest date inside the file) and not much smaller (at least
:data:`SMALLER` of the entities). So importing an old sample of a list after the full file
leaves the full file in use. An analyst can choose a version with ``lists use`` (or ``lists
import --use``); that choice holds until another one. A file whose SHA-256 is already stored is
not stored again (:attr:`SaveResult.created` is False).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pyarrow as pa

from procurewatch.errors import StoreError
from procurewatch.model import Entity, ListInfo, Source
from procurewatch.store.db import Store
from procurewatch.watchlist.importers.base import ImportedList
from procurewatch.watchlist.serialize import (
    entity_from_dict,
    entity_to_dict,
    list_info_from_dict,
    list_info_to_dict,
    source_from_dict,
)

_COLUMNS = (
    "id, kind, format, source_path, files, sha256, imported_at, file_date, entity_count, "
    "name_count, row_count, rejected_count, skipped_count, lists_json, source_json, issues_json"
)


@dataclass(frozen=True)
class ListVersion:
    """One stored import of a list file."""

    id: str
    kind: str
    format: str
    source_path: str
    files: tuple[str, ...]
    sha256: str
    imported_at: datetime
    file_date: date | None
    entity_count: int
    name_count: int
    row_count: int
    rejected_count: int
    skipped_count: int
    lists: dict[str, ListInfo] = field(default_factory=dict)
    source: Source | None = None
    issues: dict[str, Any] = field(default_factory=dict)
    """``{"rejected": [{file, line, reason}], "skipped": [...], "warnings": [...]}``."""

    def summary(self) -> dict[str, Any]:
        """A JSON-ready dict of the version (without list definitions and issues)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "format": self.format,
            "source_path": self.source_path,
            "files": list(self.files),
            "sha256": self.sha256,
            "imported_at": self.imported_at.isoformat(),
            "file_date": self.file_date.isoformat() if self.file_date else None,
            "entities": self.entity_count,
            "names": self.name_count,
            "rows": self.row_count,
            "rejected_rows": self.rejected_count,
            "skipped_rows": self.skipped_count,
        }


@dataclass(frozen=True)
class SaveResult:
    """What :func:`save_list` did: ``created`` is False when the file was already stored."""

    version: ListVersion
    created: bool


def _from_row(row: tuple[Any, ...]) -> ListVersion:
    lists = [list_info_from_dict(d, "stored list") for d in json.loads(row[13])]
    return ListVersion(
        id=row[0],
        kind=row[1],
        format=row[2],
        source_path=row[3],
        files=tuple(json.loads(row[4])),
        sha256=row[5],
        imported_at=row[6],
        file_date=row[7],
        entity_count=row[8],
        name_count=row[9],
        row_count=row[10],
        rejected_count=row[11],
        skipped_count=row[12],
        lists={info.id: info for info in lists},
        source=source_from_dict(json.loads(row[14]), "stored source"),
        issues=json.loads(row[15]),
    )


def _query(store: Store, where: str = "", params: Sequence[object] = ()) -> list[ListVersion]:
    sql = f"SELECT {_COLUMNS} FROM list_versions {where} ORDER BY imported_at DESC, id DESC"
    return [_from_row(row) for row in store.con.execute(sql, list(params)).fetchall()]


def list_versions(store: Store) -> list[ListVersion]:
    """Every stored version, newest import first."""
    return _query(store)


def find_by_sha256(store: Store, sha256: str) -> ListVersion | None:
    """The version stored from a file with this SHA-256, if any."""
    found = _query(store, "WHERE sha256 = ?", [sha256])
    return found[0] if found else None


def get_version(store: Store, version_id: str) -> ListVersion:
    """The version with this id; :class:`StoreError` if there is none."""
    found = _query(store, "WHERE id = ?", [version_id])
    if not found:
        known = ", ".join(v.id for v in list_versions(store)) or "none"
        raise StoreError(f"no list version {version_id!r} in store {store.path} (stored: {known})")
    return found[0]


SMALLER = 0.5
"""A version with fewer than this share of the entities of the one in use (a sample, an extract)
does not take over by itself."""


@dataclass(frozen=True)
class InUse:
    """The version of a list kind that screening uses, and why."""

    version: ListVersion
    why: str
    chosen: bool = False
    """Chosen by an analyst (``lists use``) rather than by content."""


def latest_versions(store: Store) -> list[ListVersion]:
    """The version of each list kind screening uses (:func:`in_use`), ordered by kind."""
    return [found.version for found in in_use(store)]


def in_use(store: Store) -> list[InUse]:
    """The version of each list kind screening uses, with the reason, ordered by kind."""
    by_kind: dict[str, list[ListVersion]] = {}
    for version in reversed(list_versions(store)):  # oldest import first
        by_kind.setdefault(version.kind, []).append(version)
    chosen = dict(store.con.execute("SELECT kind, version_id FROM list_in_use").fetchall())
    out = []
    for kind in sorted(by_kind):
        versions = by_kind[kind]
        pick = next((v for v in versions if v.id == chosen.get(kind)), None)
        if pick is not None:
            out.append(InUse(pick, "chosen with `procurewatch lists use`", chosen=True))
        else:
            out.append(_by_content(versions))
    return out


def _by_content(versions: Sequence[ListVersion]) -> InUse:
    """Of the versions of one kind (oldest import first), the one screening uses."""
    current = versions[0]
    for version in versions[1:]:
        if supersedes(version, current):
            current = version
    others = len(versions) - 1
    if not others:
        return InUse(current, "the only version")
    dated = current.file_date.isoformat() if current.file_date else "no date"
    return InUse(
        current,
        f"most recent content ({dated}, {current.entity_count:,} entities) of {len(versions)} "
        "versions",
    )


def supersedes(new: ListVersion, current: ListVersion) -> bool:
    """Whether ``new`` takes over from ``current`` by content: at least as recent and at least
    :data:`SMALLER` of its entities."""
    newer = (new.file_date or date.min) >= (current.file_date or date.min)
    return newer and new.entity_count >= SMALLER * current.entity_count


def kept_because(new: ListVersion, current: ListVersion) -> str:
    """Why ``current`` stays in use rather than the just imported ``new``."""
    if (new.file_date or date.min) < (current.file_date or date.min):
        new_date = new.file_date.isoformat() if new.file_date else "no date"
        return (
            f"its content is older ({new_date}, against "
            f"{current.file_date.isoformat() if current.file_date else 'no date'})"
        )
    return f"it is much smaller ({new.entity_count:,} entities against {current.entity_count:,})"


def use_version(store: Store, version_id: str, now: datetime | None = None) -> ListVersion:
    """Make screening use ``version_id`` for its list kind until another choice."""
    version = get_version(store, version_id)
    now = now or datetime.now(UTC).replace(tzinfo=None)
    with store.transaction() as con:
        con.execute("DELETE FROM list_in_use WHERE kind = ?", [version.kind])
        con.execute("INSERT INTO list_in_use VALUES (?, ?, ?)", [version.kind, version.id, now])
    return version


def clear_choice(store: Store, kind: str) -> None:
    """Go back to choosing the version of ``kind`` by content."""
    with store.transaction() as con:
        con.execute("DELETE FROM list_in_use WHERE kind = ?", [kind])


def _issues(imported: ImportedList) -> dict[str, Any]:
    return {
        "rejected": [asdict(issue) for issue in imported.rejected],
        "skipped": [asdict(issue) for issue in imported.skipped],
        "warnings": list(imported.warnings),
    }


def _version_row(imported: ImportedList, now: datetime) -> list[object]:
    return [
        imported.version_id, imported.kind, imported.format, str(imported.path),
        json.dumps([str(p) for p in imported.files]), imported.sha256, now,
        date.fromisoformat(imported.file_date) if imported.file_date else None,
        len(imported.entities), imported.name_count, imported.rows,
        len(imported.rejected), len(imported.skipped),
        json.dumps([list_info_to_dict(i) for i in imported.lists.values()], ensure_ascii=False),
        json.dumps(asdict(imported.source), ensure_ascii=False),
        json.dumps(_issues(imported), ensure_ascii=False),
    ]  # fmt: skip


def _entity_table(imported: ImportedList) -> pa.Table:
    entities = imported.entities
    return pa.table(
        {
            "version_id": [imported.version_id] * len(entities),
            "entity_id": [e.id for e in entities],
            "caption": [e.caption for e in entities],
            "data": [json.dumps(entity_to_dict(e), ensure_ascii=False) for e in entities],
        }
    )


def save_list(store: Store, imported: ImportedList, now: datetime | None = None) -> SaveResult:
    """Store an imported list as a new version, unless a file with its SHA-256 is stored already."""
    existing = find_by_sha256(store, imported.sha256)
    if existing is not None:
        return SaveResult(existing, created=False)
    now = now or datetime.now(UTC).replace(tzinfo=None)
    rows = _entity_table(imported)
    with store.transaction() as con:
        con.execute(
            f"INSERT INTO list_versions ({_COLUMNS}) VALUES ({', '.join('?' * 16)})",
            _version_row(imported, now),
        )
        con.register("_pw_new_entities", rows)
        con.execute(
            "INSERT INTO list_entities "
            "SELECT version_id, entity_id, caption, data FROM _pw_new_entities"
        )
        con.unregister("_pw_new_entities")
    return SaveResult(get_version(store, imported.version_id), created=True)


def load_entities(store: Store, version_id: str) -> list[Entity]:
    """The entities of one stored version, ordered by id."""
    rows = store.con.execute(
        "SELECT data FROM list_entities WHERE version_id = ? ORDER BY entity_id", [version_id]
    ).fetchall()
    return [entity_from_dict(json.loads(row[0]), f"list version {version_id}") for row in rows]


def load_entity(store: Store, version_ids: Sequence[str], entity_id: str) -> Entity | None:
    """One entity from the first of ``version_ids`` that has it, or None."""
    for version_id in version_ids:
        row = store.con.execute(
            "SELECT data FROM list_entities WHERE version_id = ? AND entity_id = ?",
            [version_id, entity_id],
        ).fetchone()
        if row is not None:
            return entity_from_dict(json.loads(row[0]), f"list version {version_id}")
    return None
