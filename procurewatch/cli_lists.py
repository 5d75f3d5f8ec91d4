"""``procurewatch lists ...``: import official list files and look at what the watchlist holds."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from procurewatch.cli_common import StoreOption, app, print_json, resolve_store
from procurewatch.errors import WatchlistError
from procurewatch.model import Entity, Watchlist
from procurewatch.watchlist.serialize import entity_to_dict

if TYPE_CHECKING:
    from procurewatch.store.lists import InUse, ListVersion
    from procurewatch.watchlist.diff import DiffSide, ListDiff

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
    use: Annotated[
        bool,
        typer.Option(
            "--use",
            help="Screen with this version from now on, even if it is older or much smaller "
            "than the one in use.",
        ),
    ] = False,
) -> None:
    """Import a list file as a new list version in the store; prints its id and counts.

    The new version is used for screening when its content is at least as recent as the
    version in use and not much smaller; otherwise the one in use stays, and the command says
    how to switch (--use, or procurewatch lists use ID).
    """
    from procurewatch.store.db import open_store
    from procurewatch.store.lists import in_use, save_list, use_version
    from procurewatch.watchlist.importers import parse_file

    imported = parse_file(file, kind)
    with open_store(resolve_store(store)) as opened:
        result = save_list(opened, imported)
        if use:
            use_version(opened, result.version.id)
        current = next(u for u in in_use(opened) if u.version.kind == result.version.kind)
    status = _use_status(result.version, current)
    if as_json:
        print_json(
            {
                "created": result.created,
                **result.version.summary(),
                "in_use": current.version.id == result.version.id,
                "status": status,
                "issues": result.version.issues,
            }
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
    if status:
        console.print(status, markup=False, soft_wrap=True)


def _use_status(version: ListVersion, current: InUse) -> str:
    """A sentence when the imported version is not the one in use: why, and how to switch."""
    from procurewatch.store.lists import kept_because

    if current.version.id == version.id:
        return ""
    why = (
        "it was chosen with `lists use`"
        if current.chosen
        else kept_because(version, current.version)
    )
    return (
        f"not in use: {current.version.id} stays the {version.kind} version screening uses, as "
        f"{why}; to screen with {version.id} instead: procurewatch lists use {version.id}"
    )


@lists_app.command("use")
def use_command(
    version_id: Annotated[
        str, typer.Argument(help="The list version to screen with (see lists versions).")
    ],
    store: StoreOption = None,
) -> None:
    """Screen with this list version for its kind from now on (even an older or smaller one)."""
    from procurewatch.store.db import open_store
    from procurewatch.store.lists import use_version

    with open_store(resolve_store(store)) as opened:
        version = use_version(opened, version_id)
    Console().print(f"{version.id} is now the {version.kind} version screening uses", markup=False)


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
    """List the imported list versions, newest first; '*' marks the ones screening uses, and
    says why (the most recent content, or chosen with lists use)."""
    from procurewatch.store.db import open_store
    from procurewatch.store.lists import in_use, list_versions

    path = resolve_store(store)
    if not path.is_file():
        rows: list[dict[str, Any]] = []
    else:
        with open_store(path, read_only=True) as opened:
            used = {u.version.id: u.why for u in in_use(opened)}
            rows = [
                {**v.summary(), "in_use": v.id in used, "why": used.get(v.id, "")}
                for v in list_versions(opened)
            ]
    if as_json:
        print_json({"store": str(path), "versions": rows})
        return
    if not rows:
        Console().print(
            f"No list versions in {path}; import one with: procurewatch lists import FILE"
        )
        return
    columns = ("", "id", "kind", "imported", "file date", "entities", "rejected", "file", "in use")
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
        row["why"],
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


@lists_app.command("diff")
def diff_command(
    before: Annotated[str, typer.Argument(help="The older list: a version id or a list file.")],
    after: Annotated[str, typer.Argument(help="The newer list: a version id or a list file.")],
    kind: Annotated[
        str | None,
        typer.Option("--kind", help="Format of list files given (default: detected)."),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", help="Entries shown per table (0: all).", min=0)
    ] = 20,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show the entries added, removed and changed between two list versions or files.

    A file is read on the fly, not stored. Entries are matched by id, else by list and name.
    """
    from procurewatch.watchlist.diff import diff_lists

    result = diff_lists(_diff_side(before, kind, store), _diff_side(after, kind, store))
    if as_json:
        print_json(result.to_dict())
        return
    _print_diff(Console(), result, limit)


