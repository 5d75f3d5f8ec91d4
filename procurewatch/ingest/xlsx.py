"""Excel workbooks (.xlsx, .xlsm), streamed row by row with openpyxl's read-only mode.

The sheet and header row that hold the table are found: among the first 30 rows of every
sheet, the row whose cells name the most column roles (vendor, description, amount, date ...,
by the vocabulary of :mod:`.columns`) is the header, so a cover sheet, a title row, notes above
the header or a "Prepared by" line are skipped; the first sheet wins a tie. When no row names a
vendor or description column, the first sheet with data is read from its first row with two
or more values. ``--sheet NAME|N`` picks a sheet (its header found the same way); ``--sheet
all`` reads every sheet with a table, each as an input of its own (``book.xlsx#Sheet2``).
A two-row header (group titles merged over the column names) reads from its row of names,
which names the most roles; a name merged down over both rows ("Vendor" in A1:A2) fills the
blank under it, and a group title then prefixes the names under it ("Amount USD").
Cells become text: whole numbers without ``.0``, dates as ISO 8601, formulas as their last
computed value. ``_row`` is the row under the header (``_row`` + header row = the sheet row);
``Reject.line`` is the sheet row. A row with values beyond the header's columns is rejected.
A workbook whose parts would unpack to more than the caps below (a zip bomb, or a sheet too big
to be an export) is refused before it is opened. A row with a cell over 1 MiB (or text over 4 MiB)
is rejected without being read whole (:mod:`procurewatch.ingest.xlsx_guard`).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pyarrow as pa

from procurewatch.errors import InputError
from procurewatch.ingest.base import BaseReader, one_line, unique_names
from procurewatch.ingest.xlsx_guard import MAX_CELL_BYTES, MAX_ROW_BYTES, GuardedSheet, size_text

MAX_SHEET_BYTES = 2 << 30
"""Largest uncompressed worksheet XML (streamed, so this bounds time, not memory)."""
MAX_SHARED_STRINGS_BYTES = 100 << 20
"""Largest uncompressed part openpyxl reads whole into memory: shared strings, styles, the
workbook, the manifest ``[Content_Types].xml``, relationships, document properties."""
UNREAD_PARTS = ("xl/media/", "xl/embeddings/", "docProps/thumbnail")
"""Parts the reader never unpacks (pictures, embedded objects): their size does not matter."""
HEADER_SEARCH_ROWS = 30
"""Rows searched for the header."""
MAX_RATIO = 200
"""Largest compression ratio of a part bigger than 16 MiB (a zip bomb packs far tighter)."""


@dataclass(frozen=True, slots=True)
class SheetLayout:
    """Which sheet to read and where its header is."""

    sheet: str
    header_row: int  # 1-based sheet row of the header
    columns: tuple[str, ...]
    score: tuple[int, int, int] = (0, 0, 0)
    """How well the header names the roles: (vendor or description named, roles named, cells)."""


def check_archive(path: Path) -> None:
    """Refuse workbooks that are not zip files or whose parts unpack too big."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        ValueError,
        EOFError,
        OSError,
    ) as err:  # NotImplementedError: an unknown zip version
        raise InputError(
            f"not a readable .xlsx workbook ({one_line(str(err))}); save it again as .xlsx or CSV",
            path=str(path),
        ) from None
    if not any(info.filename == "xl/workbook.xml" for info in infos):
        raise InputError(
            "a zip archive, not an .xlsx workbook: unzip it and give the files inside",
            path=str(path),
        )
    for info in infos:
        name = info.filename
        if name.startswith(UNREAD_PARTS):
            continue
        streamed = name.startswith("xl/worksheets/")  # every other part is read whole
        cap = MAX_SHEET_BYTES if streamed else MAX_SHARED_STRINGS_BYTES
        ratio = info.file_size / max(1, info.compress_size)
        if info.file_size > cap or (info.file_size > 16 << 20 and ratio > MAX_RATIO):
            raise InputError(
                f"workbook part {one_line(name)} would unpack to {info.file_size >> 20} MiB "
                f"(limit {cap >> 20} MiB, ratio {ratio:.0f}:1); export the sheet as CSV",
                path=str(path),
            )


def sniff_sheet(path: Path, sheet: str | None = None) -> SheetLayout:
    """The sheet and header row holding the table (``sheet``: a sheet name or 1-based number)."""
    layouts = sheet_layouts(path, sheet)
    if not layouts:
        raise InputError("the workbook has no data (every sheet is empty)", path=str(path))
    tables = [layout for layout in layouts if layout.score[0]]
    return max(tables, key=lambda layout: layout.score) if tables else layouts[0]


