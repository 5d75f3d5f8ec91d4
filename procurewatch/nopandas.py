"""Keeping pyarrow from importing pandas when nothing needs it (a third of a second per run).

The first time pyarrow converts a Python or numpy value (``pa.array``, ``pa.scalar``, a Python
number given to a compute function, ``to_numpy``), it imports pandas, only to ask whether the
value is a pandas object (apache/arrow#34994). The local screen never hands pyarrow a pandas
object, yet paid that import: 0.3-0.4 s of CPU on the 2-core machine, in the thread that
opens the first input, before DuckDB's read could start.

pyarrow asks through a lazy shim (``pyarrow/pandas-shim.pxi``) that tries the import once for
such questions and remembers the answer; whatever really needs pandas (``to_pandas``,
``from_pandas``) tries the import again. :func:`skip_pandas_probe` lets that first question
find no pandas, so the answer "not a pandas object" is kept, while ``to_pandas`` still works
(it imports pandas then). Should a pyarrow release change the shim, the worst outcome is the
import as before (``tests/test_nopandas.py`` says so).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from types import ModuleType


class _HidePandas(importlib.abc.MetaPathFinder):
    """An import finder under which ``import pandas`` fails."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname.partition(".")[0] == "pandas":
            raise ImportError("pandas hidden from pyarrow's first probe")
        return None


def skip_pandas_probe() -> None:
    """Let pyarrow's first "is this a pandas object?" find no pandas (see the module). Call it
    before starting threads: while it runs, no thread of the process can import pandas. Does
    nothing when pandas is imported already or pyarrow has asked before."""
    if "pandas" in sys.modules:
        return
    import pyarrow as pa

    finder = _HidePandas()
    sys.meta_path.insert(0, finder)
    try:
        pa.scalar(0)  # the probe: pyarrow tries pandas once, here, and keeps the answer
    finally:
        sys.meta_path.remove(finder)
