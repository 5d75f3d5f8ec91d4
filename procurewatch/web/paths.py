"""No server path in an API answer: file paths shown by their name, paths in messages cut.

The service's folders (its data folder, uploads, run folders, the store) are nobody's business
but the operator's: an answer names an input file by its file name (``payments.csv``) and an
error message shows ``payments.csv: line 3: ...`` instead of the absolute path.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

_ABSOLUTE = re.compile(r"(?<![\w.~:/-])/(?:[^\s/'\"`<>|:;,()\[\]{}]+/)+([^\s/'\"`<>|:;,()\[\]{}]*)")
"""An absolute POSIX path of two or more parts; group 1 is its last part."""
PATH_KEYS = frozenset({"path", "source_file", "file", "out_dir"})
"""Keys whose values are file paths, in summaries and hits."""
MESSAGE_KEYS = frozenset({"notes", "error", "message", "detail"})
"""Keys whose text may name a file by its path (``notes`` of a summary: ``/srv/…/x.csv: …``)."""


def scrub(text: str) -> str:
    """``text`` with every absolute path replaced by its last part (a file or folder name)."""
    return _ABSOLUTE.sub(lambda m: m.group(1) or "", text)


def file_name(value: Any) -> Any:
    """A path's file name (anything else as it is)."""
    if isinstance(value, str) and "/" in value:
        return PurePosixPath(value).name
    return value


def public(data: Any) -> Any:
    """``data`` (JSON-like) with every value under a :data:`PATH_KEYS` key shown by its name."""
    if isinstance(data, dict):
        return {k: _public_value(k, v) for k, v in data.items()}
    if isinstance(data, list):
        return [public(item) for item in data]
    return data


def _public_value(key: str, value: Any) -> Any:
    if key in PATH_KEYS:
        return file_name(value)
    if key in MESSAGE_KEYS:
        return _scrubbed(value)
    return public(value)


def _scrubbed(value: Any) -> Any:
    """Messages with their paths cut (a string, or a list of strings)."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, list):
        return [_scrubbed(item) for item in value]
    return public(value)
