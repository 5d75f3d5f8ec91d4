"""``procurewatch review ...``: confirm or dismiss hits, keep dismiss rules, read the audit log."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer

from procurewatch.cli_common import StoreOption, app, print_json, resolve_store
from procurewatch.errors import UsageError

review_app = typer.Typer(
    help="Review hits: confirm or dismiss them (decisions survive re-screens), dismiss rules, "
    "and the audit log of every decision.",
    no_args_is_help=True,
)
app.add_typer(review_app, name="review")

RunArg = Annotated[str, typer.Argument(help="A run id (see `procurewatch runs`) or `latest`.")]
HitArg = Annotated[str, typer.Argument(help="The hit id (first column of `review list`).")]
ReviewerOption = Annotated[str | None, typer.Option("--reviewer", help="Your name (required).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _hit_line(hit: dict[str, Any]) -> str:
    where = f"{Path(str(hit['source_file'])).name}:{hit['row']}"
    parties = " -> ".join(str(p) for p in (hit["vendor"], hit["buyer"]) if p)
    money = " ".join(str(v) for v in (hit["amount"], hit["currency"]) if v)
    parts = [
        hit["hit_id"],
        f"{hit['review']['label']:<19}",
        f"{hit['entity_id']:<14}",
        f"{hit['rule']:<11}",
        f"{hit['matched_text']!r} in {hit['field']}",
        parties,
        hit["record_date"] or "",
        money,
        where,
    ]
    return "  ".join(str(p) for p in parts if p)


@review_app.command("list")
def list_command(
    run: RunArg,
    status: Annotated[
        str, typer.Option("--status", help="pending | confirmed | dismissed | all.")
    ] = "all",
    set_aside: Annotated[
        bool,
        typer.Option(
            "--set-aside",
            help="List the mentions the context rules set aside instead (confirm one with "
            "`review confirm RUN HIT_ID` to make it a hit).",
        ),
    ] = False,
    as_json: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """List a run's hits with their review status (decisions from any run and rules apply)."""
    from procurewatch.review import STATUSES
    from procurewatch.review.decisions import review_run

    if set_aside:
        _list_set_aside(resolve_store(store), run, as_json)
        return
    if status not in (*STATUSES, "all"):
        raise UsageError(f"--status {status!r}: use pending, confirmed, dismissed or all")
    run_id, hits = review_run(resolve_store(store), run)
    counts = Counter(h["review"]["status"] for h in hits)
    shown = [h for h in hits if status == "all" or h["review"]["status"] == status]
    if as_json:
        print_json({"run_id": run_id, "counts": dict(counts), "hits": shown})
        return
    summary = ", ".join(f"{counts.get(s, 0)} {s}" for s in STATUSES)
    typer.echo(f"{run_id}: {len(hits)} hits ({summary})")
    for hit in shown:
        typer.echo(_hit_line(hit))


def _list_set_aside(store_path: Path, run: str, as_json: bool) -> None:
    from procurewatch.review.decisions import set_aside_of_run

    run_id, mentions = set_aside_of_run(store_path, run)
    if as_json:
        print_json({"run_id": run_id, "set_aside": mentions})
        return
    typer.echo(
        f"{run_id}: {len(mentions)} mentions set aside (not hits; confirm one to restore it)"
    )
    for m in mentions:
        where = f"{Path(str(m['source_file'])).name}:{m['row']}"
        parts = [m["hit_id"], f"{m['entity_id']:<14}", f"{m['matched_text']!r} in {m['field']}"]
        typer.echo("  ".join([*parts, str(m["reason"]), where]))


@review_app.command("confirm")
def confirm_command(
    run: RunArg,
    hit_id: HitArg,
    reviewer: ReviewerOption = None,
    reason: Annotated[str, typer.Option("--reason", help="Why (optional).")] = "",
    store: StoreOption = None,
) -> None:
    """Confirm a hit: the record really involves the listed entity."""
    from procurewatch.review.decisions import confirm

    made = confirm(resolve_store(store), run, hit_id, reviewer=reviewer or "", reason=reason)
    typer.echo(f"confirmed {made.hit_id} of {made.run_id} by {made.reviewer}")


@review_app.command("dismiss")
def dismiss_command(
    run: RunArg,
    hit_id: HitArg,
    reviewer: ReviewerOption = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why (required).")] = None,
    rule: Annotated[
        bool,
        typer.Option(
            "--rule",
            help="Also dismiss this matched text for this entity and vendor "
            "in every run, now and after re-screens.",
        ),
    ] = False,
    any_vendor: Annotated[
        bool, typer.Option("--any-vendor", help="With --rule: for every vendor, not just this one.")
    ] = False,
    store: StoreOption = None,
) -> None:
    """Dismiss a hit as a false alarm (with --rule: keep dismissing it in future runs)."""
    from procurewatch.review.decisions import dismiss

    if any_vendor and not rule:
        raise UsageError("--any-vendor only goes with --rule")
    made, new_rule = dismiss(
        resolve_store(store),
        run,
        hit_id,
        reviewer=reviewer or "",
        reason=reason or "",
        rule=rule,
        any_vendor=any_vendor,
    )
    typer.echo(f"dismissed {made.hit_id} of {made.run_id} by {made.reviewer}")
    if new_rule is not None:
        typer.echo(f"rule {new_rule.rule_id}: {new_rule.describe()}")


@review_app.command("rules")
def rules_command(as_json: JsonOption = False, store: StoreOption = None) -> None:
    """List the dismiss rules (switched-off ones are marked)."""
    from procurewatch.review.rules import list_rules

    found = list_rules(resolve_store(store))
    if as_json:
        print_json([r.to_dict() for r in found])
        return
    for r in found:
        state = "" if r.active else "  [off]"
        typer.echo(
            f"rule {r.rule_id}: {r.describe()} -- {r.reason} ({r.reviewer}, "
            f"{r.created_at:%Y-%m-%d}){state}"
        )


@review_app.command("drop-rule")
def drop_rule_command(
    rule_id: Annotated[int, typer.Argument(help="The rule number (see `review rules`).")],
    reviewer: ReviewerOption = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why (required).")] = None,
    store: StoreOption = None,
) -> None:
    """Switch a dismiss rule off; the hits only it dismissed become pending again."""
    from procurewatch.review.rules import deactivate_rule

    rule = deactivate_rule(
        resolve_store(store), rule_id, reviewer=reviewer or "", reason=reason or ""
    )
    typer.echo(f"rule {rule.rule_id} switched off: {rule.describe()}")


@review_app.command("audit")
def audit_command(
    out: Annotated[
        Path | None, typer.Option("--out", help="Write to FILE.csv or FILE.jsonl instead.")
    ] = None,
    as_json: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Show the audit log (who decided what, when, against which list versions) or export it."""
    from procurewatch.review import audit_events, export_audit

    path = resolve_store(store)
    if out is not None:
        count = export_audit(path, out)
        typer.echo(f"{count} audit events -> {out}")
        return
    events = [e.to_dict() for e in audit_events(path)]
    if as_json:
        print_json(events)
        return
    for e in events:
        target = e["hit_id"] or f"rule {e['rule_id']}"
        what = e["details"].get("reason") or ""
        typer.echo(
            f"{e['at']}  {e['who']}  {e['action']}  {target}  {e['run_id'] or ''}  "
            f"{what}  [{';'.join(e['list_versions'])}]"
        )