def sheet_layouts(path: Path, sheet: str | None = None) -> list[SheetLayout]:
    """Each non-empty sheet (or only ``sheet``) with its best header row, in workbook order."""
    check_archive(path)
    workbook = _open(path)
    try:
        sheets = [_pick(workbook, sheet, path)] if sheet else list(workbook.worksheets)
        layouts = []
        for found in sheets:
            found.reset_dimensions()  # stored dimensions may be wrong; read every cell
            layout = _layout(
                found.title, found.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True)
            )
            if layout is not None:
                layouts.append(layout)
        return layouts
    except InputError:
        raise
    except Exception as err:
        raise _unreadable(path, err) from None
    finally:
        workbook.close()


def _pick(workbook: Any, sheet: str, path: Path) -> Any:
    names = list(workbook.sheetnames)
    if sheet in names:
        return workbook[sheet]
    if sheet.isdigit() and 1 <= int(sheet) <= len(names):
        return workbook[names[int(sheet) - 1]]
    listing = ", ".join(repr(one_line(n, 40)) for n in names[:30])
    raise InputError(
        f"no sheet {one_line(sheet, 60)!r} in the workbook; its sheets are: "
        f"{listing} (give --sheet a name, a number from 1, or all)",
        path=str(path),
    )


def _layout(title: str, rows: Iterator[tuple[Any, ...]]) -> SheetLayout | None:
    """The sheet's header: the row naming the most roles; else its first row with two or more
    values (a title row above it is skipped); else its first non-empty row."""
    from procurewatch.ingest.columns import guess_field_map  # columns imports this package

    best: SheetLayout | None = None
    first: SheetLayout | None = None
    above: list[str | None] = []
    previous = current = 0
    for number, values in enumerate(rows, start=1):
        cells = _merged([_text(value) for value in values])
        filled = sum(1 for cell in cells if cell)
        if not filled:
            continue
        previous, current = current, number
        lower, above = _under(above, cells), cells
        continues = lower != cells  # the row of names of a two-row header
        cells = lower
        filled = sum(1 for cell in cells if cell)
        names = unique_names(cells)
        fmap = guess_field_map([n for n, c in zip(names, cells, strict=True) if c])
        roles = sum(
            1 for role in ("vendor", "buyer", "text", "amount", "date") if getattr(fmap, role)
        )
        score = (int(bool(fmap.vendor or fmap.text)), roles if filled >= 2 else 0, filled)
        layout = SheetLayout(title, number, names, score)
        if first is None or (first.score[2] < 2 <= filled):
            first = layout
        if score[0] and _better(layout, best, continues and previous):
            best = layout
    return best or first


def _better(layout: SheetLayout, best: SheetLayout | None, lower_of: int) -> bool:
    """Whether ``layout`` names more roles than ``best``, or as many as the row above it
    (``lower_of``: that row's number when ``layout`` is a two-row header's lower row)."""
    if best is None or layout.score[:2] > best.score[:2]:
        return True
    return bool(lower_of) and best.header_row == lower_of and layout.score >= best.score


def _under(above: list[str | None], cells: list[str | None]) -> list[str | None]:
    """The names of a two-row header's lower row, read with the row above it.

    A name merged down over both rows ("Vendor" in A1:A2) is stored in the upper row only, so
    the lower row has a blank there: it takes the upper name. A group title merged across
    ("Amount" over "USD" and "CNY") prefixes the names under it: "Amount USD", "Amount CNY".
    Only a pair with both (a name merged down, and a name with nothing above it) counts as a
    two-row header: a title row over a full row of names has no name merged down, and a data
    row with empty cells under a full header has nothing without a name above it.
    """
    width = max(len(above), len(cells))
    upper = above + [None] * (width - len(above))
    lower = cells + [None] * (width - len(cells))
    pairs = list(zip(upper, lower, strict=True))
    merged_down = any(u and not n for u, n in pairs)
    grouped = any(n and not u for u, n in pairs)  # a title spans a name with none above it
    if sum(1 for u in upper if u) < 2 or not (merged_down and grouped):
        return cells
    names: list[str | None] = []
    group: str | None = None
    for u, n in pairs:
        if u and not n:
            names.append(u)
            group = None
        elif u and n:
            names.append(n if u == n else f"{u} {n}")
            group = u
        else:
            names.append(f"{group} {n}" if group and n else n)
            group = group if n else None
    return names


def _merged(cells: list[str | None]) -> list[str | None]:
    """Header cells without trailing blanks."""
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _open(path: Path) -> Any:
    """The workbook in read-only mode, its worksheets read through :class:`GuardedSheet`."""
    from openpyxl.reader.excel import ExcelReader  # imported here: slow to import, rarely needed

    try:
        reader = ExcelReader(path, read_only=True, data_only=True, keep_links=False)
        reader.archive.close()
        reader.archive = GuardedZip(path)
        reader.read()
        return reader.wb
    except InputError:
        raise
    except Exception as err:
        raise _unreadable(path, err) from None


