"""Which column plays which role: guessed from common names, overridden with ``--map``.

The vocabulary is data, in ``columns.yaml`` next to this module: per role, ``exact`` names
(vendor, vendor_name, payee, supplier, recipient, contractor, company, 供应商, 中标人,
中标供应商, 成交供应商 ...; description, item_description, memo, purpose, commodity,
项目名称, 采购内容, 标的名称, 品目 ...; amount, total, value, 金额, 中标金额, 成交金额 ...;
date, payment_date, check_date, 日期, 公告日期 ...; department, agency, buyer, fund, 采购人,
采购单位 ...; state, country, city ...),
then ``contains`` words for names like "Line Item Description", with ``not`` words that keep
"Vendor ID" or "Vendor Address" out. Names compare without case, spaces, ``_``, ``-``, ``.``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

from procurewatch import yamlload
from procurewatch.errors import InputError
from procurewatch.ingest.base import MULTI_ROLES, ROLES, FieldMap, one_line
from procurewatch.normalize.han import to_simplified

_SEPARATORS = re.compile(r"[\s_\-./]+")
_TOKENS = re.compile(r"[a-z]+|[0-9]+|[^\x00-\x7f]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def normalize(name: str) -> str:
    """A column name without case and separators, in simplified characters: ``"Vendor Name"``
    → ``"vendorname"``, ``廠商名稱`` → ``厂商名称``."""
    return to_simplified(_SEPARATORS.sub("", name.casefold()))


@cache
def vocabulary() -> dict[str, Any]:
    """The parsed ``columns.yaml``."""
    text = resources.files("procurewatch.ingest").joinpath("columns.yaml").read_text("utf-8")
    data: dict[str, Any] = yamlload.safe_load(text)
    return data


def guess_field_map(columns: Sequence[str]) -> FieldMap:
    """The roles of ``columns`` from their names (roles with no match stay empty)."""
    parts: dict[str, Any] = {}
    for role in ROLES:
        found = _match(role, columns)
        parts[role] = tuple(found) if role in MULTI_ROLES else (found[0] if found else None)
    return FieldMap(**parts)


def is_checkbook(columns: Sequence[str]) -> bool:
    """Whether a table looks like a checkbook/payments export."""
    markers = {normalize(name) for name in vocabulary()["checkbook_markers"]}
    return any(normalize(column) in markers for column in columns)


def _match(role: str, columns: Sequence[str]) -> list[str]:
    rules = vocabulary()[role]
    by_name = {normalize(column): column for column in reversed(columns)}
    exact = [by_name[key] for key in dict.fromkeys(normalize(n) for n in rules["exact"])
             if key in by_name]
    if exact:
        return exact
    words = [normalize(word) for word in rules.get("contains") or []]
    banned = [normalize(word) for word in rules.get("not") or []]
    return [
        column for column in columns
        if any(word in normalize(column) for word in words) and not _banned(column, banned)
    ]


def _banned(column: str, banned: list[str]) -> bool:
    """Whether a ``not`` word occurs: words of 4+ characters anywhere, short ones as tokens."""
    tokens = set(_TOKENS.findall(_CAMEL.sub(" ", column).casefold()))
    flat = normalize(column)
    return any(word in tokens or (len(word) >= 4 and word in flat) or
               (not word.isascii() and word in flat) for word in banned)


def apply_mapping(
    field_map: FieldMap, mapping: Mapping[str, str] | None, columns: Sequence[str], path: str
) -> FieldMap:
    """``field_map`` with the user's ``--map ROLE=COLUMN`` choices (empty COLUMN clears a role).

    For several-column roles the value may list columns separated by commas.
    """
    if not mapping:
        return field_map
    parts = {role: getattr(field_map, role) for role in ROLES}
    for role, value in mapping.items():
        if role not in ROLES:
            raise InputError(
                f"unknown role {one_line(role)!r} in --map; use one of: {', '.join(ROLES)}",
                path=path,
            )
        chosen = _resolve(role, value, columns, path)
        parts[role] = tuple(chosen) if role in MULTI_ROLES else (chosen[0] if chosen else None)
    return FieldMap(**parts)


def _resolve(role: str, value: str, columns: Sequence[str], path: str) -> list[str]:
    """The columns ``value`` names: exactly, else without case/separators, else comma-split."""
    value = value.strip()
    if not value:
        return []
    for candidates in ([value], value.split(",")) if role in MULTI_ROLES else ([value],):
        found = [_lookup(name.strip(), columns) for name in candidates]
        if all(name is not None for name in found):
            return [name for name in found if name is not None]
    raise InputError(
        f"--map {role}={one_line(value)}: no such column; the columns are: {_listing(columns)}",
        path=path,
    )


def _lookup(name: str, columns: Sequence[str]) -> str | None:
    if name in columns:
        return name
    loose = [column for column in columns if normalize(column) == normalize(name)]
    return loose[0] if len(loose) == 1 else None


def _listing(columns: Sequence[str], limit: int = 40) -> str:
    shown = ", ".join(one_line(column, 60) for column in columns[:limit])
    return shown + (f" ... ({len(columns)} in all)" if len(columns) > limit else "")


def require_screenable(field_map: FieldMap, columns: Sequence[str], path: str) -> None:
    """Fail when there is nothing to screen: no vendor column and no text column."""
    if field_map.vendor or field_map.text:
        return
    raise InputError(
        "found no vendor-name or description column; the columns are: "
        f"{_listing(columns)}; say which to screen with --map vendor=COL --map text=COL",
        path=path,
    )


def describe_field_map(field_map: FieldMap) -> str:
    """The roles and their columns in one line, with the amount's unit and currency and the
    date order: ``vendor=Payee; text=Description; amount=Importe (decimal comma, EUR)``."""
    parts = []
    for role in ROLES:
        value = getattr(field_map, role)
        names = value if isinstance(value, tuple) else (value,) if value else ()
        if names:
            parts.append(
                f"{role}={', '.join(one_line(n, 60) for n in names)}{_detail(role, field_map)}"
            )
    return "; ".join(parts) or "no columns recognised"


def _detail(role: str, field_map: FieldMap) -> str:
    amount = field_map.formats.amount
    if role == "amount":
        details = [
            f"x{amount.unit:,.0f} ({amount.unit_label})" if amount.unit != 1 else "",
            "decimal comma" if amount.decimal == "," else "",
            amount.currency or "",
        ]
    elif role == "date":
        details = ["day first" if field_map.formats.day_first else ""]
    else:
        return ""
    shown = [d for d in details if d]
    return f" ({', '.join(shown)})" if shown else ""
