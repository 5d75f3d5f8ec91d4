"""Import OFAC's legacy CSV files: the SDN list and the consolidated (non-SDN) list.

Each list is a set of header-less sibling files in one folder: the main file
(``sdn.csv`` / ``cons_prim.csv``: ent_num, name, type, programs, title, 6 vessel fields,
remarks), aliases (``alt.csv``), addresses (``add.csv``) and the tail of remarks too long for
the main file (``sdn_comments.csv``). ``-0-`` means empty. Any one of the files names the set;
prefixed names such as ``ofac_sdn_2021_sdn.csv`` / ``ofac_sdn_2021_alt.csv`` work too. Entity ids
are ``ofac-<ent_num>``, the ids OpenSanctions uses for OFAC entries.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from procurewatch.errors import InputError
from procurewatch.model import Designation
from procurewatch.watchlist.importers.base import (
    ImportedList,
    RowIssue,
    cell,
    digest,
    make_source,
    newest,
    version_id,
)
from procurewatch.watchlist.importers.catalog import lists_for, ofac_nonsdn_list_ids
from procurewatch.watchlist.importers.countries import country_code
from procurewatch.watchlist.importers.draft import EntityDraft
from procurewatch.watchlist.importers.ofac_files import OfacFiles, find_files
from procurewatch.watchlist.importers.remarks import RemarkFacts, parse_ofac_remarks
from procurewatch.watchlist.importers.textfile import Table, read_table, read_text

HOW_TO = (
    "expected OFAC's legacy CSV (sdn.csv or cons_prim.csv: 12 columns, no header, ent_num first); "
    "download it from https://ofac.treasury.gov/sanctions-list-service"
)
URL = "https://ofac.treasury.gov/sanctions-list-service"
SCHEMA_BY_TYPE = {"": "Company", "individual": "Person"}
ALT_KINDS = {"aka": "alias", "fka": "former", "nka": "alias"}


@dataclass
class _Read:
    drafts: dict[str, EntityDraft]
    skipped: list[RowIssue]
    rejected: list[RowIssue]
    rows: int = 0


def looks_like_ofac(first_row: list[str]) -> bool:
    """Whether the first row of a header-less file is an OFAC main-file row."""
    if len(first_row) != 12 or not first_row[0].strip().isdigit():
        return False
    return cell(first_row[2]).lower() in {"", "individual", "vessel", "aircraft"}


def parse_ofac(path: Path) -> ImportedList:
    """Read an OFAC SDN or consolidated list (given any file of its set) into entities."""
    files = find_files(path)
    main = read_table(read_text(files.main), files.main, width=12)
    if not main.rows or not main.rows[0][1][0].strip().isdigit():
        raise InputError(HOW_TO, path=str(files.main), line=1)
    rows, bad = _main_rows(main)
    if not rows:
        raise InputError(f"no valid rows ({bad[0].describe()}); {HOW_TO}", path=str(files.main))
    comments = _comments(files)
    facts = [parse_ofac_remarks(_remarks(row, comments)) for _line, row in rows]
    file_date = newest(f.listed for f in facts)
    sha = digest(files.all)
    version = version_id(files.kind, file_date, sha)
    read = _Read({}, [], bad, len(main.rows) + len(main.rejected))
    for (_line, row), row_facts in zip(rows, facts, strict=True):
        _add_main_row(read.drafts, row, row_facts, files.kind, version)
    _add_aliases(read, files)
    _add_addresses(read, files)
    list_ids = {d.list_id for e in read.drafts.values() for d in e.designations}
    title = "OFAC SDN list" if files.kind == "ofac-sdn" else "OFAC consolidated (non-SDN) list"
    return ImportedList(
        format="ofac",
        kind=files.kind,
        version_id=version,
        path=files.main,
        files=tuple(files.all),
        sha256=sha,
        entities=[d.build() for d in read.drafts.values()],
        lists=lists_for(list_ids, version),
        source=make_source(version, title, files.all, sha, file_date, URL),
        file_date=file_date,
        rows=read.rows,
        rejected=tuple(read.rejected),
        skipped=tuple(read.skipped),
        warnings=tuple(files.warnings),
    )


def _main_rows(main: Table) -> tuple[list[tuple[int, list[str]]], list[RowIssue]]:
    """The main file's rows with an ent_num and a name; the others rejected, in line order."""
    rows: list[tuple[int, list[str]]] = []
    rejected = list(main.rejected)
    for line, row in main.rows:
        if not row[0].strip().isdigit():
            rejected.append(RowIssue(line, "the ent_num (first field) is not a number"))
        elif not cell(row[1]):
            rejected.append(RowIssue(line, "the row has no name"))
        else:
            rows.append((line, row))
    rejected.sort(key=lambda issue: issue.line)
    return rows, rejected


def _side_table(path: Path | None, width: int) -> Table | None:
    if path is None:
        return None
    return read_table(read_text(path), path, width=width, file=path.name)


def _comments(files: OfacFiles) -> dict[str, str]:
    table = _side_table(files.comments, 2)
    return {row[0].strip(): row[1] for _line, row in table.rows} if table else {}


def _remarks(row: list[str], comments: dict[str, str]) -> str:
    return cell(row[11]) + comments.get(row[0].strip(), "")


def _add_main_row(
    drafts: dict[str, EntityDraft], row: list[str], facts: RemarkFacts, kind: str, version: str
) -> None:
    ent_num = row[0].strip()
    entity_type = cell(row[2]).lower()
    schema = SCHEMA_BY_TYPE.get(entity_type, "LegalEntity")
    draft = EntityDraft(f"ofac-{ent_num}", schema, cell(row[1]), version)
    drafts[ent_num] = draft
    programs = [p.strip(" []") for p in cell(row[3]).split("] [") if p.strip(" []")]
    for scheme, value in facts.identifiers:
        draft.add_identifier(scheme, value)
    for value, name_kind, weak in facts.names:
        draft.add_name(value, name_kind, weak=weak)
    draft.add_note(facts.text)
    list_ids = ["us-ofac-sdn"] if kind == "ofac-sdn" else ofac_nonsdn_list_ids(programs)
    for list_id in list_ids:
        draft.add_designation(
            Designation(
                list_id=list_id,
                listed=facts.listed,
                in_force=facts.in_force,
                scope="; ".join(programs) or None,
                source=version,
            )
        )


def _side_rows(
    read: _Read, path: Path | None, width: int, what: str
) -> Iterator[tuple[EntityDraft, list[str]]]:
    """Rows of an alt/add side file with the draft of the entry they belong to."""
    table = _side_table(path, width)
    if table is None:
        return
    read.rejected.extend(table.rejected)
    for line, row in table.rows:
        draft = read.drafts.get(row[0].strip())
        if draft is None:
            read.skipped.append(
                RowIssue(line, f"{what} of unknown entry {row[0].strip()}", table.file)
            )
            continue
        yield draft, row


def _add_aliases(read: _Read, files: OfacFiles) -> None:
    for draft, row in _side_rows(read, files.alt, 5, "alias"):
        kind = ALT_KINDS.get(cell(row[2]).lower(), "alias")
        draft.add_name(cell(row[3]), kind, weak=cell(row[4]).lower().startswith("weak"))


def _add_addresses(read: _Read, files: OfacFiles) -> None:
    for draft, row in _side_rows(read, files.add, 6, "address"):
        parts = [cell(v) for v in row[2:5]]
        draft.add_address(", ".join(p for p in parts if p))
        draft.add_country(country_code(parts[2]))
