"""A bounded run of the atheris fuzz target ``fuzz/fuzz_readers.py``: no input may crash it.

The full run is ``python fuzz/fuzz_readers.py -runs=100000``; here it stops after a fixed number
of inputs, 3,000 unless ``PW_FUZZ_RUNS`` says otherwise. The test counts inputs, never time: on a
busy machine it takes longer, and still checks the same thing.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

TARGET = Path(__file__).resolve().parents[2] / "fuzz" / "fuzz_readers.py"


def test_fuzzing_the_readers_finds_no_crash(tmp_path: Path) -> None:
    pytest.importorskip("atheris", reason="needs the atheris fuzzer (pip install atheris)")
    runs = int(os.environ.get("PW_FUZZ_RUNS", "3000"))
    env = {**os.environ, "PW_FUZZ_WORK": str(tmp_path / "work")}
    (tmp_path / "corpus").mkdir()  # new inputs go here, seeds are added by the target
    done = subprocess.run(
        [sys.executable, str(TARGET), str(tmp_path / "corpus"), f"-runs={runs}",
         "-print_final_stats=1", "-timeout=30"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    log = done.stderr
    crashes = sorted(p.name for p in tmp_path.glob("crash-*"))
    assert done.returncode == 0 and not crashes, log[-4000:]
    executed = re.search(r"stat::number_of_executed_units:\s*(\d+)", log)
    assert executed is not None and int(executed.group(1)) == runs, log[-2000:]
