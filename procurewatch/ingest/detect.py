"""Open any supported input: detect its format and encoding, pick its columns' roles.

The format comes from the first bytes (Parquet and XLSX magic numbers, JSON's opening bracket,
OCDS's ``ocid``, a USAspending or checkbook header) and the file extension; ``fmt`` skips the
guessing. The roles come from USAspending's known columns, the fixed OCDS columns, or the
common-name vocabulary of :mod:`.columns`, then the user's ``--map ROLE=COLUMN`` choices.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

from procurewatch.errors import InputError, UsageError
from procurewatch.ingest import ocds, usaspending, valueformat
from procurewatch.ingest.base import FORMATS, BaseReader, one_line
from procurewatch.ingest.columns import (
    apply_mapping,
    guess_field_map,
    is_checkbook,
    require_screenable,
)
from procurewatch.ingest.csvlayout import sniff_layout
from procurewatch.ingest.encoding import decode_sample, detect_encoding, looks_binary, read_sample
from procurewatch.ingest.jsonfiles import JsonReader, sniff_json
from procurewatch.ingest.parquetfile import ParquetReader, parquet_columns
from procurewatch.ingest.tabular import DelimitedReader
from procurewatch.ingest.valueformat import ValueFormats
from procurewatch.ingest.xlsx import XlsxReader, sheet_layouts, sniff_sheet

_EXTENSIONS = {
    ".csv": "csv", ".txt": "csv", ".psv": "csv", ".tsv": "tsv", ".tab": "tsv",
    ".xlsx": "xlsx", ".xlsm": "xlsx", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".jsonlines": "jsonl", ".parquet": "parquet", ".pq": "parquet",
}
_REFUSED = (
    (b"\xd0\xcf\x11\xe0", "an old binary Excel (.xls) file or a password-protected workbook: "
     "save it as .xlsx (without a password) or CSV"),
    (b"\x1f\x8b", "gzip-compressed: decompress it first (gunzip)"),
    (b"BZh", "bzip2-compressed: decompress it first"),
    (b"%PDF", "a PDF document, not a table: export the data as CSV"),
    (b"\xfd7zXZ", "xz-compressed: decompress it first"),
)
_DELIMITED = ("csv", "tsv", "checkbook", *usaspending.KINDS)


def open_input(
    path: Path,
    *,
    mapping: Mapping[str, str] | None = None,
    batch_size: int = 65536,
    fmt: str | None = None,
    require_roles: bool = True,
    sheet: str | None = None,
    opened: Callable[[BaseReader], None] | None = None,
) -> BaseReader:
    """A reader for ``path``: format and encoding detected (or ``fmt``), roles set.

    ``mapping`` holds ``--map`` overrides, role → column (several columns comma-separated;
    empty clears the role). Raises :class:`InputError` for a file that cannot be read, an unknown
    role or column, or (unless ``require_roles`` is false, for tables read for other purposes
    such as inventories) a table with neither a vendor nor a description column. ``sheet``
    picks a workbook's sheet by name or 1-based number (``all``: see
    :func:`procurewatch.screen.engines.local.screen_files`; here the best sheet). ``opened`` is
    called with the reader once its layout and roles are known, before the amount and date
    formats are sampled (a screen begins reading the file there).
    """
    path = Path(path)
    if fmt is not None and fmt not in FORMATS:
        raise UsageError(f"unknown input format {fmt!r}; use one of: {', '.join(FORMATS)}")
    if batch_size < 1:
        raise UsageError(f"batch size must be at least 1, not {batch_size}")
    sample = _sample(path)
    kind = fmt or _detect(path, sample)
    if sheet and sheet != "all" and kind != "xlsx":
        raise UsageError(f"--sheet applies to .xlsx workbooks; {path} is {kind}")
    chosen = sheet if sheet != "all" else None
    reader = _build(kind, path, sample, batch_size, refine=fmt is None, sheet=chosen)
    reader.field_map = apply_mapping(reader.field_map, mapping, reader.columns, str(path))
    no_records = not reader.columns and reader.format in ("json", "jsonl")  # "[]": nothing to do
    if require_roles and not no_records:
        try:
            require_screenable(reader.field_map, reader.columns, str(path))
        except InputError as err:
            raise _with_sheets(err, reader) from None
    if opened is not None:
        opened(reader)
    reader.field_map = replace(reader.field_map, formats=_formats(reader))
    return reader


def _with_sheets(err: InputError, reader: BaseReader) -> InputError:
    """The error, for a workbook with several sheets, saying how to pick another."""
    if not isinstance(reader, XlsxReader) or reader.layout is None:
        return err
    names = [layout.sheet for layout in sheet_layouts(reader.path)]
    if len(names) < 2:
        return err
    listing = ", ".join(repr(one_line(n, 40)) for n in names[:30])
    message = str(err).removeprefix(f"{err.path}: ")
    return InputError(f"{message} (read sheet {reader.layout.sheet!r}); or pick the sheet "
                      f"with --sheet NAME: the sheets with data are {listing}", path=err.path)


def _formats(reader: BaseReader) -> ValueFormats:
    """The amount and date formats, decided from the first values of those columns."""
    fmap = reader.field_map
    wanted = [c for c in (fmap.amount, fmap.date) if c]
    if not wanted:
        return fmap.formats
    values: dict[str, list[str | None]] = {c: [] for c in wanted}
    batches = replace(reader, batch_size=valueformat.SAMPLE_VALUES, rejects=[]).batches()
    try:
        batch = next(batches, None)
    except InputError:
        batch = None
    finally:
        getattr(batches, "close", lambda: None)()
    if batch is not None:
        values = {c: batch.column(c).to_pylist() for c in wanted if c in batch.schema.names}
    layout = getattr(reader, "layout", None)
    return valueformat.decide(
        fmap.amount,
        values.get(fmap.amount or "", []),
        values.get(fmap.date or "", []),
        getattr(layout, "delimiter", None),
        fmap.currency is not None,
    )


def _sample(path: Path) -> bytes:
    if not path.exists():
        raise InputError("no such file; check the path", path=str(path))
    if not path.is_file():
        raise InputError("not a file (a folder?); give the path of a data file", path=str(path))
    try:
        sample = read_sample(path)
    except OSError as err:
        raise InputError(f"cannot read the file ({err.strerror}); check its permissions",
                         path=str(path)) from None
    if not sample.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise InputError("the file is empty; give a file with a header row and data",
                         path=str(path))
    return sample


def _detect(path: Path, sample: bytes) -> str:
    """The format of a file from its first bytes and extension."""
    for magic, why in _REFUSED:
        if sample.startswith(magic):
            raise InputError(f"cannot read this file: it is {why}", path=str(path))
    if sample.startswith(b"PAR1"):
        return "parquet"
    if sample.startswith(b"PK\x03\x04"):
        return "xlsx"
    encoding = detect_encoding(sample)
    text = decode_sample(sample, encoding).lstrip("\ufeff")
    if looks_binary(text):
        raise _binary(path, text)
    extension = _EXTENSIONS.get(path.suffix.lower())
    named_table = extension in ("csv", "tsv") and path.suffix.lower() != ".txt"
    if extension in ("json", "jsonl") or (not named_table and text.lstrip()[:1] in ("{", "[")):
        if extension == "jsonl" or _json_lines(text):
            return "ocds-jsonl" if ocds.sniff_lines(text) else "jsonl"
        return ocds.sniff_package(text) or "json"
    return extension if extension in _DELIMITED else "csv"


def _binary(path: Path, text: str) -> InputError:
    """The error for binary data; text whose only fault is NUL characters says where."""
    nul = text.find("\x00")
    if nul >= 0 and not looks_binary(text[:65536].replace("\x00", "")):
        return InputError(
            "the file contains NUL characters, which a text table never has (a damaged "
            "export?); remove them (tr -d '\\000') or export the data again",
            path=str(path), line=text.count("\n", 0, nul) + 1,
        )
    return InputError("this is binary data, not a table or JSON; export the data as CSV, "
                      "XLSX, JSON or Parquet", path=str(path))


def _json_lines(text: str) -> bool:
    """Whether the first two non-blank lines are each a whole JSON object."""
    lines = [line for line in text.splitlines()[:50] if line.strip()][:2]
    if len(lines) < 2 or not lines[1].lstrip().startswith("{"):
        return False
    try:
        return isinstance(json.loads(lines[0]), dict)
    except (json.JSONDecodeError, RecursionError):
        return False


def _build(kind: str, path: Path, sample: bytes, batch_size: int, refine: bool,
           sheet: str | None = None) -> BaseReader:
    encoding = detect_encoding(sample)
    if kind in ocds.FORMATS:
        return ocds.open_ocds(path, kind, encoding, batch_size)
    if kind in ("json", "jsonl"):
        layout = sniff_json(path, encoding, lines=kind == "jsonl")
        columns = tuple(layout.names.values()) + ((layout.extra,) if layout.extra else ())
        field_map = guess_field_map(columns)
        if layout.extra:  # keys first seen after the sample: screen them as text
            field_map = replace(field_map, text=(*field_map.text, layout.extra))
        return JsonReader(path=path, format=kind, columns=columns, field_map=field_map,
                          batch_size=batch_size, layout=layout)
    if kind == "xlsx":
        found = sniff_sheet(path, sheet)
        return XlsxReader(path=path, format=kind, columns=found.columns,
                          field_map=guess_field_map(found.columns), batch_size=batch_size,
                          layout=found)
    if kind == "parquet":
        names = parquet_columns(path)
        return ParquetReader(path=path, format=kind, columns=names,
                             field_map=guess_field_map(names), batch_size=batch_size)
    return _delimited(kind, path, sample, encoding, batch_size, refine)


def _delimited(kind: str, path: Path, sample: bytes, encoding: str, batch_size: int,
               refine: bool) -> DelimitedReader:
    layout = sniff_layout(path, sample, encoding, "\t" if kind == "tsv" else None)
    columns = layout.columns
    if refine:
        found = usaspending.detect_kind(columns)
        kind = found or ("checkbook" if is_checkbook(columns) else kind)
        if kind == "csv" and layout.delimiter == "\t":
            kind = "tsv"
    if kind in usaspending.KINDS:
        field_map = usaspending.field_map(kind, columns)
    else:
        field_map = guess_field_map(columns)
    return DelimitedReader(path=path, format=kind, columns=columns, field_map=field_map,
                           batch_size=batch_size, layout=layout)
