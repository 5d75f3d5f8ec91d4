"""The local engine: stream each input's batches through the pure core in this process.

Memory stays bounded: batches are read one at a time and only hits (few) are kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from procurewatch.ingest.base import FieldMap, Reject, open_input
from procurewatch.screen.core import ScreenContext, screen_batch
from procurewatch.screen.hits import Hit

SAMPLE = 1 << 20


def fingerprint(path: Path) -> str:
    """SHA-256 over the file size and its first, middle and last MiB (fast on large files)."""
    digest = hashlib.sha256()
    size = path.stat().st_size
    digest.update(str(size).encode())
    with path.open("rb") as fh:
        for offset in sorted({0, max(0, size // 2 - SAMPLE // 2), max(0, size - SAMPLE)}):
            fh.seek(offset)
            digest.update(fh.read(SAMPLE))
    return digest.hexdigest()


@dataclass
class InputResult:
    """What screening one input file gave."""

    path: str
    format: str
    fingerprint: str
    field_map: FieldMap
    records: int = 0
    hits: list[Hit] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)

    @property
    def flagged_records(self) -> int:
        """Records with at least one hit."""
        return len({h.row for h in self.hits})


Progress = Callable[[int], None]


def screen_file(
    path: Path,
    ctx: ScreenContext,
    *,
    mapping: Mapping[str, str] | None = None,
    batch_size: int = 65536,
    progress: Progress | None = None,
) -> InputResult:
    """Screen one input file."""
    reader = open_input(path, mapping=mapping, batch_size=batch_size)
    result = InputResult(str(path), reader.format, fingerprint(path), reader.field_map)
    for batch in reader.batches():
        result.hits.extend(screen_batch(batch, reader.field_map, ctx, result.fingerprint))
        result.records += batch.num_rows
        if progress is not None:
            progress(batch.num_rows)
    result.rejects = list(reader.rejects)
    return result


def screen_files(
    paths: Sequence[Path],
    ctx: ScreenContext,
    *,
    mapping: Mapping[str, str] | None = None,
    batch_size: int = 65536,
    progress: Progress | None = None,
) -> list[InputResult]:
    """Screen several input files in order."""
    return [
        screen_file(p, ctx, mapping=mapping, batch_size=batch_size, progress=progress)
        for p in paths
    ]