def _diff_side(arg: str, kind: str | None, store: Path | None) -> DiffSide:
    """A list file read on the fly, or a stored version."""
    from procurewatch.errors import InputError
    from procurewatch.store.db import open_store
    from procurewatch.store.lists import get_version, load_entities
    from procurewatch.watchlist.diff import DiffSide
    from procurewatch.watchlist.importers import parse_file

    path = Path(arg)
    if path.exists():
        imported = parse_file(path, kind)
        return DiffSide(arg, imported.version_id, imported.kind, imported.entities)
    store_path = resolve_store(store)
    if not store_path.is_file():
        raise InputError(
            f"no such file, and no store at {store_path} to find a list version {arg!r} in; "
            "give a list file or a version id from `procurewatch lists versions`",
            path=arg,
        )
    with open_store(store_path, read_only=True) as opened:
        version = get_version(opened, arg)
        entities = load_entities(opened, version.id)
    return DiffSide(arg, version.id, version.kind, entities)


def _print_diff(console: Console, result: ListDiff, limit: int) -> None:
    from procurewatch.watchlist.diff import designation_dict

    counts = result.counts()
    console.print(
        f"{result.before.version} ({counts['before']:,} entries) -> {result.after.version} "
        f"({counts['after']:,} entries): {counts['added']:,} added, {counts['removed']:,} "
        f"removed, {counts['changed']:,} changed, {counts['unchanged']:,} unchanged "
        f"({counts['matched_by_name']:,} matched by list and name: their ids differ)",
        markup=False, soft_wrap=True,
    )  # fmt: skip
    for warning in result.warnings:
        console.print(f"warning: {warning}", markup=False, soft_wrap=True)

    def shown(items: Sequence[Any]) -> Sequence[Any]:
        return items if limit == 0 else items[:limit]

    def more(items: Sequence[Any], label: str) -> None:
        if limit and len(items) > limit:
            console.print(f"  ... and {len(items) - limit:,} more {label} (see --json)")

    def lists(entity: Entity) -> str:
        return ", ".join(dict.fromkeys(d.list_id for d in entity.designations))

    for label, entities in (("Added", result.added), ("Removed", result.removed)):
        rows = [(e.id, e.caption, lists(e)) for e in shown(entities)]
        _wide_table(console, f"{label} ({len(entities):,})", ("id", "name", "lists"), rows)
        more(entities, label.lower())
    rows = []
    for change in shown(result.changed):
        parts = [f"+name {n}" for n in change.names_added]
        parts += [f"-name {n}" for n in change.names_removed]
        parts += [f"+id {i}" for i in change.identifiers_added]
        parts += [f"-id {i}" for i in change.identifiers_removed]
        parts += [f"+list {_designation_text(designation_dict(d))}"
                  for d in change.designations_added]
        parts += [f"-list {_designation_text(designation_dict(d))}"
                  for d in change.designations_removed]
        parts += [f"{c.list_id} " + ", ".join(f"{f}: {a or '-'} -> {b or '-'}"
                                               for f, a, b in c.changes)
                  for c in change.designations_changed]
        ids = change.after.id if change.before.id == change.after.id else (
            f"{change.before.id} -> {change.after.id}")
        rows.append((ids, change.after.caption, "\n".join(parts)))
    _wide_table(console, f"Changed ({len(result.changed):,})", ("id", "name", "changes"), rows)
    more(result.changed, "changed")


def _wide_table(
    console: Console, title: str, columns: tuple[str, ...], rows: Sequence[tuple[str, ...]]
) -> None:
    """A table whose long ids fold instead of squeezing the names."""
    if not rows:
        return
    table = Table(title=title, title_justify="left")
    for column, ratio in zip(columns, (1, 2, 2), strict=False):
        table.add_column(column, overflow="fold", ratio=ratio)
    for row in rows:
        table.add_row(*(Text(value) for value in row))
    console.print(table)


def _designation_text(data: dict[str, Any]) -> str:
    dates = [f"{k} {data[k]}" for k in ("listed", "in_force", "ended") if data[k]]
    return f"{data['list']}" + (f" ({', '.join(dates)})" if dates else "")
