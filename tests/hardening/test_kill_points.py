"""``procurewatch screen`` killed (SIGKILL) at many points of a run with tens of thousands of
hits: before it is recorded, while screening, inside the store's transaction, after the store
records it, while its outputs are staged and while they are moved into a folder.

After every kill: no output folder holds a run the store does not know (a run is recorded
before its outputs appear), the killed run is listed as ``killed`` by ``runs --all`` unless it
was recorded complete, and a later run into the same folder works, without ``--force`` unless
the folder holds a complete run.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from procurewatch.screen.publish import INNER_PREFIX
from procurewatch.store.db import open_store

pytestmark = pytest.mark.slow

PYTHON = sys.executable
ROWS = 24_000
"""Composed records (not from any real data set); five of every six name a listed vendor, so a
complete run has 20,000 hits."""
DRIVER = """
import os, signal, sys
point = sys.argv[1]

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

def after(module, name):
    original = getattr(module, name)
    def wrapper(*args, **kwargs):
        value = original(*args, **kwargs)
        die()
        return value
    setattr(module, name, wrapper)

import procurewatch.screen.publish as publish
import procurewatch.screen.run as screen_run
import procurewatch.store.attempts as attempts
import procurewatch.store.runs as runs
if point == "begun":  # recorded as running, nothing screened
    after(attempts, "begin_run")
elif point == "screened":  # screened, not saved
    after(screen_run, "run_screen")  # cli_screen imports it when the command runs
elif point == "saving":  # inside the store's transaction: hits in, not committed
    runs.mark_complete = die
elif point == "saved":  # recorded complete, no output published
    after(runs, "save_run")
elif point == "staged":  # every file staged, nothing published yet
    after(screen_run, "write_outputs")  # publish imports it from screen.run when it runs
elif point == "moving":  # into a folder with an earlier run: killed after the first move
    move, replace = publish._move_files, os.replace
    def replace_once(source, target):
        replace(source, target)
        die()
    def moving(staging, target):
        os.replace = replace_once
        move(staging, target)
    publish._move_files = moving
from procurewatch.cli import main
main(sys.argv[2:])
"""
POINTS = ("begun", "screened", "saving", "saved", "staged", "moving")
TIMED = (0.5, 2.0, 4.0)
"""Seconds after start at which a plain ``screen`` is killed as well."""


@pytest.fixture(scope="module")
def many_hits(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("kill") / "payments.csv"
    vendors = ("Hikvision USA Inc", "Zhejiang Dahua Technology Co. Ltd", "Huawei Technologies Co",
               "ZTE Corporation", "Hytera Communications Corporation", "Acme Supply Inc")  # fmt: skip
    lines = ["Check Date,Vendor Name,Invoice Description,Amount"]
    lines += [f"2021-03-01,{vendors[i % 6]},item {i},{i}.00" for i in range(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def env(home: Path) -> dict[str, str]:
    return {**os.environ, "PROCUREWATCH_HOME": str(home), "PROCUREWATCH_STORE_WAIT": "60"}


def run(args: list[str], home: Path, driver: str | None = None) -> subprocess.CompletedProcess[str]:
    command = [PYTHON, "-c", DRIVER, driver] if driver else [PYTHON, "-m", "procurewatch.cli"]
    return subprocess.run([*command, *args], capture_output=True, text=True, env=env(home),
                          timeout=600, check=False, cwd=home)  # fmt: skip


def screen(data: Path, out: Path, store: Path, *extra: str) -> list[str]:
    return ["screen", str(data), "--out", str(out), "--store", str(store), "-q", *extra]


def killed_at(seconds: float, args: list[str], home: Path) -> None:
    proc = subprocess.Popen([PYTHON, "-m", "procurewatch.cli", *args], env=env(home), cwd=home,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)  # fmt: skip
    time.sleep(seconds)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(60)


def complete_runs(store: Path) -> set[str]:
    with open_store(store) as opened:
        return {str(r[0]) for r in opened.con.execute("SELECT run_id FROM runs").fetchall()}


def folder_run(out: Path) -> str | None:
    """The run whose outputs the folder holds (None: no outputs); a move into the folder that
    a kill cut short (finished by the next run) counts as its run."""
    summary = out / "summary.json"
    if not summary.is_file():
        moving = list(out.glob(f"{INNER_PREFIX}*/summary.json")) if out.is_dir() else []
        if not moving:
            assert not (out / "hits.csv").exists(), f"hits without a summary in {out}"
            return None
        summary = moving[0]
    value = json.loads(summary.read_text(encoding="utf-8"))["run_id"]
    return str(value)


def check_after_kill(out: Path, store: Path, home: Path, data: Path) -> str:
    """Assertions common to every kill point; returns how the later run went."""
    run_id = folder_run(out)
    known = complete_runs(store)
    assert run_id is None or run_id in known, f"{out} holds run {run_id}, unknown to the store"
    listed = json.loads(run(["runs", "--all", "--json", "--store", str(store)], home).stdout)
    statuses = {item["run_id"]: item["status"] for item in listed}
    assert set(statuses.values()) <= {"complete", "killed"}, statuses
    assert {r for r, s in statuses.items() if s == "complete"} == known
    again = run(screen(data, out, store, *(["--force"] if run_id else [])), home)
    assert again.returncode == 0, again.stderr
    after = folder_run(out)
    assert after is not None and after != run_id and after in complete_runs(store)
    return "forced" if run_id else "plain"


@pytest.mark.parametrize("point", POINTS)
def test_a_kill_at_each_step_leaves_no_unknown_run(
    point: str, many_hits: Path, tmp_path: Path
) -> None:
    store, out = tmp_path / "store.duckdb", tmp_path / "out"
    extra: list[str] = []
    if point == "moving":  # a folder with an earlier run, replaced with --force
        assert run(screen(many_hits, out, store), tmp_path).returncode == 0
        extra = ["--force"]
    before = complete_runs(store) if store.exists() else set()
    done = run(screen(many_hits, out, store, *extra), tmp_path, driver=point)
    assert done.returncode == -signal.SIGKILL, done.stderr
    recorded = complete_runs(store) - before
    assert len(recorded) == (1 if point in ("saved", "staged", "moving") else 0), point
    killed = json.loads(run(["runs", "--all", "--json", "--store", str(store)], tmp_path).stdout)
    if not recorded:
        assert [r["status"] for r in killed if r["status"] != "complete"] == ["killed"], killed
    check_after_kill(out, store, tmp_path, many_hits)


def test_kills_at_moments_of_a_plain_run(many_hits: Path, tmp_path: Path) -> None:
    store = tmp_path / "store.duckdb"
    how = []
    for i, seconds in enumerate(TIMED):
        out = tmp_path / f"out{i}"
        killed_at(seconds, screen(many_hits, out, store), tmp_path)
        how.append(check_after_kill(out, store, tmp_path, many_hits))
    assert len(how) == len(TIMED)
