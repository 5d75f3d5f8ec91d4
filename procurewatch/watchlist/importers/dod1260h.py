"""Import the DoD Section 1260H list of "Chinese military companies" (CSV transcription).

Columns: Name, Clean Name, Alias, Previous Name, Parent Name, Note, Start date, End date,
Source Url. Rows repeat once per yearly edition; rows of one company (same Clean Name, up to
case and punctuation) become one entity with one designation per edition, and a
``subsidiary_of`` relation to its parent when the parent is listed in the file too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from procurewatch.errors import InputError
from procurewatch.model import Designation, Relation
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
from procurewatch.watchlist.importers.catalog import CATALOG, lists_for
from procurewatch.watchlist.importers.draft import EntityDraft
from procurewatch.watchlist.importers.textfile import read_table, read_text

LIST_ID = "us-dod-1260h"
URL = "https://www.defense.gov/News/Releases/"
HOW_TO = (
    "expected the DoD 1260H list as CSV with 'Clean Name' and 'Start date' columns "
    "(Name, Clean Name, Alias, Previous Name, Parent Name, Note, Start date, End date, Source Url)"
)
_TRAILING = re.compile(r"\s*\(([^()]*)\)\s*$")
_FORM_END = re.compile(r"\b(?:ltd|limited|corp|corporation|co|inc|company)\.?$", re.I)
_WORDS = {"limited": "ltd", "company": "co", "corporation": "corp", "incorporated": "inc"}


def is_dod1260h_header(header: list[str]) -> bool:
    """Whether a header line is the 1260H CSV's."""
    names = {h.strip().lower() for h in header}
    return {"clean name", "start date"} <= names


def name_key(name: str) -> str:
    """A company name reduced for comparison: case, punctuation and legal-form spelling removed,
    and a trailing ``(ABBREVIATION)`` or ``(alias)`` after a legal form dropped."""
    text = name.strip()
    found = _TRAILING.search(text)
    if found and (found.group(1).isupper() or _FORM_END.search(text[: found.start()])):
        text = text[: found.start()]
    text = text.casefold().replace("&", " and ")
    return " ".join(_WORDS.get(t, t) for t in re.findall(r"[^\W_]+", text))


def _new_id(caption: str, companies: dict[str, _Company]) -> str:
    base = f"dod1260h-{slug(caption)}"
    taken = {c.draft.id for c in companies.values()}
    number = 1
    entity_id = base
    while entity_id in taken:
        number += 1
        entity_id = f"{base}-{number}"
    return entity_id


@dataclass
class _Company:
    draft: EntityDraft
    parents: dict[str, str] = field(default_factory=dict)
    """Parent key → parent name as written."""


def parse_dod1260h(path: Path) -> ImportedList:
    """Read the 1260H CSV, merging each company's yearly rows into one entity."""
    table = read_table(read_text(path), path)
    if not is_dod1260h_header(table.header):
        raise InputError(HOW_TO, path=str(path), line=1)
    header = [h.strip().lower() for h in table.header]
    records = [
        (line, dict(zip(header, (v.strip() for v in row), strict=True))) for line, row in table.rows
    ]
    sha = digest([path])
    file_date = newest(iso_date(rec["start date"]) for _, rec in records)
    version = version_id("dod1260h", file_date, sha)
    companies: dict[str, _Company] = {}
    rejected = list(table.rejected)
    for line, rec in records:
        if not (rec.get("clean name") or rec.get("name")):
            rejected.append(RowIssue(line, "the row has no name"))
            continue
        _add_row(companies, rec, version)
    if not companies:
        raise InputError(f"no valid rows; {HOW_TO}", path=str(path))
    warnings = _link_parents(companies, version)
    return ImportedList(
        format="dod1260h",
        kind="dod1260h",
        version_id=version,
        path=path,
        files=(path,),
        sha256=sha,
        entities=[c.draft.build() for c in companies.values()],
        lists=lists_for([LIST_ID], version),
        source=make_source(version, "DoD Section 1260H list", [path], sha, file_date, URL),
        file_date=file_date,
        rows=len(records) + len(table.rejected),
        rejected=tuple(sorted(rejected, key=lambda issue: issue.line)),
        warnings=tuple(warnings),
    )


def _add_row(companies: dict[str, _Company], rec: dict[str, str], version: str) -> None:
    caption = rec.get("clean name") or rec["name"].rstrip("*").strip()
    key = name_key(caption)
    company = companies.get(key)
    if company is None:
        draft = EntityDraft(_new_id(caption, companies), "Company", caption, version)
        company = companies[key] = _Company(draft)
    draft = company.draft
    for alias in split_values(rec.get("alias", "")):
        draft.add_name(alias)
    for former in split_values(rec.get("previous name", "")):
        draft.add_name(former, "former")
    full = rec.get("name", "").rstrip("*").strip()
    if full and name_key(full) != key:
        draft.add_name(full)
    draft.add_note(rec.get("note", ""))
    parent = rec.get("parent name", "")
    if parent:
        company.parents.setdefault(name_key(parent), parent)
    draft.add_designation(
        Designation(
            list_id=LIST_ID,
            listed=iso_date(rec.get("start date", "")),
            ended=iso_date(rec.get("end date", "")),
            citation=rec.get("source url") or CATALOG[LIST_ID].citation,
            source=version,
        )
    )


def _link_parents(companies: dict[str, _Company], version: str) -> list[str]:
    """Add ``subsidiary_of`` relations to listed parents; note unlisted ones."""
    unlisted: list[str] = []
    for company in companies.values():
        for key, written in company.parents.items():
            parent = companies.get(key)
            if parent is company:
                continue
            if parent is None:
                company.draft.add_note(f"Parent named by DoD: {written}")
                unlisted.append(written)
                continue
            company.draft.add_relation(
                Relation(kind="subsidiary_of", target=parent.draft.id, source=version)
            )
    if not unlisted:
        return []
    return [f"{len(unlisted)} parent name(s) are not themselves in the file: kept as notes"]
