"""What changed between two versions of a list: entries added, removed and changed. Pure.

Entries are matched by entity id first. Lists do not always keep their ids (the 2025 layout of
the Consolidated Screening List gives BIS and State Department parties new hash ``_id`` s), so
entries left over are matched by list and normalized name: first the caption, then any name,
and only where the key is unique on both sides. For a matched pair the diff lists the names
added and removed, the identifiers added and removed, and the designations added, removed or
changed (dates, programs, citation), designations being paired by list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from procurewatch.model import Designation, Entity
from procurewatch.normalize.names import normalize

COMPARED = ("listed", "in_force", "ended", "scope", "citation")
"""Designation fields whose change counts (``source`` names the version and always differs)."""
BY_ID, BY_CAPTION, BY_NAME = "id", "caption", "name"


@dataclass(frozen=True)
class DiffSide:
    """One side of a diff: a stored list version or a list file read on the fly."""

    label: str
    """What the user gave: a version id or a file path."""
    version: str
    kind: str
    entities: Sequence[Entity]


@dataclass(frozen=True, slots=True)
class DesignationChange:
    """A designation on the same list in both versions whose fields differ."""

    list_id: str
    changes: tuple[tuple[str, str | None, str | None], ...]
    """(field, before, after) for each field that differs."""


@dataclass(frozen=True)
class EntryChange:
    """An entry present in both versions, and what changed in it."""

    before: Entity
    after: Entity
    matched_by: str
    """``id``, ``caption`` (same list and normalized caption) or ``name`` (another name)."""
    names_added: tuple[str, ...] = ()
    names_removed: tuple[str, ...] = ()
    identifiers_added: tuple[str, ...] = ()
    identifiers_removed: tuple[str, ...] = ()
    designations_added: tuple[Designation, ...] = ()
    designations_removed: tuple[Designation, ...] = ()
    designations_changed: tuple[DesignationChange, ...] = ()

    @property
    def changed(self) -> bool:
        """Whether anything but the id (or the case and spacing of names) differs."""
        return any((self.names_added, self.names_removed, self.identifiers_added,
                    self.identifiers_removed, self.designations_added,
                    self.designations_removed, self.designations_changed))  # fmt: skip


@dataclass(frozen=True)
class ListDiff:
    """The differences between ``before`` and ``after``."""

    before: DiffSide
    after: DiffSide
    added: tuple[Entity, ...]
    removed: tuple[Entity, ...]
    changed: tuple[EntryChange, ...]
    unchanged: tuple[EntryChange, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    def counts(self) -> dict[str, int]:
        """How many entries were added, removed, changed, unchanged, and matched by name."""
        matched = (*self.changed, *self.unchanged)
        return {
            "before": len(self.before.entities),
            "after": len(self.after.entities),
            "added": len(self.added),
            "removed": len(self.removed),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
            "matched_by_name": sum(1 for c in matched if c.matched_by != BY_ID),
        }

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (``--json``)."""
        return {
            "before": _side_dict(self.before),
            "after": _side_dict(self.after),
            "counts": self.counts(),
            "warnings": list(self.warnings),
            "added": [entry_dict(e) for e in self.added],
            "removed": [entry_dict(e) for e in self.removed],
            "changed": [change_dict(c) for c in self.changed],
            "renumbered": [
                {"before_id": c.before.id, "after_id": c.after.id, "caption": c.after.caption,
                 "matched_by": c.matched_by}
                for c in (*self.changed, *self.unchanged) if c.matched_by != BY_ID
            ],
        }  # fmt: skip


def name_key(text: str) -> str:
    """A name as compared across versions: normalized, legal form dropped, words joined."""
    return normalize(text).compact() or " ".join(text.casefold().split())


def list_ids(entity: Entity) -> tuple[str, ...]:
    """The lists an entity is designated on, once each."""
    return tuple(dict.fromkeys(d.list_id for d in entity.designations)) or ("",)


def _unique_index(
    entities: Iterable[Entity], keys: Callable[[Entity], Iterable[tuple[str, str]]]
) -> dict[tuple[str, str], Entity | None]:
    """Key -> entity, or None where two entities share the key."""
    index: dict[tuple[str, str], Entity | None] = {}
    for entity in entities:
        for key in set(keys(entity)):
            index[key] = entity if key not in index else None
    return index


def _caption_keys(entity: Entity) -> list[tuple[str, str]]:
    return [(list_id, name_key(entity.caption)) for list_id in list_ids(entity)]


def _name_keys(entity: Entity) -> list[tuple[str, str]]:
    return [(list_id, name_key(n)) for list_id in list_ids(entity) for n in entity.all_names()]


def match_entities(
    before: Sequence[Entity], after: Sequence[Entity]
) -> tuple[list[tuple[Entity, Entity, str]], list[Entity], list[Entity]]:
    """Pairs (before, after, how matched), then the unmatched of each side, in input order."""
    after_by_id = {e.id: e for e in after}
    pairs = [(e, after_by_id[e.id], BY_ID) for e in before if e.id in after_by_id]
    left = [e for e in before if e.id not in after_by_id]
    taken = {e.id for e in before}
    right = [e for e in after if e.id not in taken]
    for how, keys in ((BY_CAPTION, _caption_keys), (BY_NAME, _name_keys)):
        left_index, right_index = _unique_index(left, keys), _unique_index(right, keys)
        used: set[str] = set()
        for entity in left:
            for key in keys(entity):
                mine, theirs = left_index.get(key), right_index.get(key)
                if mine is entity and theirs is not None and theirs.id not in used:
                    pairs.append((entity, theirs, how))
                    used.add(theirs.id)
                    break
        paired = {b.id for b, _, h in pairs if h == how}
        left = [e for e in left if e.id not in paired]
        right = [e for e in right if e.id not in used]
    return pairs, left, right


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _field(designation: Designation, name: str) -> str | None:
    value = getattr(designation, name)
    if isinstance(value, date):
        return _day(value)
    if name == "scope" and value:  # programs: "A; B" and "B; A" are the same
        return "; ".join(sorted({p.strip() for p in value.split(";") if p.strip()}))
    return value  # type: ignore[no-any-return]


