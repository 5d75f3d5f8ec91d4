"""Answer match queries in the OpenSanctions match-API shape with the procurewatch matcher.

A query's names (``name``, ``alias``, ``previousName``, ``weakAlias``) are matched by name and
its identifier properties exactly; each entity keeps its best result. Entities of a schema that
cannot be the query's (a Person for a Company) are left out. When the query gives countries and
the entity has countries and they share none, the score drops by :data:`COUNTRY_PENALTY` (as
OpenSanctions' ``country_mismatch`` qualifier does), and the explanation says so.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from procurewatch.cli_match import result_dict
from procurewatch.match.matcher import REPORT_FLOOR, Matcher, NameMatch
from procurewatch.model import Entity, Watchlist
from procurewatch.web.models_match import EntityExample

NAME_PROPS = ("name", "alias", "previousName", "weakAlias")
IDENT_PROPS = (
    "registrationNumber",
    "taxNumber",
    "leiCode",
    "idNumber",
    "uniqueEntityId",
    "dunsCode",
    "cageCode",
    "isin",
    "ticker",
    "swiftBic",
    "innCode",
    "ogrnCode",
)
COUNTRY_PROPS = ("country", "jurisdiction", "mainCountry")
COUNTRY_PENALTY = 0.1
DEFAULT_DATASET = "default"
"""The dataset name yente clients use for everything."""
MAX_NAME_CHARS = 300
MAX_WORD_CHARS = 64
"""Longest run without a space in a name: the matcher's time grows steeply with word length
(a run of Chinese characters is one word; 100 of them take ~0.1 s, 300 several seconds)."""
_WORD = re.compile(r"\S+")


def count_names(query: EntityExample) -> int:
    """How many names the query asks to match."""
    return len(_values(query, NAME_PROPS))


def _values(query: EntityExample, props: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for prop in props:
        out.extend(v.strip() for v in query.properties.get(prop, []) if v.strip())
    return list(dict.fromkeys(out))


def name_problem(names: list[str]) -> str | None:
    """Why these names cannot be matched (too long), or None."""
    for name in names:
        if len(name) > MAX_NAME_CHARS:
            return f"a name is longer than {MAX_NAME_CHARS} characters; send the name alone"
        if max((len(w) for w in _WORD.findall(name)), default=0) > MAX_WORD_CHARS:
            return (
                f"a name has a word (or run of CJK characters) longer than {MAX_WORD_CHARS} "
                "characters; send the name alone, with spaces between its parts"
            )
    return None


def schema_fits(query_schema: str, entity_schema: str) -> bool:
    """Whether an entity of ``entity_schema`` can be what a query of ``query_schema`` means."""
    if query_schema in ("Thing", "LegalEntity") or entity_schema == "LegalEntity":
        return True
    return (query_schema == "Person") == (entity_schema == "Person")


def _best(matcher: Matcher, query: EntityExample, limit: int, floor: float) -> list[NameMatch]:
    found: dict[str, NameMatch] = {}
    candidates: list[NameMatch] = []
    for value in _values(query, IDENT_PROPS):
        candidates.extend(matcher.match_identifier(value))
    for name in _values(query, NAME_PROPS):
        candidates.extend(matcher.match_name(name, limit=max(limit, 10), floor=floor))
    for item in candidates:
        known = found.get(item.entity.id)
        if known is None or item.score > known.score:
            found[item.entity.id] = item
    return [m for m in found.values() if schema_fits(query.entity_schema, m.entity.schema)]


def _properties(entity: Entity) -> dict[str, list[str]]:
    props = {"name": list(entity.all_names())}
    if entity.countries:
        props["country"] = list(entity.countries)
    return props


def _result(
    matcher: Matcher, item: NameMatch, countries: list[str], threshold: float, day: date | None
) -> dict[str, Any]:
    base = result_dict(matcher, item, day)
    feature = "identifier_match" if item.rule == "identifier" else "name_match"
    score = item.score
    features = {feature: item.score}
    explanations = {feature: {"score": item.score, "detail": base["explanation"]}}
    entity_countries = {c.casefold() for c in item.entity.countries}
    if countries and entity_countries and not entity_countries & set(countries):
        score = max(0.0, round(score - COUNTRY_PENALTY, 4))
        features["country_mismatch"] = -COUNTRY_PENALTY
        explanations["country_mismatch"] = {
            "score": -COUNTRY_PENALTY,
            "detail": f"query country {', '.join(countries)}; entity country "
            f"{', '.join(sorted(entity_countries))}",
        }
    return {
        "id": item.entity.id,
        "caption": item.entity.caption,
        "schema": item.entity.schema,
        "score": score,
        "match": score >= threshold,
        "features": features,
        "explanations": explanations,
        "matched_name": base["matched_name"],
        "matched_name_kind": base["matched_name_kind"],
        "rule": item.rule,
        "lead": item.entity.lead,
        "datasets": [item.entity.dataset],
        "designations": base["designations"],
        "properties": _properties(item.entity),
    }


def known_datasets(watchlist: Watchlist) -> set[str]:
    """Dataset names ``POST /match/{dataset}`` accepts: ``default``, the entities' datasets
    and the list ids."""
    return {DEFAULT_DATASET, *(e.dataset for e in watchlist.entities.values()), *watchlist.lists}


def in_dataset(result: dict[str, Any], dataset: str) -> bool:
    """Whether a result belongs to ``dataset``: its own dataset, or a list designating it."""
    if dataset == DEFAULT_DATASET or dataset in result["datasets"]:
        return True
    return any(d.get("list") == dataset for d in result["designations"])


def match_query(
    matcher: Matcher,
    query: EntityExample,
    *,
    threshold: float,
    limit: int,
    day: date | None,
    dataset: str = DEFAULT_DATASET,
) -> dict[str, Any]:
    """The response to one query: ``{"status", "query", "total", "results"}``, only the
    results in ``dataset`` (see :func:`in_dataset`)."""
    echo = query.model_dump(by_alias=True)
    names = _values(query, NAME_PROPS)
    problem = name_problem(names)
    if not names and not _values(query, IDENT_PROPS):
        problem = "the query has no name; give properties.name (or an identifier property)"
    if problem:
        return {
            "status": 400,
            "query": echo,
            "total": {"value": 0, "relation": "eq"},
            "results": [],
            "error": problem,
        }
    countries = [c.casefold() for c in _values(query, COUNTRY_PROPS)]
    floor = min(threshold, REPORT_FLOOR)
    results = [
        _result(matcher, item, countries, threshold, day)
        for item in _best(matcher, query, limit, floor)
    ]
    results.sort(key=lambda r: (-r["score"], -len(r["designations"]), r["id"]))
    results = [r for r in results if r["score"] >= floor and in_dataset(r, dataset)][:limit]
    return {
        "status": 200,
        "query": echo,
        "total": {"value": len(results), "relation": "eq"},
        "results": results,
    }
