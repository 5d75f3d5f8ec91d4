"""``procurewatch lists ...``: import official list files and look at what the watchlist holds."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from procurewatch.cli_common import StoreOption, app, print_json, resolve_store
from procurewatch.errors import WatchlistError
from procurewatch.model import Entity, Watchlist
from procurewatch.watchlist.serialize import entity_to_dict

lists_app = typer.Typer(
    help="Import official list files (CSL, OFAC, FCC Covered List, DoD 1260H) and inspect them.",
    no_args_is_help=True,
)
app.add_typer(lists_app, name="lists")

SHOWN_ISSUES = 10


JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


@lists_app.command("import")
def import_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="The list file (for OFAC: sdn.csv or cons_prim.csv; siblings are found)."
        ),
    ],
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind", help="The file's format: csl, ofac, fcc or dod1260h (default: detected)."
        ),
    ] = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import a list file as a new list version in the store; prints its id and counts."""
    from procurewatch.store.db import open_store
    from procurewatch.store.lists import save_list
    from procurewatch.watchlist.importers import parse_file

    imported = parse_file(file, kind)
    with open_store(resolve_store(store)) as opened:
        result = save_list(opened, imported)
    if as_json:
        print_json(
            {"created": result.created, **result.version.summary(), "issues": result.version.issues}
        )
        return
    console = Console()
    version = result.version
    if not result.created:
        console.print(
            f"already imported as {version.id} (same SHA-256); nothing stored", soft_wrap=True
        )
        return
    console.print(
        f"imported {version.id}: {version.entity_count:,} entities, {version.name_count:,} names "
        f"from {version.row_count:,} rows; {version.rejected_count:,} rejected, "
        f"{version.skipped_count:,} skipped",
        soft_wrap=True,
    )
    _print_issues(console, imported.warnings, [i.describe() for i in imported.rejected], "rejected")
    _print_issues(console, (), [i.describe() for i in imported.skipped], "skipped")


def _print_issues(
    console: Console, warnings: tuple[str, ...], issues: list[str], label: str
) -> None:
    for warning in warnings:
        console.print(f"  warning: {warning}", markup=False, soft_wrap=True)
    for issue in issues[:SHOWN_ISSUES]:
        console.print(f"  {label} {issue}", markup=False, soft_wrap=True)
    if len(issues) > SHOWN_ISSUES:
        console.print(f"  ... and {len(issues) - SHOWN_ISSUES:,} more {label} rows (see --json)")


@lists_app.command("versions")
def versions_command(store: StoreOption = None, as_json: JsonOption = False) -> None:
    """List the imported list versions, newest first; '*' marks the ones screening uses."""
    from procurewatch.store.db import open_store
    from procurewatch.store.lists import latest_versions, list_versions

    path = resolve_store(store)
    if not path.is_file():
        rows: list[dict[str, Any]] = []
    else:
        with open_store(path, read_only=True) as opened:
            in_use = {v.id for v in latest_versions(opened)}
            rows = [{**v.summary(), "in_use": v.id in in_use} for v in list_versions(opened)]
    if as_json:
        print_json({"store": str(path), "versions": rows})
        return
    if not rows:
        Console().print(
            f"No list versions in {path}; import one with: procurewatch lists import FILE"
        )
        return
    columns = ("", "id", "kind", "imported", "file date", "entities", "rejected", "file")
    _table(Console(), f"List versions in {path}", columns, [_version_cells(r) for r in rows])


def _version_cells(row: dict[str, Any]) -> tuple[str, ...]:
    return (
        "*" if row["in_use"] else "",
        row["id"],
        row["kind"],
        row["imported_at"][:19],
        row["file_date"] or "-",
        f"{row['entities']:,}",
        f"{row['rejected_rows']:,}",
        Path(row["source_path"]).name,
    )


