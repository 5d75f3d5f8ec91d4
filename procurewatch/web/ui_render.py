"""Rendering the review UI: the Jinja2 environment (autoescape on) and small view helpers.

Everything that came from data (vendor, buyer, description, matched text, file names) reaches
the page through ``{{ ... }}`` and is escaped; there is no ``|safe`` on data anywhere. The
matched text is highlighted by splitting the field's text into before / match / after parts
that the template escapes one by one around a ``<mark>``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from procurewatch.report.aggregate import column_currencies
from procurewatch.report.glossary import gloss
from procurewatch.screen.hits import RULES
from procurewatch.web.hits import day_of

if TYPE_CHECKING:
    from procurewatch.web.state import ServiceState

CONTEXT_CHARS = 120
"""Characters of text kept on each side of a highlighted match."""


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The UI's template environment."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("procurewatch.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["score"] = lambda v: "–" if v is None else f"{float(v):.2f}"
    env.filters["yesno"] = lambda v: "unknown" if v is None else ("yes" if v else "no")
    env.filters["basename"] = lambda v: str(v or "").replace("\\", "/").rsplit("/", 1)[-1]
    env.filters["web_url"] = web_url
    env.filters["gloss"] = gloss
    env.filters["when"] = when
    env.filters["iso_day"] = iso_day
    env.globals["rules"] = RULES
    return env


def web_url(value: object) -> str:
    """``value`` if it is an http(s) URL, else ``""`` (no ``javascript:`` links from data)."""
    text = str(value or "").strip()
    return text if text.lower().startswith(("https://", "http://")) else ""


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """An HTML page from ``templates/<template>``."""
    page = (
        environment()
        .get_template(template)
        .render(
            request=request,
            root=root_of(request),
            read_protected=request.app.state.service.config.read_token is not None,
            **context,
        )
    )
    return HTMLResponse(page, status)


def root_of(request: Request) -> str:
    """The path prefix the app is mounted under (behind a reverse proxy), without a final /."""
    return str(request.scope.get("root_path", "")).rstrip("/")


def render_error(request: Request, status: int, message: str) -> str:
    """The error page's HTML."""
    return (
        environment()
        .get_template("error.html.j2")
        .render(
            request=request,
            root=root_of(request),
            read_protected=False,
            status=status,
            message=message,
        )
    )


def _clip(before: str, after: str) -> tuple[str, str]:
    if len(before) > CONTEXT_CHARS:
        before = "…" + before[-CONTEXT_CHARS:]
    if len(after) > CONTEXT_CHARS:
        after = after[:CONTEXT_CHARS] + "…"
    return before, after


def highlight(hit: dict[str, Any]) -> dict[str, str]:
    """``{"before", "match", "after"}``: the matched text in the text of its own field
    (``field_text``; hits written before it existed: the record's description)."""
    matched = str(hit.get("matched_text") or "")
    span = hit.get("span")
    description = str(hit.get("field_text") or hit.get("description") or "")
    if span and len(span) == 2 and description[span[0] : span[1]].casefold() == matched.casefold():
        before, after = _clip(description[: span[0]], description[span[1] :])
        return {"before": before, "match": description[span[0] : span[1]], "after": after}
    for key in ("field_text", "vendor", "buyer", "description"):
        text = str(hit.get(key) or "")
        at = text.casefold().find(matched.casefold()) if matched else -1
        if at >= 0:
            before, after = _clip(text[:at], text[at + len(matched) :])
            return {"before": before, "match": text[at : at + len(matched)], "after": after}
    return {"before": "", "match": matched, "after": ""}


def run_figures(summary: dict[str, Any]) -> dict[str, Any]:
    """A run's summary with every figure the run page shows (0 or empty when a run lacks it)."""
    keys = ("records", "flagged_records", "hits", "hits_in_force", "rejected_rows")
    return {
        **{k: int(summary.get(k) or 0) for k in keys},
        "inputs": [
            {
                "path": i.get("path", ""),
                "format": i.get("format", ""),
                "records": i.get("records") or 0,
            }
            for i in summary.get("inputs") or []
            if isinstance(i, dict)
        ],
        "lists": list(summary.get("lists") or []),
        "finished_at": str(summary.get("finished_at") or ""),
    }


def page_links(total: int, limit: int, offset: int) -> dict[str, int | None]:
    """Offsets of the previous and next pages (None at either end)."""
    return {
        "prev": max(0, offset - limit) if offset > 0 else None,
        "next": offset + limit if offset + limit < total else None,
        "first": offset + 1 if total else 0,
        "last": min(total, offset + limit),
    }


def when(value: object) -> str:
    """An ISO timestamp to the minute, ``2026-12-06 22:52`` (UTC as recorded)."""
    text = str(value or "")
    return text[:16].replace("T", " ") if len(text) >= 16 else text


def iso_day(value: object) -> str:
    """A record's date as YYYY-MM-DD when it can be read (03/10/2022 -> 2022-03-10), else as
    given."""
    text = str(value or "")
    found = day_of(text)
    return found.isoformat() if found else text


def money(hit: dict[str, Any], summary: dict[str, Any]) -> str:
    """The hit's amount with its currency: the record's, else the one its amount column's
    header names, else USD said to be assumed (as the findings report does)."""
    amount = str(hit.get("amount") or "").strip()
    if not amount:
        return ""
    own = str(hit.get("currency") or "").strip().upper()
    value = hit.get("amount_value")
    if own and isinstance(value, (int, float)):
        return f"{amount} = {value:,.2f} {own}"  # as read: units (万元) and separators applied
    if own:
        return f"{amount} {own}"
    header = column_currencies(summary).get(str(hit.get("source_file") or ""))
    if header:
        return f"{amount} {header} (from the amount column's header)"
    return f"{amount} USD (no currency given; taken as USD)"


def entity_choices(state: ServiceState, summary: dict[str, Any]) -> list[tuple[str, str]]:
    """``(entity id, name)`` of the entities the run's hits name, for the entity filter."""
    found = summary.get("hits_by_entity") or {}
    watchlist = state.watchlist()
    out = []
    for entity_id in sorted(found):
        entity = watchlist.get(entity_id)
        out.append((entity_id, entity.caption if entity else entity_id))
    return sorted(out, key=lambda item: item[1].casefold())
