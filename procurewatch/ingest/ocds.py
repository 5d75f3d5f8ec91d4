"""Open Contracting Data Standard files: release packages, record packages and JSON Lines.

Packages are streamed release by release (or record by record), so their size does not matter;
a record gives its ``compiledRelease`` when it has one, else its embedded releases. A JSON Lines
file may hold releases, records or whole packages, one per line. Every release is flattened by
:mod:`.ocds_flatten`; ``_row`` is the release/record number in the package (the line number in
JSON Lines), shared by all rows flattened from it. OCDS 1.0 and 1.1 are both read.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from procurewatch.errors import InputError
from procurewatch.ingest.base import BaseReader, FieldMap
from procurewatch.ingest.jsonfiles import Item, iter_items
from procurewatch.ingest.jsonstream import JsonScanner
from procurewatch.ingest.ocds_flatten import COLUMNS, Row, release_rows

FORMATS = ("ocds-release-package", "ocds-record-package", "ocds-jsonl")
PACKAGE_KEYS = ("releases", "records")

FIELD_MAP = FieldMap(
    vendor=("supplier_name",),
    buyer=("buyer_name",),
    text=("tender_title", "tender_description", "award_title", "award_description",
          "contract_title", "contract_description", "item_description", "item_classification"),
    amount="amount",
    currency="currency",
    date="date",
    record_id="ocid",
)
"""The roles of the flattened OCDS columns."""


def sniff_package(text: str) -> str | None:
    """``ocds-release-package``/``ocds-record-package`` from the start of a JSON file, or None."""
    if '"ocid"' not in text:
        return None
    scanner = JsonScanner(io.StringIO(text), "sample")
    with contextlib.suppress(InputError):  # the sample may end inside the first element
        next(scanner.elements(PACKAGE_KEYS), None)
    if not scanner.streamed or "ocid" in scanner.keys:
        return None  # a single release or record is not a package
    key = scanner.keys[-1] if scanner.keys else "releases"
    return "ocds-record-package" if key == "records" else "ocds-release-package"


def sniff_lines(text: str) -> bool:
    """Whether a JSON Lines sample holds OCDS releases, records or packages."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    try:
        value = json.loads(first)
    except (json.JSONDecodeError, RecursionError):
        return '"ocid"' in first[:4096]
    return isinstance(value, dict) and ("ocid" in value or _is_package(value))


def _is_package(value: Mapping[str, Any]) -> bool:
    return any(isinstance(value.get(key), list) for key in PACKAGE_KEYS) and "ocid" not in value


@dataclass
class OcdsReader(BaseReader):
    """An OCDS package or JSON Lines file, flattened to award/contract/transaction rows."""

    encoding: str = "utf-8"

    def batches(self) -> Iterator[pa.RecordBatch]:
        """Batches of about ``batch_size`` flattened rows."""
        self.rejects.clear()
        rows: list[Row] = []
        numbers: list[int] = []
        for item in self._items():
            for release in self._releases(item):
                flat = release_rows(release)
                rows += flat
                numbers += [item.row] * len(flat)
            if len(rows) >= self.batch_size:
                yield self.batch_from_rows(rows, numbers)
                rows, numbers = [], []
        if rows:
            yield self.batch_from_rows(rows, numbers)

    def _items(self) -> Iterator[Item]:
        if self.format == "ocds-jsonl":
            yield from iter_items(self.path, self.encoding, lines=True)
            return
        with self.path.open(encoding=self.encoding, errors="replace", newline="") as handle:
            scanner = JsonScanner(handle, str(self.path))
            for element in scanner.elements(PACKAGE_KEYS):
                yield Item(element.index, element.line, element.value, key=element.key)
            if not scanner.streamed:
                raise InputError("no releases or records in this OCDS package; check the file",
                                 path=str(self.path))

    def _releases(self, item: Item) -> list[Mapping[str, Any]]:
        """The releases one package element or line stands for (rejects what cannot be read)."""
        if item.error is not None:
            self.reject(item.line, item.error, item.raw, item.row)
            return []
        value, key = item.value, item.key
        if not isinstance(value, dict):
            self.reject(item.line, f"expected an OCDS release or record, found a "
                        f"{type(value).__name__}", json.dumps(value)[:200], item.row)
            return []
        found = _unpack(value, key)
        if not found:
            self.reject(item.line, "record has no compiledRelease and no embedded release "
                        "(only linked ones); publish compiled releases or give the releases",
                        str(value.get("ocid", "")), item.row)
        return found


def _unpack(value: Mapping[str, Any], key: str | None) -> list[Mapping[str, Any]]:
    """Releases of a release, a record, or a package given as one JSON Lines line."""
    if key is None and _is_package(value):
        out: list[Mapping[str, Any]] = []
        for inner_key in PACKAGE_KEYS:
            for inner in value.get(inner_key) or []:
                if isinstance(inner, dict):
                    out += _unpack(inner, inner_key)
        return out
    is_record = key == "records" or (key is None and ("compiledRelease" in value
                                                     or "releases" in value))
    if not is_record:
        return [value]
    compiled = value.get("compiledRelease")
    if isinstance(compiled, dict):
        return [compiled]
    releases = value.get("releases")
    embedded = releases if isinstance(releases, list) else []
    return [r for r in embedded if isinstance(r, dict) and ("ocid" in r or "id" in r)]


def open_ocds(path: Path, fmt: str, encoding: str, batch_size: int) -> OcdsReader:
    """A reader for an OCDS file of format ``fmt``."""
    return OcdsReader(path=path, format=fmt, columns=COLUMNS, field_map=FIELD_MAP,
                      batch_size=batch_size, encoding=encoding)
