"""``procurewatch match`` and ``procurewatch compare``: name matching from the command line."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from procurewatch.cli_common import StoreOption, app, print_json, resolve_store
from procurewatch.errors import InputError, UsageError
from procurewatch.settings import MATCH_THRESHOLD

if TYPE_CHECKING:  # the matcher is imported when a command needs it (start-up stays short)
    from procurewatch.match.matcher import Matcher, NameMatch


def _parse_day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--date {text!r} is not a date; use YYYY-MM-DD") from None


def load_matcher(store: Path | None) -> Matcher:
    """The matcher over the bundled watchlist plus the lists imported into the store (kept
    compiled between runs: :mod:`procurewatch.matcher_cache`)."""
    from procurewatch.matcher_cache import load_matcher as cached

    return cached(resolve_store(store))


def result_dict(matcher: Matcher, result: NameMatch, day: date | None) -> dict[str, Any]:
    """The JSON form of one match result (DESIGN.md contract)."""
    from procurewatch.match.matcher import in_force_summary

    return {
        "entity_id": result.entity.id,
        "name": result.entity.caption,
        "schema": result.entity.schema,
        "score": result.score,
        "match": matcher.is_match(result),
        "matched_name": result.matched_name.value,
        "matched_name_kind": result.matched_name.kind,
        "rule": result.rule,
        "lead": result.entity.lead,
        "dataset": result.entity.dataset,
        "designations": in_force_summary(result.designations, day),
        "explanation": result.explanation(),
    }


def _print_table(query: str, rows: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not rows:
        console.print(f"No watchlist entity resembles {query!r}.")
        return
    table = Table(title=f"Matches for {query!r}")
    for col in ("score", "match", "entity", "designations", "why"):
        table.add_column(col, overflow="fold")
    for row in rows:
        lists = "\n".join(
            f"{d['list']} from {d['in_force_from']}"
            + (f" (via {', '.join(d['via'])})" if d["via"] else "")
            + ("" if d["in_force"] is None else f" in force: {d['in_force']}")
            for d in row["designations"]
        )
        table.add_row(
            f"{row['score']:.2f}",
            "yes" if row["match"] else "no",
            f"{row['name']} [{row['entity_id']}]",
            lists or "-",
            row["explanation"],
        )
    console.print(table)


@app.command("match")
def match_command(
    name: Annotated[
        str, typer.Argument(help="A company, organization or person name, or an identifier.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    on: Annotated[
        str | None,
        typer.Option(
            "--date", help="Say whether each designation was in force on this day (YYYY-MM-DD)."
        ),
    ] = None,
    limit: Annotated[int, typer.Option(help="Most results to show.")] = 5,
    store: StoreOption = None,
) -> None:
    """Find the watchlist entities a name refers to, with designations and an explanation."""
    day = _parse_day(on)
    matcher = load_matcher(store)
    rows = [result_dict(matcher, r, day) for r in matcher.match_name(name, limit=limit)]
    if as_json:
        print_json({"query": name, "date": on, "results": rows})
    else:
        _print_table(name, rows)


def _read_pairs(path: Path) -> list[tuple[int, str, str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or not {"name1", "name2"} <= set(reader.fieldnames):
                raise InputError(
                    f"expected columns name1,name2 in the header, found {reader.fieldnames}; "
                    "add a header line 'name1,name2'",
                    path=str(path),
                    line=1,
                )
            return [(n + 2, row["name1"] or "", row["name2"] or "") for n, row in enumerate(reader)]
    except FileNotFoundError:
        raise InputError("file not found; check the path", path=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text; save the CSV as UTF-8", path=str(path)) from None


@app.command("compare")
def compare_command(
    pairs: Annotated[Path, typer.Option("--pairs", help="CSV with columns name1,name2.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON line per pair.")] = True,
    threshold: Annotated[
        float, typer.Option(help="Score at which a pair counts as a match.")
    ] = MATCH_THRESHOLD,
) -> None:
    """Score name pairs: for each row one JSON line {name1, name2, score, match}."""
    from procurewatch.match.names import compare

    for _line, name1, name2 in _read_pairs(pairs):
        result = compare(name1, name2)
        record = {
            "name1": name1,
            "name2": name2,
            "score": result.score,
            "match": result.score >= threshold,
        }
        if as_json:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(f"{result.score:.3f}\t{name1}\t{name2}\t{result.explain()}\n")
