"""A screen's head start: its first input opened, and a clean CSV's read begun, before anything
else is ready.

DuckDB parses only while a thread waits for its next batch, and the line count runs in a thread
of its own. Both can begin as soon as the file's layout is known, while this process is still
importing the matchers, loading the watchlist and compiling: those use one core, and the other
would wait. This module imports only the readers, so the command line can begin the read before
it imports the rest of the screen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from procurewatch import settings
from procurewatch.ingest import duckcsv
from procurewatch.ingest.base import InputReader, open_input
from procurewatch.ingest.tabular import DelimitedReader

FAST_BATCH_ROWS = 131072
"""Rows per batch on the DuckDB fast path."""


@dataclass
class HeadStart:
    """A screen's first input, opened and, a clean CSV, its read begun (the line count, and
    DuckDB's batches taken ahead: neither needs a matcher)."""

    path: Path
    reader: InputReader
    fast: duckcsv.FastCsv | None = None
    taken: bool = False

    def take(
        self, path: Path, label: str | None
    ) -> tuple[InputReader | None, duckcsv.FastCsv | None]:
        """The reader (and the fast read begun) of ``path``, once; else ``(None, None)``."""
        if self.taken or path != self.path or label is not None:
            return None, None
        self.taken = True
        return self.reader, self.fast

    def close(self) -> None:
        """Stop the read begun, if no screen took it to the end (at once: its line count is
        not needed then)."""
        if self.fast is not None:
            self.fast.close(abandon=True)


def fast_csv(reader: InputReader) -> duckcsv.FastCsv:
    """The fast path's reader of a clean CSV, with the keys of its name columns."""
    assert isinstance(reader, DelimitedReader)
    fmap = reader.field_map
    return duckcsv.FastCsv(
        reader,
        batch_size=max(reader.batch_size, FAST_BATCH_ROWS),
        keyed=(*fmap.vendor, *fmap.parent, *fmap.buyer),
    )


def head_start(
    paths: Sequence[Path],
    *,
    mapping: Mapping[str, str] | None = None,
    batch_size: int = 65536,
    sheet: str | None = None,
) -> HeadStart | None:
    """The first of ``paths`` opened and, when the fast path may take it, its read begun as
    soon as its layout is known (before the amount and date formats are sampled); None for no
    paths, or for every sheet of a workbook."""
    if not paths or sheet == "all":
        return None
    begun: list[duckcsv.FastCsv] = []

    def begin(reader: InputReader) -> None:
        if settings.fast_csv() and duckcsv.eligible(reader):
            begun.append(fast_csv(reader))
            begun[0].start()

    try:
        reader = open_input(
            paths[0], mapping=mapping, batch_size=batch_size, sheet=sheet, opened=begin
        )
    except BaseException:
        for fast in begun:
            fast.close(abandon=True)
        raise
    return HeadStart(paths[0], reader, begun[0] if begun else None)
