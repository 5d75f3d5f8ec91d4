"""Equipment inventories: asset lists (CSV/TSV/XLSX/JSON/JSON Lines) and nmap XML scans.

An asset list is read by the procurement readers (:func:`procurewatch.ingest.base.open_input`);
only the roles differ. The columns' roles are guessed from their names:

``mac``           MAC / MAC address / HW address / hardware or physical address (several)
``manufacturer``  manufacturer / vendor / make / brand / OEM (several)
``model``         model / model number / product / part number (several)
``banner``        description / notes / OS / firmware / services / device type (scanned as text)
``serial``        serial / serial number / S/N
``hostname``      hostname / host / device name / name / FQDN
``ip``            IP / IP address / IPv4
``site``          site / location / building / campus / room / floor (several, joined)

``--map ROLE=COLUMN`` overrides a guess (several columns comma-separated; an empty COLUMN
clears the role). An nmap XML file (``nmap -oX``) is recognized by its content and has fixed
roles, which ``--map`` does not change (see :mod:`procurewatch.ingest.nmap`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path

import pyarrow as pa

from procurewatch.errors import InputError, UsageError
from procurewatch.ingest.base import FieldMap, InputReader, one_line, open_input
from procurewatch.ingest.nmap import NmapReader, check_nmap_xml

INVENTORY_FORMATS = ("csv", "tsv", "xlsx", "json", "jsonl", "nmap")
"""Formats ``--format`` accepts for inventories (detected when not given)."""
MULTI = ("mac", "manufacturer", "model", "banner", "site")
"""Roles that take several columns."""

_WORDS = re.compile(r"[a-z]+|[0-9]+|[^\x00-\x7f]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_GUESS_TABLE = (
    # role, whole names (separators and case ignored), word sets ("|" between sets)
    ("model", "product productname partnumber pn sku", "model"),
    ("manufacturer", "mfr mfg oem maker", "manufacturer | vendor | make | brand"),
    ("mac", "mac hwaddr hwaddress bssid", "mac | hw address | hardware address | physical address"),
    ("ip", "ip ipv4 ipaddr ipv4address", "ip | ipv4"),
    ("serial", "sn serial", "serial"),
    ("hostname", "host name devicename computername assetname fqdn dnsname nodename device",
     "hostname | host name"),
    ("site", "", "site | location | building | campus | facility | room | floor | office | branch"),
    ("banner", "description notes note os operatingsystem firmware services banner comment "
     "comments devicetype type category cpe", "description | firmware | os | type"),
)  # fmt: skip
_GUESS = tuple(
    (role, frozenset(exact.split()), tuple(tuple(p.split()) for p in words.split("|")))
    for role, exact, words in _GUESS_TABLE
)
"""Per role, in order of precedence: whole names, then word sets any of which names the role."""
_NOT = frozenset({"id", "code", "contact", "email", "phone", "date", "count", "qty", "cost"})


@dataclass(frozen=True, slots=True)
class InventoryMap:
    """Which columns of an inventory play which device role (see the module docstring)."""

    mac: tuple[str, ...] = ()
    manufacturer: tuple[str, ...] = ()
    model: tuple[str, ...] = ()
    banner: tuple[str, ...] = ()
    site: tuple[str, ...] = ()
    serial: str | None = None
    hostname: str | None = None
    ip: str | None = None

    def screened(self) -> tuple[str, ...]:
        """The columns that can flag a device (MAC, manufacturer, model, banner)."""
        return (*self.mac, *self.manufacturer, *self.model, *self.banner)


ROLES = tuple(f.name for f in fields(InventoryMap))
"""Every inventory role, for ``--map``."""
NMAP_MAP = InventoryMap(
    mac=("mac",),
    manufacturer=("mac_vendor", "os_vendor"),
    model=(),
    banner=("os", "services", "device_type", "cpe"),
    hostname="hostname",
    ip="ipv4",
)
"""The fixed roles of an nmap row (the MAC vendor is nmap's own OUI lookup)."""


@dataclass
class InventoryInput:
    """An opened inventory: its reader (Arrow batches, rejects) and its roles."""

    reader: InputReader
    roles: InventoryMap


def _words(column: str) -> tuple[str, ...]:
    return tuple(_WORDS.findall(_CAMEL.sub(" ", column).casefold()))


def _role_of(column: str) -> str | None:
    words = _words(column)
    flat = "".join(words)
    for role, exact, phrases in _GUESS:
        if flat in exact:
            return role
        if set(words) & _NOT:
            continue
        if any(all(w in words for w in phrase) for phrase in phrases):
            return role
    return None


def guess_inventory_map(columns: Sequence[str]) -> InventoryMap:
    """The roles of ``columns`` from their names; the first column wins a single role."""
    found: dict[str, list[str]] = {role: [] for role in ROLES}
    for column in columns:
        role = _role_of(column)
        if role is not None:
            found[role].append(column)
    parts = {r: tuple(c) if r in MULTI else (c[0] if c else None) for r, c in found.items()}
    return InventoryMap(**parts)  # type: ignore[arg-type]


def _column(name: str, columns: Sequence[str], role: str, path: str) -> str:
    if name in columns:
        return name
    loose = [c for c in columns if "".join(_words(c)) == "".join(_words(name))]
    if len(loose) == 1:
        return loose[0]
    raise InputError(
        f"--map {role}={one_line(name)}: no such column; the columns are: {_listing(columns)}",
        path=path,
    )


def _listing(columns: Sequence[str], limit: int = 40) -> str:
    """Column names for a one-line message (a name may hold a line break)."""
    shown = ", ".join(one_line(column, 60) for column in columns[:limit])
    return shown + (f" ... ({len(columns)} in all)" if len(columns) > limit else "")


def apply_inventory_mapping(
    roles: InventoryMap, mapping: Mapping[str, str] | None, columns: Sequence[str], path: str
) -> InventoryMap:
    """``roles`` with the user's ``--map ROLE=COLUMN`` choices."""
    for role, value in (mapping or {}).items():
        if role not in ROLES:
            raise UsageError(f"unknown role {role!r} in --map; use one of: {', '.join(ROLES)}")
        names = [n.strip() for n in value.split(",")] if role in MULTI else [value.strip()]
        chosen = tuple(_column(n, columns, role, path) for n in names if n)
        value_of: object = chosen if role in MULTI else (chosen[0] if chosen else None)
        roles = replace(roles, **{role: value_of})  # type: ignore[arg-type]
    return roles


def is_nmap(path: Path) -> bool:
    """Whether a file looks like nmap XML (by its first bytes)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return False
    return head.startswith(b"<?xml") or head.startswith(b"<nmaprun") or b"<nmaprun" in head


def _reader(path: Path, fmt: str | None, batch_size: int) -> tuple[InputReader, InventoryMap]:
    if fmt == "nmap" or (fmt is None and path.is_file() and is_nmap(path)):
        check_nmap_xml(path)
        return NmapReader(path=path, batch_size=batch_size), NMAP_MAP
    # an asset list need not have the vendor or description column procurement screening needs
    reader: InputReader = open_input(path, fmt=fmt, batch_size=batch_size, require_roles=False)
    return reader, guess_inventory_map(reader.columns)


def open_inventory(
    path: Path,
    *,
    mapping: Mapping[str, str] | None = None,
    fmt: str | None = None,
    batch_size: int = 65536,
) -> InventoryInput:
    """Open an inventory file: format detected (or ``fmt``), device roles guessed and mapped.

    Raises :class:`InputError` when the file cannot be read or has no column that can flag a
    device (MAC, manufacturer, model or description).
    """
    path = Path(path)
    if fmt is not None and fmt not in INVENTORY_FORMATS:
        known = ", ".join(INVENTORY_FORMATS)
        raise UsageError(f"unknown inventory format {fmt!r}; use one of: {known}")
    reader, roles = _reader(path, fmt, batch_size)
    if reader.format != "nmap":  # nmap rows have fixed roles
        if not mapping and looks_like_procurement(reader.field_map, roles):
            raise _procurement_error(reader, path)
        roles = apply_inventory_mapping(roles, mapping, reader.columns, str(path))
    if not roles.screened():
        listing = _listing(reader.columns)
        raise InputError(
            "found no MAC, manufacturer, model or description column; the columns are: "
            f"{listing}; say which to use with --map mac=COL --map manufacturer=COL",
            path=str(path),
        )
    return InventoryInput(reader, roles)


_MAKER_WORDS = frozenset({"manufacturer", "make", "brand", "mfr", "mfg", "oem", "maker"})


def looks_like_procurement(field_map: FieldMap, roles: InventoryMap) -> bool:
    """Whether a table is procurement data rather than a device inventory: no MAC, model,
    serial, IP or host name column, no column named for a maker (only vendor/supplier/payee
    names, which say who was paid, not who made a device), and an amount column."""
    if roles.mac or roles.model or roles.serial or roles.ip or roles.hostname:
        return False
    makers = [c for c in roles.manufacturer if _MAKER_WORDS & set(_words(c))]
    return not makers and field_map.amount is not None and bool(field_map.vendor)


def _procurement_error(reader: InputReader, path: Path) -> InputError:
    fmap = reader.field_map
    shown = ", ".join(dict.fromkeys(c for c in (*fmap.vendor, fmap.amount, fmap.date) if c))
    return InputError(
        f"this looks like procurement data (columns {shown}), not a device inventory: it has no "
        "MAC address, manufacturer or model column; screen it with `procurewatch screen "
        f"{path} --out DIR`, or, if it is an inventory, name its columns with --map "
        "manufacturer=COL --map model=COL",
        path=str(path),
    )


@dataclass(frozen=True, slots=True)
class Device:
    """One inventory row, by role: (column, value) pairs for the screened roles."""

    source_file: str
    row: int
    macs: tuple[tuple[str, str], ...] = ()
    manufacturers: tuple[tuple[str, str], ...] = ()
    models: tuple[tuple[str, str], ...] = ()
    banners: tuple[tuple[str, str], ...] = ()
    site: str | None = None
    serial: str | None = None
    hostname: str | None = None
    ip: str | None = None

    @property
    def manufacturer(self) -> str:
        """The manufacturer values joined."""
        return "; ".join(v for _, v in self.manufacturers)

    @property
    def model(self) -> str:
        """The model values joined."""
        return "; ".join(v for _, v in self.models)

    @property
    def mac(self) -> str:
        """The MAC values joined."""
        return "; ".join(v for _, v in self.macs)

    def label(self) -> str:
        """How a person finds the device: host name, else IP, MAC, model or the row."""
        return self.hostname or self.ip or self.mac or self.model or f"row {self.row}"


def _values(batch: pa.RecordBatch, columns: Sequence[str]) -> list[list[tuple[str, str]]]:
    out: list[list[tuple[str, str]]] = [[] for _ in range(batch.num_rows)]
    for column in columns:
        if column in batch.schema.names:
            for i, value in enumerate(batch.column(column).to_pylist()):
                if value is not None and str(value).strip():
                    out[i].append((column, str(value).strip()))
    return out


def _first(batch: pa.RecordBatch, column: str | None) -> list[str | None]:
    values = _values(batch, [column] if column else [])
    return [pairs[0][1] if pairs else None for pairs in values]


def devices(batch: pa.RecordBatch, roles: InventoryMap) -> list[Device]:
    """The devices of one batch (``_source_file`` and ``_row`` columns required)."""
    files, rows = batch.column("_source_file").to_pylist(), batch.column("_row").to_pylist()
    macs, makers = _values(batch, roles.mac), _values(batch, roles.manufacturer)
    models, banners = _values(batch, roles.model), _values(batch, roles.banner)
    sites = [" / ".join(v for _, v in pairs) or None for pairs in _values(batch, roles.site)]
    serials, hosts = _first(batch, roles.serial), _first(batch, roles.hostname)
    ips = _first(batch, roles.ip)
    return [
        Device(str(files[i]), int(rows[i]), tuple(macs[i]), tuple(makers[i]), tuple(models[i]),
               tuple(banners[i]), sites[i], serials[i], hosts[i], ips[i])
        for i in range(batch.num_rows)
    ]  # fmt: skip
