"""Read the IEEE registry files into :class:`~procurewatch.match.oui.Block` s (the I/O edge).

* MA-L (/24) and IAB (/36): the copies of the IEEE registry that **netaddr ships**
  (``netaddr/eui/oui.txt`` and ``iab.txt``, found with :mod:`importlib.resources`);
* MA-M (/28) and MA-S (/36): ``procurewatch/match/data/oui_blocks.csv``, an extract of
  Wireshark's ``manuf`` file (see its header);
* optionally a whole, newer ``manuf`` file given by the user (``--manuf``), whose blocks of every
  width win: netaddr 1.3.0's copy of the registry dates from 2024-05 and lacks later blocks.

The parsers take lines and are pure; :func:`load_index` reads the files once per process.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

from procurewatch.errors import InputError
from procurewatch.match.oui import BITS, Block, OuiIndex

_HEX_LINE = re.compile(r"^([0-9A-F]{2})-([0-9A-F]{2})-([0-9A-F]{2})\s+\(hex\)\s*(.*)$")
_IAB_RANGE = re.compile(r"^([0-9A-F]{3})[0-9A-F]{3}-[0-9A-F]{6}\s+\(base 16\)\s*(.*)$")
_MANUF_BLOCK = re.compile(r"^([0-9A-Fa-f]{2}(?:[:\-.][0-9A-Fa-f]{2}){2,5})(?:/(\d{2}))?$")
BLOCKS_FILE = "oui_blocks.csv"


def parse_ieee(lines: Iterable[str], registry: str) -> Iterator[Block]:
    """Blocks of an IEEE ``oui.txt`` (MA-L, /24) or ``iab.txt`` (IAB, /36) text."""
    oui: str | None = None
    for line in lines:
        text = line.strip()
        hex_line = _HEX_LINE.match(text)
        if hex_line:
            oui = "".join(hex_line.group(1, 2, 3))
            if "IAB" not in registry:
                yield Block(int(oui, 16), 24, hex_line.group(4).strip(), registry)
            continue
        iab = _IAB_RANGE.match(text)
        if iab and oui is not None and "IAB" in registry:
            yield Block(int(oui + iab.group(1), 16), 36, iab.group(2).strip(), registry)


def parse_block(text: str) -> tuple[int, int] | None:
    """``14:AE:85:30/28`` -> (prefix, 28); a block without ``/bits`` is a /24."""
    found = _MANUF_BLOCK.match(text.strip())
    if not found:
        return None
    bits = int(found.group(2) or 24)
    digits = re.sub(r"[:\-.]", "", found.group(1))
    if bits not in BITS or len(digits) * 4 < bits:
        return None
    return int(digits[: bits // 4], 16), bits


def parse_manuf(
    lines: Iterable[str], registry: str, *, widths: tuple[int, ...] = (28, 36)
) -> Iterator[Block]:
    """Blocks of a Wireshark ``manuf`` text (tab separated: block, short name, long name)."""
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.rstrip("\r\n").split("\t")
        parsed = parse_block(parts[0])
        if parsed is None or parsed[1] not in widths:
            continue
        org = (parts[2] if len(parts) > 2 and parts[2].strip() else parts[-1]).strip()
        yield Block(parsed[0], parsed[1], org, registry)


def parse_blocks_csv(lines: Iterable[str], registry: str) -> Iterator[Block]:
    """Blocks of ``oui_blocks.csv`` (``block,organization``; ``#`` lines are comments)."""
    rows = csv.reader(line for line in lines if line.strip() and not line.startswith("#"))
    for row in rows:
        parsed = parse_block(row[0]) if row else None
        if parsed is not None and len(row) > 1:
            yield Block(parsed[0], parsed[1], row[1].strip(), registry)


def _netaddr_blocks() -> Iterator[Block]:
    version = metadata.version("netaddr")
    folder = resources.files("netaddr.eui")
    for name, label in (("oui.txt", "IEEE MA-L"), ("iab.txt", "IEEE IAB")):
        text = (folder / name).read_bytes().decode("utf-8", errors="replace")
        yield from parse_ieee(text.splitlines(), f"{label} (netaddr {version} {name})")


def _bundled_blocks() -> Iterator[Block]:
    path = resources.files("procurewatch.match") / "data" / BLOCKS_FILE
    text = path.read_text(encoding="utf-8")
    registry = "IEEE MA-M/MA-S (Wireshark manuf, procurewatch extract)"
    yield from parse_blocks_csv(text.splitlines(), registry)


def read_manuf(path: Path) -> list[Block]:
    """Every block (/24, /28, /36) of a whole Wireshark ``manuf`` file the user gives: newer
    than the registry netaddr ships, so its blocks take precedence."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        why = f"cannot read the manuf file ({exc.strerror}); check the path"
        raise InputError(why, path=str(path)) from None
    label = f"IEEE registry (Wireshark manuf {path.name})"
    blocks = list(parse_manuf(text.splitlines(), label, widths=BITS))
    if not blocks:
        raise InputError("no MAC block found; give Wireshark's manuf file", path=str(path))
    return blocks


@lru_cache(maxsize=1)
def load_index() -> OuiIndex:
    """The registry netaddr ships plus the bundled MA-M/MA-S extract (read once)."""
    return OuiIndex([*_bundled_blocks(), *_netaddr_blocks()])


def load_index_with(manuf: Path | None) -> OuiIndex:
    """:func:`load_index`, with the blocks of a Wireshark ``manuf`` file first if one is given."""
    if manuf is None:
        return load_index()
    return OuiIndex([*read_manuf(manuf), *load_index().blocks()])
