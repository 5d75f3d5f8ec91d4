"""A bounded run of the atheris fuzz target ``fuzz/fuzz_readers.py``: no input may crash it.

The full run is ``python fuzz/fuzz_readers.py -runs=100000``; here it stops after 20,000
inputs or 40 seconds, whichever comes first (``PW_FUZZ_RUNS`` / ``PW_FUZZ_SECONDS`` change that).
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
    pytest.importorskip("atheris")
    runs = os.environ.get("PW_FUZZ_RUNS", "20000")
    seconds = os.environ.get("PW_FUZZ_SECONDS", "40")
    env = {**os.environ, "PW_FUZZ_WORK": str(tmp_path / "work")}
    (tmp_path / "corpus").mkdir()  # new inputs go here, seeds are added by the target
    done = subprocess.run(
        [sys.executable, str(TARGET), str(tmp_path / "corpus"), f"-runs={runs}",
         f"-max_total_time={seconds}", "-print_final_stats=1", "-timeout=30"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=int(seconds) + 60,
        check=False,
    )  # fmt: skip
    log = done.stderr
    crashes = sorted(p.name for p in tmp_path.glob("crash-*"))
    assert done.returncode == 0 and not crashes, log[-4000:]
    executed = re.search(r"stat::number_of_executed_units:\s*(\d+)", log)
    assert executed is not None and int(executed.group(1)) >= 300, log[-2000:]
