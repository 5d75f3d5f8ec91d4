"""Screen one Arrow record batch: the pure core every engine (local, Spark) calls.

For each record: the vendor and parent names go through the name matcher (each distinct name
is scored once per run, then cached); the buyer names too (a listed public security bureau
as buyer is a hit); every text column goes through the text scanner (names, brands, model
numbers), but only the rows that the scanner's prefilter selects, run over the whole column
at once (:mod:`procurewatch.match.rowfilter`). Each hit carries its evidence and whether a
designation of the entity was in force on the record's date.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_right
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from procurewatch.arrowtake import bool_array, take_rows
from procurewatch.ingest.base import FieldMap
from procurewatch.ingest.name_keys import Keys
from procurewatch.match.matcher import Matcher, NameMatch, in_force_summary
from procurewatch.match.rowfilter import ByteCache, RowFilter, build_row_filter
from procurewatch.match.text import TextScanner
from procurewatch.match.types import TextHit
from procurewatch.model import EffectiveDesignation, Entity
from procurewatch.screen.hits import Hit
from procurewatch.screen.known_names import KnownNames, QueuedKeys
from procurewatch.screen.leads import lead_explanation, lead_via
from procurewatch.screen.seen import SeenValues
from procurewatch.screen.values import money_facts, parse_period

if TYPE_CHECKING:
    from procurewatch.match.name_gate import Gate

TEXT_RULES = {"name": "text-name", "brand": "text-brand", "alias": "text-alias", "model": "model"}
DESCRIPTION_CHARS = 300


@dataclass
class ScreenContext:
    """What a screen needs besides the batch: the compiled matchers and the name cache."""

    matcher: Matcher
    scanner: TextScanner
    rowfilter: RowFilter | None = None
    """Picks the rows of a text column worth scanning (None: every row)."""
    name_cache: dict[str, tuple[NameMatch, ...]] = field(default_factory=dict)
    """The distinct names the matcher scored so far (those the name gate let through, and
    any asked about alone) and their matches (mostly empty)."""
    seen: dict[str, SeenValues] = field(default_factory=dict)
    """Every distinct name met so far in each name column, scored or turned away by the gate
    (by column: a file's buyers need not be looked up among its quarter million vendors)."""
    pending: deque[str] = field(default_factory=deque)
    """Names the gate let through, waiting for the matcher."""
    names_admitted: bool = False
    """True while an engine admits each batch's names (:func:`admit_names`) before it hands the
    batch to :func:`screen_batch`, e.g. in its reading thread."""
    known: KnownNames = field(default_factory=KnownNames)
    """What earlier runs of the same matcher learnt about names (:mod:`.name_memo`)."""
    queued_keys: QueuedKeys = field(default_factory=lambda: QueuedKeys())
    """The first key of every name queued for the matcher so far: a row whose names have
    none of them cannot be flagged by name
    (:func:`procurewatch.screen.engines.local.prepare_batch`; on that path names reach the
    matcher only through the queue, :meth:`admit` then :meth:`score_pending`)."""
    flagged_names: dict[str, tuple[NameMatch, ...]] = field(default_factory=dict)
    """The names among them that matched."""
    default_currency: str | None = None
    _designations: dict[str, tuple[EffectiveDesignation, ...]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        matcher: Matcher,
        scanner: TextScanner,
        prefilter: str = "auto",
        cache: ByteCache | None = None,
    ) -> ScreenContext:
        """A context with the scanner's prefilter compiled once, by ``prefilter``: ``auto``
        (Hyperscan where installed, else RE2), ``hyperscan`` or ``re2``; ``cache`` keeps the
        compiled prefilter between runs."""
        rowfilter = build_row_filter(
            scanner.prefilter_parts(ascii_specials=True),
            scanner.prefilter_regex,
            engine=prefilter,
            cache=cache,
        )
        return cls(matcher, scanner, rowfilter)

    def names(self, value: str) -> tuple[NameMatch, ...]:
        """Matches of one name at or above the threshold (cached)."""
        found = self.name_cache.get(value)
        if found is None:
            found = self.known.matches.get(value)
        if found is None:
            found = tuple(
                r for r in self.matcher.match_name(value, limit=3) if self.matcher.is_match(r)
            )
        if value not in self.name_cache:
            self.name_cache[value] = found
            if found:
                self.flagged_names[value] = found
        return found

    def designations_of(self, entity_id: str) -> tuple[EffectiveDesignation, ...]:
        """The entity's effective designations (worked out once per run)."""
        found = self._designations.get(entity_id)
        if found is None:
            found = tuple(self.matcher.watchlist.effective_designations(entity_id))
            self._designations[entity_id] = found
        return found

    def score_new(
        self, values: pa.Array | pa.ChunkedArray | Iterable[str | None], column: str = ""
    ) -> None:
        """Score the values of a name column not seen before (each distinct name once per run);
        the names that share no word with the watchlist are told apart in bulk first
        (:mod:`procurewatch.match.name_gate`) and never reach the matcher."""
        self.admit(values, column)
        self.score_pending()

    def admit(
        self,
        values: pa.Array | pa.ChunkedArray | Iterable[str | None],
        column: str = "",
        keys: Keys | None = None,
    ) -> None:
        """Remember the new names of a column and queue those the gate lets through for the
        matcher (``keys``: the values' keys, :mod:`procurewatch.ingest.name_keys`, when the
        engine has them). Arrow and numpy work, most of it without the GIL, and the matcher is
        not called: an engine may do this for the next batch in its reading thread (one thread
        at a time)."""
        if not isinstance(values, pa.Array | pa.ChunkedArray):
            values = pa.array(list(values), pa.string())
        seen = self.seen.get(column)
        if seen is None:
            seen = self.seen[column] = SeenValues(self.known.empty_keys())
        fresh, first_keys = seen.fresh_keyed(values, keys)
        named = np.asarray(pc.not_equal(pc.utf8_trim_whitespace(fresh), ""), dtype=bool)
        names, first_keys = fresh.filter(bool_array(named)), first_keys[named]
        queued = self.known.matched_mask(names)
        unknown = ~queued
        if unknown.any():
            may = self.gate().may_match(names.filter(bool_array(unknown)))
            queued[unknown] = may
            self.known.turned_away.append(names.filter(bool_array(unknown & ~queued)))
        if queued.any():
            self.pending.extend(names.filter(bool_array(queued)).to_pylist())
            self.queued_keys.add(first_keys[queued])

    def gate(self) -> Gate:
        """The matcher's name gate, given the word facts of earlier runs when first asked."""
        gate = self.matcher.gate
        if self.known.word_facts is not None:
            if not len(gate.table.words):  # a gate asked already keeps what it knows
                gate.table.words, gate.table.facts = self.known.word_facts
            self.known.word_facts = None
        return gate

    def score_pending(self) -> None:
        """Score the queued names (:meth:`admit`)."""
        while self.pending:
            self.names(self.pending.popleft())


@dataclass(frozen=True, slots=True)
class RecordInfo:
    """The record-level facts copied into every hit of a row."""

    source_file: str
    row: int
    day: date | None
    date_text: str | None
    vendor: str | None
    buyer: str | None
    amount: str | None
    currency: str | None
    description: str | None
    amount_value: float | None = None
    amount_usd: float | None = None
    texts: Mapping[str, str | None] | None = None
    """The record's text columns and their values (for each hit the text of its own field)."""
    last_day: date | None = None
    """The last day the record's date may mean, when it gives only the month (``2019-08``:
    ``day`` is the 1st, this the 31st); None for a full date."""


def _column(batch: pa.RecordBatch, name: str | None) -> list[str | None]:
    if not name or name not in batch.schema.names:
        return [None] * batch.num_rows
    return batch.column(name).to_pylist()  # type: ignore[no-any-return]


def _first(batch: pa.RecordBatch, names: Sequence[str]) -> list[str | None]:
    columns = [_column(batch, n) for n in names if n in batch.schema.names]
    if not columns:
        return [None] * batch.num_rows
    return [next((c[i] for c in columns if c[i]), None) for i in range(batch.num_rows)]


def _records(
    batch: pa.RecordBatch, rows: Sequence[int], fmap: FieldMap, ctx: ScreenContext
) -> dict[int, RecordInfo]:
    """Record facts of the given row indices only (the rows that have hits)."""
    sub = take_rows(batch, rows)
    files, numbers, dates = (
        _column(sub, "_source_file"),
        _column(sub, "_row"),
        _column(sub, fmap.date),
    )
    vendors, buyers = _first(sub, fmap.vendor), _first(sub, fmap.buyer)
    amounts, currencies = _column(sub, fmap.amount), _column(sub, fmap.currency)
    texts = _first(sub, fmap.text)
    columns = {c: _column(sub, c) for c in (*fmap.vendor, *fmap.parent, *fmap.buyer, *fmap.text)}
    infos: dict[int, RecordInfo] = {}
    for k, row in enumerate(rows):
        period = parse_period(dates[k], fmap.formats.day_first)
        day, last = period if period else (None, None)
        value, currency, usd = money_facts(
            amounts[k], currencies[k], fmap.formats.amount, ctx.default_currency, day
        )
        infos[row] = RecordInfo(
            str(files[k]),
            int(numbers[k] or 0),
            day,
            dates[k],
            vendors[k],
            buyers[k],
            amounts[k],
            currency,
            (texts[k] or "")[:DESCRIPTION_CHARS] or None,
            value,
            usd,
            {c: values[k] for c, values in columns.items()},
            last if last != day else None,
        )
    return infos


def any_in_force(designations: Iterable[EffectiveDesignation], day: date | None) -> bool | None:
    """True if any designation is in force on ``day``, False if all are known not to be."""
    states = [d.in_force_on(day) for d in designations]
    if any(s is True for s in states):
        return True
    if states and all(s is False for s in states):
        return False
    return None


def applicable(
    designations: Iterable[EffectiveDesignation], day: date | None
) -> tuple[EffectiveDesignation, ...]:
    """Designations whose path of relations held on ``day`` (Lorex reaches Dahua's lists only
    while Dahua owned it); unknown days keep every designation."""
    return tuple(d for d in designations if all(r.active_on(day) is not False for r in d.via))


@dataclass(frozen=True, slots=True)
class _Applied:
    """What a set of designations means on one day (shared by every hit with both)."""

    designations: tuple[EffectiveDesignation, ...]
    lists: tuple[str, ...]
    in_force: bool | None
    via: str
    summary: tuple[dict[str, Any], ...]


_APPLIED: dict[tuple[int, int | None], tuple[object, _Applied]] = {}
"""By (identity of the designations tuple, period of the day); the tuple is held so its identity
stays its own. Hits share these instead of each working them out (a run may have 50,000 hits)."""

_BOUNDS: dict[int, tuple[object, tuple[date, ...]]] = {}
"""The days on which anything about a designations tuple changes, by the tuple's identity."""


def _boundaries(designations: tuple[EffectiveDesignation, ...]) -> tuple[date, ...]:
    """Days where a designation starts or ends, or a relation on its path starts or lapses (the
    day after its end): between two of them every in-force answer stays the same."""
    days: set[date] = set()
    for eff in designations:
        days.update(d for d in (eff.designation.start, eff.designation.ended) if d is not None)
        for rel in eff.via:
            days.update(d for d in (rel.start, rel.end and rel.end + timedelta(days=1)) if d)
    return tuple(sorted(days))


def _period(designations: tuple[EffectiveDesignation, ...], day: date | None) -> int | None:
    """Which stretch between the boundaries ``day`` falls in (None for an unknown day)."""
    if day is None:
        return None
    found = _BOUNDS.get(id(designations))
    if found is None or found[0] is not designations:
        found = _BOUNDS[id(designations)] = (designations, _boundaries(designations))
    return bisect_right(found[1], day)


def _applied(designations: tuple[EffectiveDesignation, ...], day: date | None) -> _Applied:
    key = (id(designations), _period(designations, day))
    found = _APPLIED.get(key)
    if found is not None and found[0] is designations:
        return found[1]
    if len(_APPLIED) > 50_000:
        _APPLIED.clear()
        _BOUNDS.clear()
    kept = applicable(designations, day)
    applied = _Applied(
        kept,
        tuple(dict.fromkeys(d.list.id for d in kept)),
        any_in_force(kept, day),
        "; ".join(sorted({f"{r.kind} {r.target}" for d in kept for r in d.via})),
        tuple(in_force_summary(kept, day)),
    )
    _APPLIED[key] = (designations, applied)
    return applied


def _hit(
    rec: RecordInfo,
    column: str,
    text: str,
    rule: str,
    entity: Entity,
    score: float,
    designations: tuple[EffectiveDesignation, ...],
    explanation: str,
    span: tuple[int, int] | None,
    sha: str,
    set_aside: str = "",
) -> Hit | None:
    """A hit, or None when the entity is neither listed nor a lead on the record's date."""
    applied = _applied_to(designations, rec)
    if not applied.designations and not entity.lead:
        return None
    return Hit(
        source_file=rec.source_file,
        row=rec.row,
        field=column,
        matched_text=text,
        rule=rule,
        entity_id=entity.id,
        entity_name=entity.caption,
        score=round(score, 4),
        lists=applied.lists,
        in_force=applied.in_force,
        record_date=rec.date_text,
        vendor=rec.vendor,
        buyer=rec.buyer,
        amount=rec.amount,
        currency=rec.currency,
        description=rec.description,
        date=rec.day.isoformat() if rec.day else None,
        amount_value=rec.amount_value,
        amount_usd=rec.amount_usd,
        field_text=_field_text(rec, column),
        via=applied.via,
        lead=entity.lead,
        explanation=explanation,
        span=span,
        designations=applied.summary,
        input_sha256=sha,
        set_aside=set_aside,
    )


def _applied_to(designations: tuple[EffectiveDesignation, ...], rec: RecordInfo) -> _Applied:
    """What the designations mean on the record's date. A date given to the month (``2019-08``)
    is asked on its first and last day: the answer both give holds; where they differ (a ban
    in force from 2019-08-13), whether it was in force is not known."""
    first = _applied(designations, rec.day)
    if rec.last_day is None or _period(designations, rec.day) == _period(designations, rec.last_day):
        return first
    last_day = rec.last_day
    summary = tuple(
        {**item, "in_force": item["in_force"] if item["in_force"] == eff.in_force_on(last_day) else None}
        for item, eff in zip(first.summary, first.designations, strict=True)
    )  # fmt: skip
    last = _applied(designations, last_day)
    in_force = first.in_force if first.in_force == last.in_force else None
    return dataclasses.replace(first, in_force=in_force, summary=summary)


def _field_text(rec: RecordInfo, column: str) -> str | None:
    """The text of the field a hit was found in (at most :data:`DESCRIPTION_CHARS`)."""
    value = (rec.texts or {}).get(column)
    return value[:DESCRIPTION_CHARS] if value else None


Found = tuple[int, str, str, str, NameMatch | TextHit]
"""(row index in the batch, column, rule, matched text, the match)."""


def _name_found(
    batch: pa.RecordBatch, columns: Sequence[str], rule: str, ctx: ScreenContext
) -> list[Found]:
    """Rows whose name column matches: each distinct value is scored once (cached)."""
    found: list[Found] = []
    for column in columns:
        if column not in batch.schema.names:
            continue
        array = batch.column(column)
        if ctx.names_admitted:
            ctx.score_pending()
        else:
            ctx.score_new(array, column)
        flagged = ctx.flagged_names
        if not flagged:
            continue
        mask = pc.is_in(array, value_set=pa.array(list(flagged), pa.string()))
        rows = pc.indices_nonzero(pc.fill_null(mask, False)).to_pylist()
        for i, value in zip(rows, take_rows(array, rows).to_pylist(), strict=True):
            found.extend((i, column, rule, value, m) for m in flagged[value])
    return found


def admit_names(
    batch: pa.RecordBatch | pa.Table,
    fmap: FieldMap,
    ctx: ScreenContext,
    keys: Mapping[str, Keys] | None = None,
) -> None:
    """:meth:`ScreenContext.admit` for every name column of the batch (see
    :attr:`ScreenContext.names_admitted`; ``keys``: the columns' keys, where known)."""
    for column in (*fmap.vendor, *fmap.parent, *fmap.buyer):
        if column in batch.schema.names:
            ctx.admit(batch.column(column), column, (keys or {}).get(column))


def _text_rows(batch: pa.RecordBatch, column: str, rowfilter: RowFilter | None) -> list[int]:
    if rowfilter is None:
        return list(range(batch.num_rows))
    return rowfilter.rows(batch.column(column))


def candidate_rows(
    batch: pa.RecordBatch, columns: Sequence[str], ctx: ScreenContext
) -> dict[str, list[int]]:
    """The rows of each text column the prefilter selects (an engine may work these out in
    another thread and hand them to :func:`screen_batch`)."""
    return {c: _text_rows(batch, c, ctx.rowfilter) for c in columns if c in batch.schema.names}


def _text_found(
    batch: pa.RecordBatch,
    columns: Sequence[str],
    ctx: ScreenContext,
    selected: Mapping[str, list[int]] | None = None,
) -> list[Found]:
    """Rows whose text columns name a listed company, brand or model (prefiltered)."""
    found: list[Found] = []
    selected = candidate_rows(batch, columns, ctx) if selected is None else selected
    for column in columns:
        rows = selected.get(column)
        if not rows:
            continue
        values = take_rows(batch.column(column), rows).to_pylist()
        for i, hits in zip(rows, ctx.scanner.scan_many(values), strict=True):
            rule_of = TEXT_RULES.get
            found.extend(
                (i, column, rule_of(h.rule, f"text-{h.rule}"), h.matched_text, h) for h in hits
            )
    return found


def _make_hit(rec: RecordInfo, item: Found, ctx: ScreenContext, sha: str) -> Hit | None:
    hit = _base_hit(rec, item, ctx, sha)
    if hit is None or not hit.lead:
        return hit
    entity = ctx.matcher.watchlist.get(hit.entity_id)
    if entity is None:
        return hit
    note = lead_explanation(entity, ctx.matcher.watchlist)
    return dataclasses.replace(
        hit, explanation=f"{hit.explanation}; {note}", via=hit.via or lead_via(entity)
    )


def _base_hit(rec: RecordInfo, item: Found, ctx: ScreenContext, sha: str) -> Hit | None:
    _, column, rule, text, match = item
    if isinstance(match, NameMatch):
        return _hit(
            rec,
            column,
            text,
            rule,
            match.entity,
            match.score,
            match.designations,
            match.explanation(),
            None,
            sha,
        )
    entity = ctx.matcher.watchlist.get(match.entity_id)
    if entity is None:
        return None
    designations = ctx.designations_of(entity.id)
    return _hit(
        rec,
        column,
        text,
        rule,
        entity,
        match.score,
        designations,
        match.detail,
        (match.start, match.end),
        sha,
        match.set_aside,
    )


def best_per_key(hits: list[Hit]) -> list[Hit]:
    """One hit per (row, field, entity, rule, matched text): an affirmative mention before one
    the context rules set aside, then the highest-scoring one."""
    best: dict[tuple[int, str, str, str, str], Hit] = {}
    for hit in hits:
        key = (hit.row, hit.field, hit.entity_id, hit.rule, hit.matched_text)
        if key not in best or _better(hit, best[key]):
            best[key] = hit
    return list(best.values())


def _better(hit: Hit, other: Hit) -> bool:
    if bool(hit.set_aside) != bool(other.set_aside):
        return not hit.set_aside
    return hit.score > other.score


def screen_batch(
    batch: pa.RecordBatch,
    fmap: FieldMap,
    ctx: ScreenContext,
    input_sha256: str = "",
    selected: Mapping[str, list[int]] | None = None,
) -> list[Hit]:
    """Every hit in one batch (``_source_file`` and ``_row`` columns required), in row order;
    ``selected``, when given, is :func:`candidate_rows` of the batch, worked out already."""
    found = _name_found(batch, fmap.vendor, "vendor-name", ctx)
    found += _name_found(batch, fmap.parent, "parent-name", ctx)
    found += _name_found(batch, fmap.buyer, "buyer-name", ctx)
    found += _text_found(batch, fmap.text, ctx, selected)
    if not found:
        return []
    records = _records(batch, sorted({item[0] for item in found}), fmap, ctx)
    hits = [
        h
        for item in found
        if (h := _make_hit(records[item[0]], item, ctx, input_sha256)) is not None
    ]
    return sorted(best_per_key(hits), key=lambda h: (h.row, h.field, -h.score, h.entity_id))