class GuardedZip(zipfile.ZipFile):
    """The workbook's archive: worksheet members open as :class:`GuardedSheet` streams, kept
    by member name (``guards``) so the reader can ask which rows were emptied."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, "r")
        self._path = path
        self.guards: dict[str, list[GuardedSheet]] = {}

    def open(self, name: Any, mode: Any = "r", pwd: Any = None, **kwargs: Any) -> Any:
        """Open a member; a worksheet through a guard."""
        member = super().open(name, mode, pwd, **kwargs)
        key = name.filename if isinstance(name, zipfile.ZipInfo) else str(name)
        if mode != "r" or not key.startswith("xl/worksheets/") or not key.endswith(".xml"):
            return member
        stream = GuardedSheet(member, str(self._path))
        self.guards.setdefault(key, []).append(stream)
        return stream


def _unreadable(path: Path, err: Exception) -> InputError:
    message = " ".join(str(err).split())[:200] or type(err).__name__
    return InputError(
        f"cannot read the workbook ({message}); save it again as .xlsx or export it as CSV",
        path=str(path),
    )


@dataclass
class XlsxReader(BaseReader):
    """One worksheet of an .xlsx workbook."""

    layout: SheetLayout | None = None
    label: str | None = None
    """The name the rows are known by when several sheets of one workbook are read
    (``book.xlsx#Sheet2``); None: the path."""
    _guards: list[GuardedSheet] = field(default_factory=list)

    def make_batch(self, arrays: Any, rows: pa.Array) -> pa.RecordBatch:
        """A batch whose ``_source_file`` is :attr:`label` when set."""
        batch = super().make_batch(arrays, rows)
        if self.label is None:
            return batch
        source = pa.repeat(pa.scalar(self.label, pa.string()), len(rows))
        return batch.set_column(batch.num_columns - 2, "_source_file", source)

    def _too_big(self, line: int, cells: list[str | None], number: int) -> bool:
        """Reject the row if the guard emptied one of its cells (too big to read), or if a cell
        (a shared string: that part is capped as a whole) or the row is over the limits."""
        sizes = [g.oversized[line] for g in self._guards if line in g.oversized]
        lengths = [len(cell.encode("utf-8")) for cell in cells if cell]
        if max(lengths, default=0) > MAX_CELL_BYTES or sum(lengths) > MAX_ROW_BYTES:
            sizes.append(max(max(lengths), sum(lengths) if sum(lengths) > MAX_ROW_BYTES else 0))
        if not sizes:
            return False
        self.reject(line, f"a cell of {size_text(max(sizes))} is over the limit of "
                    f"{size_text(MAX_CELL_BYTES)} a cell (or {size_text(MAX_ROW_BYTES)} a row); "
                    "the row was not read: shorten the cell or export the sheet as CSV",
                    "\t".join(cell or "" for cell in cells)[:1000], number)  # fmt: skip
        return True

    def batches(self) -> Iterator[pa.RecordBatch]:
        """Batches of ``batch_size`` rows of text."""
        if self.layout is None:
            raise InputError("internal: no sheet layout", path=str(self.path))
        self.rejects.clear()
        workbook = _open(self.path)
        try:
            sheet = workbook[self.layout.sheet]
            sheet.reset_dimensions()
            self._guards = workbook._archive.guards.setdefault(sheet._worksheet_path, [])
            rows = sheet.iter_rows(min_row=self.layout.header_row + 1, values_only=True)
            yield from self._batches(rows, self.layout.header_row)
        except InputError:
            raise
        except Exception as err:
            raise _unreadable(self.path, err) from None
        finally:
            workbook.close()

    def _batches(self, rows: Iterator[tuple[Any, ...]], header: int) -> Iterator[pa.RecordBatch]:
        width = len(self.columns)
        buffer: list[dict[str, str | None]] = []
        numbers: list[int] = []
        for number, values in enumerate(rows, start=1):
            cells = [_text(value) for value in values]
            if self._too_big(header + number, cells, number):
                continue
            if not any(cells):
                continue
            if any(cells[width:]):
                extra = sum(1 for cell in cells[width:] if cell)
                self.reject(
                    header + number,
                    f"row has {extra} values beyond the header's "
                    f"{width} columns; give them a header or move them",
                    "\t".join(cell or "" for cell in cells),
                    number,
                )
                continue
            buffer.append(dict(zip(self.columns, cells, strict=False)))
            numbers.append(number)
            if len(buffer) >= self.batch_size:
                yield self.batch_from_rows(buffer, numbers)
                buffer, numbers = [], []
        if buffer:
            yield self.batch_from_rows(buffer, numbers)


def _text(value: Any) -> str | None:
    """A cell value as text, the way a person reads it in Excel."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    text = str(value)
    return text if text.strip() else None
