"""Import the trade.gov Consolidated Screening List (CSL) CSV.

One row is one listing of a party on one of the 13 lists the CSL merges (``source`` column).
A party on two lists (SSI and NS-MBS, say) has two rows with the same ``_id``; they become one
entity with two designations. Both the 2023 layout (numeric OFAC ``_id`` s, the header
repeated on line 2 in some exports) and the newer one (hash ``_id`` s) are read.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from procurewatch.errors import InputError
from procurewatch.model import Designation, ListInfo
from procurewatch.watchlist.importers.base import (
    ImportedList,
    RowIssue,
    digest,
    iso_date,
    make_source,
    newest,
    slug,
    split_values,
    version_id,
)
from procurewatch.watchlist.importers.catalog import csl_list_id, lists_for
from procurewatch.watchlist.importers.draft import EntityDraft
from procurewatch.watchlist.importers.remarks import parse_csl_ids
from procurewatch.watchlist.importers.textfile import Table, read_table, read_text

Record = dict[str, str]

HOW_TO = (
    "expected a Consolidated Screening List CSV with a 'source' and 'name' column; "
    "download it as CSV from https://www.trade.gov/consolidated-screening-list"
)
URL = "https://www.trade.gov/consolidated-screening-list"
SCHEMA_BY_TYPE = {"entity": "Company", "individual": "Person"}
_ISN_TAIL = re.compile(
    r";?\s*and any successors?,?\s*sub-units?,?\s*or subsidiar(?:y|ies) thereof\.?\s*$", re.I
)
_COUNTRY = re.compile(r"(?:^|,\s*)([A-Z]{2})$")


def is_csl_header(header: list[str]) -> bool:
    """Whether a header line is the CSL's."""
    names = {h.strip().lower() for h in header}
    return {"source", "name"} <= names and bool(names & {"_id", "entity_number"})


def parse_csl(path: Path) -> ImportedList:
    """Read a CSL CSV export into entities on the lists of its ``source`` column."""
    table = read_table(read_text(path), path)
    if not is_csl_header(table.header):
        raise InputError(HOW_TO, path=str(path), line=1)
    records, skipped, rejected = _records(table)
    sha = digest([path])
    file_date = newest(iso_date(rec.get("start_date", "")) for _, rec in records)
    version = version_id("csl", file_date, sha)
    drafts: dict[str, EntityDraft] = {}
    lists: dict[str, ListInfo] = {}
    warnings: list[str] = []
    for _line, rec in records:
        list_id = _list_id(rec.get("source", ""), version, lists, warnings)
        _add_row(drafts, rec, list_id, version)
    if not drafts:
        first = rejected[0].describe() if rejected else "no data rows"
        raise InputError(f"no valid rows ({first}); {HOW_TO}", path=str(path))
    lists.update(lists_for({d.list_id for e in drafts.values() for d in e.designations}, version))
    return ImportedList(
        format="csl",
        kind="csl",
        version_id=version,
        path=path,
        files=(path,),
        sha256=sha,
        entities=[d.build() for d in drafts.values()],
        lists=lists,
        source=make_source(
            version, "Consolidated Screening List (trade.gov)", [path], sha, file_date, URL
        ),
        file_date=file_date,
        rows=len(records) + len(skipped) + len(rejected),
        rejected=tuple(rejected),
        skipped=tuple(skipped),
        warnings=tuple(warnings),
    )


def _records(table: Table) -> tuple[list[tuple[int, Record]], list[RowIssue], list[RowIssue]]:
    header = [h.lower() for h in table.header]
    records: list[tuple[int, Record]] = []
    skipped: list[RowIssue] = []
    rejected = list(table.rejected)
    for line, row in table.rows:
        if [v.strip().lower() for v in row] == header:
            skipped.append(RowIssue(line, "the header line repeated"))
        elif not row[header.index("name")].strip():
            rejected.append(RowIssue(line, "the row has no name"))
        else:
            records.append((line, dict(zip(header, (v.strip() for v in row), strict=True))))
    rejected.sort(key=lambda issue: issue.line)
    return records, skipped, rejected


def _list_id(source: str, version: str, lists: dict[str, ListInfo], warnings: list[str]) -> str:
    known = csl_list_id(source)
    if known is not None:
        return known
    name, _, authority = source.partition(" - ")
    list_id = f"us-csl-{slug(name, 40)}"
    if list_id not in lists:
        warnings.append(f"unknown CSL source {source!r}: its parties are kept on list {list_id}")
        lists[list_id] = ListInfo(
            id=list_id,
            name=name or source,
            authority=authority or "unknown",
            jurisdiction="us",
            source=version,
        )
    return list_id


def _entity_id(rec: Record) -> str:
    key = rec.get("_id") or rec.get("entity_number")
    if key:
        return f"csl-{key}"
    text = f"{rec.get('source', '')}|{rec['name']}|{rec.get('addresses', '')}"
    return f"csl-{hashlib.sha256(text.encode()).hexdigest()[:16]}"


def _add_row(drafts: dict[str, EntityDraft], rec: Record, list_id: str, version: str) -> None:
    entity_id = _entity_id(rec)
    draft = drafts.get(entity_id)
    if draft is None:
        schema = SCHEMA_BY_TYPE.get(rec.get("type", "").lower(), "LegalEntity")
        caption = _ISN_TAIL.sub("", rec["name"]).strip() or rec["name"]
        draft = drafts[entity_id] = EntityDraft(entity_id, schema, caption, version)
    for alias in split_values(rec.get("alt_names", "")):
        draft.add_name(alias)
    for address in split_values(rec.get("addresses", "")):
        draft.add_address(address)
        found = _COUNTRY.search(address)
        draft.add_country(found.group(1) if found else None)
    for field_name in ("nationalities", "citizenships"):
        for code in re.split(r"[;,]\s*", rec.get(field_name, "")):
            draft.add_country(code.strip() if len(code.strip()) == 2 else None)
    facts = parse_csl_ids(rec.get("ids", ""))
    for scheme, value in facts.identifiers:
        draft.add_identifier(scheme, value)
    for value, kind, weak in facts.names:
        draft.add_name(value, kind, weak=weak)
    draft.add_note(rec.get("remarks", ""))
    draft.add_designation(
        Designation(
            list_id=list_id,
            listed=iso_date(rec.get("start_date", "")) or facts.listed,
            in_force=facts.in_force,
            ended=iso_date(rec.get("end_date", "")),
            scope=rec.get("programs") or None,
            citation=rec.get("federal_register_notice") or None,
            source=version,
        )
    )
