"""pyarrow's first conversion no longer imports pandas in a screen, and pandas still works.

Each check runs in a fresh interpreter: the test process has imported pandas long ago.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("pandas") is None,
    reason="pandas is not installed: there is no import to keep out",
)

CONVERSIONS = """
import sys
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
{probe}
values = pa.array([1, 2, 3])
pc.add(values, 1)
pa.scalar("x")
np.asarray(values)
print("pandas" in sys.modules)
"""

SCREEN = """
import json, sys
from procurewatch.cli import main
code = 0
try:
    main(sys.argv[1:])
except SystemExit as done:
    code = done.code
print(json.dumps({"code": code, "pandas": "pandas" in sys.modules}))
"""


def _python(code: str, *args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          check=False, env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_conversions_import_pandas_without_the_probe() -> None:
    """The cost the probe removes is real: pyarrow imports pandas on a first conversion."""
    assert _python(CONVERSIONS.format(probe="")) == "True"


def test_after_the_probe_conversions_leave_pandas_out() -> None:
    probe = "from procurewatch.nopandas import skip_pandas_probe; skip_pandas_probe()"
    assert _python(CONVERSIONS.format(probe=probe)) == "False"


def test_to_pandas_still_imports_pandas_after_the_probe() -> None:
    code = (
        "from procurewatch.nopandas import skip_pandas_probe; skip_pandas_probe()\n"
        "import pyarrow as pa\n"
        "pa.array([1])\n"
        "frame = pa.table({'a': [7, 8]}).to_pandas()\n"
        "print(type(frame).__name__, frame['a'].tolist())"
    )
    assert _python(code) == "DataFrame [7, 8]"


def test_a_screen_finds_its_hit_without_importing_pandas(tmp_path: Path) -> None:
    data = tmp_path / "purchases.csv"
    data.write_text(
        "id,vendor,description,amount,date\n"
        "1,Hangzhou Hikvision Digital Technology Co. Ltd,IP cameras,1200.00,2021-03-04\n"
        "2,Acme Office Supply,paper,12.00,2021-03-05\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    env = {**os.environ, "PROCUREWATCH_HOME": str(tmp_path / "home")}
    args = ["screen", str(data), "--out", str(out), "--quiet", "--store",
            str(tmp_path / "store.duckdb")]  # fmt: skip
    result = json.loads(_python(SCREEN, *args, env=env))
    assert result["code"] in (None, 0) and result["pandas"] is False
    hits = (out / "hits.csv").read_text(encoding="utf-8")
    assert "Hikvision" in hits and ",1," in hits
