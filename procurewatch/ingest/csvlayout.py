"""The layout of a delimited text file, read from its first bytes: delimiter, header, columns.

The header is the first non-blank line with two or more fields (up to five title lines without a
delimiter above it are skipped; a table of one column has its first line as header); it may span
lines if quoted. The delimiter is sniffed among ``,`` ``;`` tab and ``|`` unless the format fixes
it or Excel's ``sep=`` line names it. When nearly every row ends with one
empty field more than the header has (``a,b,c,``), a column is added for it instead of rejecting
every row.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from procurewatch.errors import InputError
from procurewatch.ingest.base import unique_names
from procurewatch.ingest.encoding import decode_sample, read_records, sniff_delimiter

_SAMPLE_RECORDS = 200
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")  # lines as Arrow splits them
_SEP_HINT = re.compile(r"^\s*sep=([\t!#-~])\s*$")  # one ASCII character, not a quote
MAX_TITLE_LINES = 5
"""Lines of a title (no delimiter) that may stand above the header."""


@dataclass(frozen=True, slots=True)
class CsvLayout:
    """How a delimited file is laid out, from its first bytes."""

    encoding: str
    delimiter: str
    columns: tuple[str, ...]
    skip_lines: int  # physical lines up to and including the header
    newline: bytes
    row_bytes: int  # average bytes per record in the sample
    header: tuple[str, ...] = ()  # the header's fields as written (``columns`` are made unique)


def sniff_layout(path: Path, sample: bytes, encoding: str, delimiter: str | None) -> CsvLayout:
    """Read the header and guess the delimiter from the first bytes of a delimited file."""
    text = decode_sample(sample, encoding).lstrip("\ufeff")
    lines = _LINES.findall(text)
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    if start == len(lines):
        raise InputError("the file is empty (no header line); give a file with a header row",
                         path=str(path))
    hint = _SEP_HINT.match(lines[start])
    if hint:  # Excel's "sep=;" first line, then maybe blank lines
        delimiter = delimiter or hint.group(1)
        start = next((i for i in range(start + 1, len(lines)) if lines[i].strip()), len(lines))
    start, delimiter = _header_line(lines, start, delimiter, _default_delimiter(path))
    reader = csv.reader(lines[start:], delimiter=delimiter)
    try:
        names = list(next(reader, []))
    except csv.Error as err:
        raise InputError(f"cannot read the header line ({err}); check the file's format",
                         path=str(path), line=start + 1) from None
    if not names:
        raise InputError("no header line under the sep= line; give a file with a header row",
                         path=str(path), line=start + 1)
    header_lines = reader.line_num
    records = read_records(lines[start + header_lines :], delimiter, _SAMPLE_RECORDS)
    if _trailing_delimiter(records, len(names)):
        names.append("")
    return CsvLayout(
        encoding=encoding,
        delimiter=delimiter,
        columns=unique_names(names),
        skip_lines=start + header_lines,
        newline=b"\r" if "\r" in text and "\n" not in text else b"\n",
        row_bytes=max(16, len(sample) // max(1, len(lines) - start)),
        header=tuple(names),
    )


def _header_line(lines: list[str], start: int, fixed: str | None, default: str) -> tuple[int, str]:
    """The header's line and the delimiter; title lines of one field above a table are skipped.

    A line below the first counts as the header only when most rows under it are as wide.
    """
    for index in range(start, min(len(lines), start + MAX_TITLE_LINES + 1)):
        if not lines[index].strip():
            continue
        delimiter = fixed or sniff_delimiter("".join(lines[index:]), default)
        rows = [row for row in read_records(lines[index:], delimiter, 50) if row]
        width = len(rows[0]) if rows else 0
        if index == start and width >= 2:
            return index, delimiter
        same = sum(1 for row in rows[1:] if len(row) == width)
        if width >= 2 and len(rows) >= 3 and same >= 0.8 * (len(rows) - 1):
            return index, delimiter
        if width >= 2:
            break
    return start, fixed or sniff_delimiter("".join(lines[start:]), default)


def _default_delimiter(path: Path) -> str:
    return {".tsv": "\t", ".tab": "\t", ".psv": "|"}.get(path.suffix.lower(), ",")


def _trailing_delimiter(records: list[list[str]], width: int) -> bool:
    """Whether rows end with one more, empty field than the header has (``a,b,c,``)."""
    full = [row for row in records if row]
    extra = sum(1 for row in full if len(row) == width + 1 and not row[-1].strip())
    return len(full) >= 3 and extra >= 0.9 * len(full)