@lists_app.command("show")
def show_command(
    entity_id: Annotated[
        str | None, typer.Argument(help="An entity id; without it, a table of the lists.")
    ] = None,
    version: Annotated[
        list[str] | None,
        typer.Option(
            "--list-version",
            help="Use this list version (repeatable; default: newest of each kind).",
        ),
    ] = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show the lists in the watchlist with entity counts, or one entity in full."""
    from procurewatch.watchlist.assemble import load_watchlist

    watchlist = load_watchlist(resolve_store(store), version or None)
    if entity_id is None:
        _show_lists(watchlist, as_json)
        return
    entity = watchlist.get(entity_id)
    if entity is None:
        raise WatchlistError(
            f"no entity {entity_id!r} in the watchlist (versions: "
            f"{', '.join(watchlist.versions)}); find ids with: procurewatch match NAME"
        )
    if as_json:
        print_json(_entity_json(watchlist, entity))
    else:
        _print_entity(watchlist, entity)


def _list_rows(watchlist: Watchlist) -> list[dict[str, Any]]:
    counts: dict[str, int] = {}
    for entity in watchlist.entities.values():
        for list_id in {d.list_id for d in entity.designations}:
            counts[list_id] = counts.get(list_id, 0) + 1
    lists = sorted(watchlist.lists.values(), key=lambda i: i.id)
    keys = ("id", "name", "authority")
    return [{**{k: getattr(i, k) for k in keys}, "entities": counts.get(i.id, 0)} for i in lists]


def _show_lists(watchlist: Watchlist, as_json: bool) -> None:
    rows = _list_rows(watchlist)
    if as_json:
        entities = len(watchlist.entities)
        print_json({"versions": list(watchlist.versions), "entities": entities, "lists": rows})
        return
    title = f"Lists ({len(watchlist.entities):,} entities from {', '.join(watchlist.versions)})"
    cells = [(r["id"], r["name"], r["authority"], f"{r['entities']:,}") for r in rows]
    _table(Console(), title, ("id", "name", "authority", "entities"), cells)


def _entity_json(watchlist: Watchlist, entity: Entity) -> dict[str, Any]:
    effective = [
        {"list": e.list.id, "holder": e.holder, "via": [r.target for r in e.via],
         "start": e.designation.start.isoformat() if e.designation.start else None}
        for e in watchlist.effective_designations(entity.id)
    ]  # fmt: skip
    return {**entity_to_dict(entity), "effective_designations": effective}


def _print_entity(watchlist: Watchlist, entity: Entity) -> None:
    console = Console()
    about = f"{entity.id}  ({entity.schema}, from {entity.dataset})"
    console.print(f"[bold]{escape(entity.caption)}[/bold]  {escape(about)}")
    names = [(n.value, n.kind, n.source) for n in entity.names]
    _table(console, "Names", ("name", "kind", "source"), names)
    idents = [(i.scheme, i.value) for i in entity.identifiers]
    _table(console, "Identifiers", ("scheme", "value"), idents)
    designations = [
        (d.list_id, _day(d.listed), _day(d.in_force), _day(d.ended), d.citation or "-")
        for d in entity.designations
    ]
    _table(
        console, "Designations", ("list", "listed", "in force", "ended", "citation"), designations
    )
    relations = [
        (r.kind, _label(watchlist, r.target), _day(r.start), _day(r.end)) for r in entity.relations
    ]
    _table(console, "Relations", ("kind", "target", "from", "to"), relations)
    children = [
        (rel.kind, _label(watchlist, child.id)) for child, rel in watchlist.children(entity.id)
    ]
    _table(console, "Related entities pointing here", ("kind", "entity"), children)
    for address in entity.addresses:
        console.print(f"address: {address}", markup=False, soft_wrap=True)


def _day(value: date | None) -> str:
    return value.isoformat() if value else "-"


def _label(watchlist: Watchlist, entity_id: str) -> str:
    target = watchlist.get(entity_id)
    return f"{target.caption} [{entity_id}]" if target else entity_id


def _table(
    console: Console, title: str, columns: tuple[str, ...], rows: Sequence[tuple[str, ...]]
) -> None:
    if not rows:
        return
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column, overflow="fold", no_wrap=column in ("id", "list"))
    for row in rows:
        table.add_row(*(Text(value) for value in row))  # Text: "[...]" in names is not markup
    console.print(table)
