"""Importers for official list files: one module per format, each ``parse_<format>(path)``.

``parse_file(path)`` detects the format (:func:`detect`) and returns an :class:`ImportedList`;
:func:`procurewatch.store.lists.save_list` keeps it as a list version in the store.
"""

from procurewatch.watchlist.importers.base import FORMATS, ImportedList, RowIssue
from procurewatch.watchlist.importers.csl import parse_csl
from procurewatch.watchlist.importers.detect import detect, parse_file
from procurewatch.watchlist.importers.dod1260h import parse_dod1260h
from procurewatch.watchlist.importers.fcc import parse_fcc
from procurewatch.watchlist.importers.ofac import parse_ofac

__all__ = [
    "FORMATS",
    "ImportedList",
    "RowIssue",
    "detect",
    "parse_csl",
    "parse_dod1260h",
    "parse_fcc",
    "parse_file",
    "parse_ofac",
]