def _fields(designation: Designation) -> tuple[str | None, ...]:
    return tuple(_field(designation, name) for name in COMPARED)


def diff_designations(
    before: Sequence[Designation], after: Sequence[Designation]
) -> tuple[list[Designation], list[Designation], list[DesignationChange]]:
    """Designations added, removed and changed, paired by list (equal ones first)."""
    added: list[Designation] = []
    removed: list[Designation] = []
    changed: list[DesignationChange] = []
    by_list: dict[str, tuple[list[Designation], list[Designation]]] = defaultdict(lambda: ([], []))
    for designation in before:
        by_list[designation.list_id][0].append(designation)
    for designation in after:
        by_list[designation.list_id][1].append(designation)
    for list_id, (old, new) in by_list.items():
        same = {_fields(d) for d in old} & {_fields(d) for d in new}
        old = [d for d in old if _fields(d) not in same]
        new = [d for d in new if _fields(d) not in same]
        for first, second in zip(old, new, strict=False):
            diffs = tuple(
                (name, _field(first, name), _field(second, name))
                for name in COMPARED
                if _field(first, name) != _field(second, name)
            )
            changed.append(DesignationChange(list_id, diffs))
        removed += old[len(new) :]
        added += new[len(old) :]
    return added, removed, changed


def text_key(text: str) -> str:
    """A name as compared within a matched entry: case and spacing do not count."""
    return " ".join(text.casefold().split())


def _names(entity: Entity) -> dict[str, str]:
    """Comparison key -> the name as written (the first one written that way)."""
    names: dict[str, str] = {}
    for name in entity.all_names():
        names.setdefault(text_key(name), name)
    return names


def _identifiers(entity: Entity) -> list[str]:
    return list(dict.fromkeys(f"{i.scheme}:{i.value}" for i in entity.identifiers))


def compare_entries(before: Entity, after: Entity, matched_by: str) -> EntryChange:
    """What changed in one entry between the versions."""
    old_names, new_names = _names(before), _names(after)
    old_ids, new_ids = _identifiers(before), _identifiers(after)
    added, removed, changed = diff_designations(before.designations, after.designations)
    return EntryChange(
        before=before,
        after=after,
        matched_by=matched_by,
        names_added=tuple(n for k, n in new_names.items() if k not in old_names),
        names_removed=tuple(n for k, n in old_names.items() if k not in new_names),
        identifiers_added=tuple(i for i in new_ids if i not in old_ids),
        identifiers_removed=tuple(i for i in old_ids if i not in new_ids),
        designations_added=tuple(added),
        designations_removed=tuple(removed),
        designations_changed=tuple(changed),
    )


def diff_lists(before: DiffSide, after: DiffSide) -> ListDiff:
    """Compare two list versions (see the module docstring)."""
    pairs, removed, added = match_entities(before.entities, after.entities)
    entries = [compare_entries(old, new, how) for old, new, how in pairs]
    warnings = []
    if before.kind != after.kind:
        warnings.append(
            f"comparing a {before.kind} list with a {after.kind} list: entries of one list "
            "missing from the other show as added or removed"
        )
    return ListDiff(
        before=before,
        after=after,
        added=tuple(added),
        removed=tuple(removed),
        changed=tuple(e for e in entries if e.changed),
        unchanged=tuple(e for e in entries if not e.changed),
        warnings=tuple(warnings),
    )


def _side_dict(side: DiffSide) -> dict[str, Any]:
    return {"source": side.label, "version": side.version, "kind": side.kind,
            "entities": len(side.entities)}  # fmt: skip


def designation_dict(designation: Designation) -> dict[str, Any]:
    """A designation as JSON (without its source)."""
    return {"list": designation.list_id, **{n: _field(designation, n) for n in COMPARED}}


def entry_dict(entity: Entity) -> dict[str, Any]:
    """An added or removed entry as JSON."""
    return {
        "id": entity.id,
        "caption": entity.caption,
        "schema": entity.schema,
        "lists": [list_id for list_id in list_ids(entity) if list_id],
        "designations": [designation_dict(d) for d in entity.designations],
    }


def change_dict(change: EntryChange) -> dict[str, Any]:
    """A changed entry as JSON."""
    return {
        "before_id": change.before.id,
        "after_id": change.after.id,
        "caption": change.after.caption,
        "caption_before": change.before.caption,
        "matched_by": change.matched_by,
        "names_added": list(change.names_added),
        "names_removed": list(change.names_removed),
        "identifiers_added": list(change.identifiers_added),
        "identifiers_removed": list(change.identifiers_removed),
        "designations_added": [designation_dict(d) for d in change.designations_added],
        "designations_removed": [designation_dict(d) for d in change.designations_removed],
        "designations_changed": [
            {"list": c.list_id, "changes": {f: [a, b] for f, a, b in c.changes}}
            for c in change.designations_changed
        ],
    }
