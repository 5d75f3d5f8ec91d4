"""Readers: turn user files into Arrow record batches for the screening core.

``open_input(path)`` detects the format (CSV/TSV, XLSX, JSON, JSON Lines, Parquet, USAspending
downloads, OCDS packages, checkbook exports) and the encoding, and returns a reader whose
``batches()`` yield string columns plus ``_source_file`` and ``_row``; its ``field_map`` says which
columns hold vendor names, descriptions, amounts, dates ...; bad rows end up in ``rejects``.
"""

from procurewatch.ingest.base import (
    FORMATS,
    ROLES,
    FieldMap,
    InputReader,
    Reject,
)
from procurewatch.ingest.detect import open_input

__all__ = ["FORMATS", "ROLES", "FieldMap", "InputReader", "Reject", "open_input"]
