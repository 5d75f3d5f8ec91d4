"""nmap scan results (``nmap -oX``): one inventory row per scanned host.

Each ``<host>`` becomes a row with its MAC address and the vendor nmap gives it, its IPv4/IPv6
addresses, host names, OS guesses (``<osmatch name>``, ``<osclass vendor type>``), the device
types nmap saw and the service banners of open ports (``<service product version extrainfo
devicetype>`` and their CPEs). ``_row`` is the host's number in the file (1-based, counting every
``<host>``); hosts that are not up are skipped.

XML safety: real nmap output starts with a bare ``<!DOCTYPE nmaprun>``, which is allowed; a
document type with an internal subset or an external DTD, or any entity declaration, is refused
(:class:`~procurewatch.errors.InputError`), so entity expansion ("billion laughs") and external
references cannot happen. Hosts are parsed one at a time and then dropped (bounded memory). A
scan cut off midway keeps the hosts before the cut and reports the cut as a rejected row.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

import pyarrow as pa

from procurewatch.errors import InputError
from procurewatch.ingest.base import BaseReader

NMAP_COLUMNS = (
    "mac",
    "mac_vendor",
    "ipv4",
    "ipv6",
    "hostname",
    "os",
    "os_vendor",
    "device_type",
    "services",
    "cpe",
    "status",
)
"""Columns of an nmap row."""
TOP_OS_MATCHES = 3
"""OS guesses kept per host (nmap lists them best first)."""


class _Unsafe(Exception):
    """The prolog declares something an nmap file never needs."""


class _RootReached(Exception):
    """The first element started: the prolog is checked."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _refuse_doctype(name: str, sysid: str | None, pubid: str | None, internal: int) -> None:
    if sysid or pubid or internal:
        raise _Unsafe(f"a document type <!DOCTYPE {name} ...> with a DTD")


def _refuse_entity(name: str, *_: object) -> None:
    raise _Unsafe(f"an entity declaration ({name})")


def _stop_at_root(name: str, _attrs: object) -> None:
    raise _RootReached(name)


def check_nmap_xml(path: Path) -> None:
    """Refuse unsafe or non-nmap XML: the root must be ``<nmaprun>``, no DTD, no entities."""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_entity
    parser.UnparsedEntityDeclHandler = _refuse_entity
    parser.StartElementHandler = _stop_at_root
    try:
        with path.open("rb") as fh:
            parser.ParseFile(fh)
    except _RootReached as root:
        if root.name != "nmaprun":
            raise InputError(
                f"an XML file whose root is <{root.name}>, not nmap's <nmaprun>; "
                "give the output of nmap -oX",
                path=str(path),
            ) from None
        return
    except _Unsafe as err:
        raise InputError(
            f"refused: the XML contains {err}, which nmap output never has; "
            "give the file nmap -oX wrote",
            path=str(path),
        ) from None
    except expat.ExpatError as err:
        raise InputError(
            f"not valid XML ({expat.errors.messages.get(err.code, err)} at line "
            f"{err.lineno}); give the output of nmap -oX",
            path=str(path),
        ) from None
    except OSError as err:
        raise InputError(f"cannot read the file ({err.strerror})", path=str(path)) from None
    raise InputError("no <nmaprun> element found; give the output of nmap -oX", path=str(path))


def _join(values: list[str], sep: str = "; ") -> str | None:
    kept = [v for v in dict.fromkeys(v.strip() for v in values) if v]
    return sep.join(kept) or None


def _service(port: ET.Element) -> tuple[str | None, list[str], list[str]]:
    """(banner line, device types, CPEs) of one open port."""
    state = port.find("state")
    service = port.find("service")
    if service is None or (state is not None and state.get("state") != "open"):
        return None, [], []
    parts = [service.get(k, "") for k in ("product", "version", "extrainfo")]
    text = " ".join(p for p in parts if p) or service.get("name", "")
    where = f"{port.get('portid', '?')}/{port.get('protocol', '?')} {service.get('name', '')}"
    cpes = [c.text or "" for c in service.findall("cpe")]
    banner = f"{where.strip()}: {text}" if text else None
    return banner, [service.get("devicetype", "")], cpes


def _addresses(host: ET.Element) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {"ipv4": [], "ipv6": [], "mac": [], "vendor": []}
    for address in host.findall("address"):
        kind = address.get("addrtype", "")
        if kind in found:
            found[kind].append(address.get("addr", ""))
        if kind == "mac":
            found["vendor"].append(address.get("vendor", ""))
    return found


def host_row(host: ET.Element) -> dict[str, str | None]:
    """The inventory row of one ``<host>`` element."""
    addresses = _addresses(host)
    matches = host.findall("os/osmatch")[:TOP_OS_MATCHES]
    classes = [c for m in matches for c in m.findall("osclass")]
    types = [c.get("type", "") for c in classes]
    cpes = [c.text or "" for m in matches for c in m.findall("osclass/cpe")]
    banners: list[str] = []
    for port in host.findall("ports/port"):
        banner, port_types, port_cpes = _service(port)
        banners += [banner] if banner else []
        types += port_types
        cpes += port_cpes
    status = host.find("status")
    return {
        "mac": _join(addresses["mac"]),
        "mac_vendor": _join(addresses["vendor"]),
        "ipv4": _join(addresses["ipv4"]),
        "ipv6": _join(addresses["ipv6"]),
        "hostname": _join([h.get("name", "") for h in host.findall("hostnames/hostname")]),
        "os": _join([m.get("name", "") for m in matches], " | "),
        "os_vendor": _join([c.get("vendor", "") for c in classes]),
        "device_type": _join(types),
        "services": _join(banners),
        "cpe": _join(cpes, " "),
        "status": status.get("state") if status is not None else None,
    }


@dataclass
class NmapReader(BaseReader):
    """Hosts of an nmap XML file as inventory rows."""

    format: str = "nmap"
    columns: tuple[str, ...] = NMAP_COLUMNS
    hosts_down: int = field(default=0)

    def batches(self) -> Iterator[pa.RecordBatch]:
        """Batches of up to ``batch_size`` hosts that are up."""
        check_nmap_xml(self.path)
        self.rejects.clear()
        self.hosts_down = 0
        rows: list[dict[str, str | None]] = []
        numbers: list[int] = []
        for number, row in self._hosts():
            if row.get("status") not in (None, "up"):
                self.hosts_down += 1
                continue
            rows.append(row)
            numbers.append(number)
            if len(rows) >= self.batch_size:
                yield self.batch_from_rows(rows, numbers)
                rows, numbers = [], []
        if rows:
            yield self.batch_from_rows(rows, numbers)

    def _hosts(self) -> Iterator[tuple[int, dict[str, str | None]]]:
        number = 0
        events = ET.iterparse(self.path, events=("start", "end"))
        root: ET.Element | None = None
        try:
            for event, element in events:
                if root is None:
                    root = element
                if event == "end" and element.tag == "host":
                    number += 1
                    yield number, host_row(element)
                    root.clear()
        except ET.ParseError as err:
            line = err.position[0] if err.position else None
            if number == 0:
                raise InputError(
                    f"not valid nmap XML ({err}); give the output of nmap -oX", path=str(self.path)
                ) from None
            self.reject(
                line,
                f"the XML breaks off after host {number} ({err}); "
                "was the scan interrupted? hosts before this point were read",
            )
