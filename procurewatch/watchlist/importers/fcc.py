"""Import the FCC Covered List (Secure and Trusted Communications Networks Act of 2019).

Two layouts are read: the table as on the FCC page (``covered_equipment_or_services,
date_of_inclusion_on_covered_list``), where the company is named inside the description
("... produced by Huawei Technologies Company, including ..."), and the ``;``-separated
export with explicit ``Entity Name`` and ``Subsidiary Names`` columns. Entries that cover a
class of equipment rather than a company (foreign-produced drones, routers, inverters) name
no one: they are counted as skipped, with the reason.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from procurewatch.errors import InputError
from procurewatch.model import Designation, Relation
from procurewatch.watchlist.importers.base import (
    ImportedList,
    RowIssue,
    digest,
    make_source,
    newest,
    slug,
    split_values,
    text_date,
    version_id,
)
from procurewatch.watchlist.importers.catalog import lists_for
from procurewatch.watchlist.importers.draft import EntityDraft
from procurewatch.watchlist.importers.textfile import read_table, read_text

LIST_ID = "us-fcc-covered-list"
URL = "https://www.fcc.gov/supplychain/coveredlist"
HOW_TO = (
    "expected the FCC Covered List as CSV with a 'covered equipment or services' and a 'date of "
    f"inclusion' column; copy the table from {URL}"
)
_BY = re.compile(
    r"\b(?:produced|provided|supplied)(?: or provided)?(?:, directly or indirectly,)? by "
)
_STOPS = (", including", " including ", ", to the extent", " to the extent", " or any of its",
          ", subject to", " subject to")  # fmt: skip
_SUBSIDIARY = re.compile(r"\s+and its (?:wholly[- ]owned )?subsidiar(?:y|ies)\s+")
_DATE = re.compile(r"[A-Z][a-z]+ \d{1,2}, \d{4}")


def is_fcc_header(header: list[str]) -> bool:
    """Whether a header line is one of the Covered List layouts."""
    return any("covered" in _norm(h) and "equipment" in _norm(h) for h in header)


def _norm(text: str) -> str:
    return re.sub(r"[^a-z]+", " ", text.lower()).strip()


def company_in(description: str) -> tuple[str, list[str]] | None:
    """``(company, subsidiaries)`` named in a Covered List description, or None."""
    match = _BY.search(description)
    if match is None:
        return None
    rest = description[match.end() :]
    ends = [i for i in (rest.find(stop) for stop in _STOPS) if i >= 0]
    named = rest[: min(ends, default=len(rest))].strip().rstrip(",").strip()
    if named.endswith(".") and not re.search(r"\b(?:Inc|Corp|Co|Ltd|L\.L\.C|S\.A)\.$", named):
        named = named[:-1]
    company, *subsidiaries = _SUBSIDIARY.split(named)
    return (company, subsidiaries) if company else None


def _column(header: list[str], *words: str) -> int | None:
    for index, name in enumerate(header):
        if all(word in _norm(name) for word in words):
            return index
    return None


def parse_fcc(path: Path) -> ImportedList:
    """Read a Covered List CSV (either layout) into one entity per named company."""
    text = read_text(path)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    table = read_table(text, path, delimiter=delimiter)
    desc_col, date_col = _column(table.header, "covered"), _column(table.header, "date")
    if desc_col is None or date_col is None or not is_fcc_header(table.header):
        raise InputError(HOW_TO, path=str(path), line=1)
    name_col, subs_col = _column(table.header, "entity", "name"), _column(table.header, "subsidiar")
    sha = digest([path])
    file_date = newest(_inclusion_date(row[date_col]) for _, row in table.rows)
    version = version_id("fcc", file_date, sha)
    drafts: dict[str, EntityDraft] = {}
    skipped: list[RowIssue] = []
    for line, row in table.rows:
        description = " ".join(row[desc_col].split())
        named = _named(row, description, name_col, subs_col)
        if named is None:
            skipped.append(RowIssue(line, "names no company (covers a class of equipment)"))
            continue
        designation = Designation(
            list_id=LIST_ID,
            listed=_inclusion_date(row[date_col]),
            scope=description,
            source=version,
        )
        _add(drafts, named, designation, version)
    if not drafts:
        raise InputError(f"no row names a company; {HOW_TO}", path=str(path))
    return ImportedList(
        format="fcc",
        kind="fcc",
        version_id=version,
        path=path,
        files=(path,),
        sha256=sha,
        entities=[d.build() for d in drafts.values()],
        lists=lists_for([LIST_ID], version),
        source=make_source(version, "FCC Covered List", [path], sha, file_date, URL),
        file_date=file_date,
        rows=len(table.rows) + len(table.rejected),
        rejected=tuple(table.rejected),
        skipped=tuple(skipped),
    )


def _inclusion_date(text: str) -> date | None:
    found = _DATE.search(text)
    return text_date(found.group(0), ("%B %d, %Y",)) if found else None


def _named(
    row: list[str], description: str, name_col: int | None, subs_col: int | None
) -> tuple[str, list[str]] | None:
    if name_col is not None and row[name_col].strip():
        subsidiaries = split_values(row[subs_col]) if subs_col is not None else []
        return row[name_col].strip(), subsidiaries
    return company_in(description)


def _add(
    drafts: dict[str, EntityDraft],
    named: tuple[str, list[str]],
    designation: Designation,
    version: str,
) -> EntityDraft:
    company, subsidiaries = named
    entity_id = f"fcc-{slug(company)}"
    draft = drafts.setdefault(entity_id, EntityDraft(entity_id, "Company", company, version))
    draft.add_designation(designation)
    for name in subsidiaries:
        child = _add(drafts, (name, []), designation, version)
        child.add_relation(Relation(kind="subsidiary_of", target=entity_id, source=version))
    return draft
