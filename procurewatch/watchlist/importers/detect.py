"""Tell which list format a file is in, and read it with the matching importer."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path

from procurewatch.errors import InputError, UsageError
from procurewatch.watchlist.importers.base import FORMATS, ImportedList
from procurewatch.watchlist.importers.csl import is_csl_header, parse_csl
from procurewatch.watchlist.importers.dod1260h import is_dod1260h_header, parse_dod1260h
from procurewatch.watchlist.importers.fcc import is_fcc_header, parse_fcc
from procurewatch.watchlist.importers.ofac import looks_like_ofac, parse_ofac
from procurewatch.watchlist.importers.ofac_files import set_of_name
from procurewatch.watchlist.importers.textfile import read_head

PARSERS: dict[str, Callable[[Path], ImportedList]] = {
    "csl": parse_csl,
    "ofac": parse_ofac,
    "fcc": parse_fcc,
    "dod1260h": parse_dod1260h,
}

UNKNOWN = (
    "not a list file procurewatch can import: expected a trade.gov Consolidated Screening List "
    "CSV, OFAC's sdn.csv/cons_prim.csv, the FCC Covered List CSV or the DoD 1260H CSV "
    "(first line: {first!r}); if it is one of these, say which with --kind"
)


def _first_row(head: str) -> list[str]:
    line = re.split(r"\r\n|\r|\n", head.lstrip("\ufeff"), maxsplit=1)[0]  # a lone CR ends it too
    delimiter = ";" if line.count(";") > line.count(",") else ","
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:  # a NUL, a field over csv's size limit: not a list header
        return []


def detect(path: Path) -> str:
    """The format of a list file: ``csl``, ``ofac``, ``fcc`` or ``dod1260h``, from name and header.

    Raises :class:`InputError` (one line, naming the file) when it is none of them or cannot
    be read as UTF-8 text.
    """
    head = read_head(path)
    row = _first_row(head)
    if is_csl_header(row):
        return "csl"
    if is_fcc_header(row):
        return "fcc"
    if is_dod1260h_header(row):
        return "dod1260h"
    if looks_like_ofac(row) or (set_of_name(path.name) and row[:1] and row[0].strip().isdigit()):
        return "ofac"
    first = head.split("\n", 1)[0].rstrip("\r")[:80]
    raise InputError(UNKNOWN.format(first=first), path=str(path), line=1)


def parse_file(path: Path, fmt: str | None = None) -> ImportedList:
    """Read a list file with the importer for ``fmt`` (detected when None)."""
    if fmt is not None and fmt not in PARSERS:
        raise UsageError(f"unknown list format {fmt!r}; use one of {', '.join(FORMATS)}")
    if path.is_dir():
        raise InputError("this is a folder; pass the list file itself", path=str(path))
    if not path.is_file():
        raise InputError("no such file; check the path", path=str(path))
    return PARSERS[fmt or detect(path)](path)
