"""Crash safety with real processes: ``procurewatch screen`` killed with SIGKILL mid-way (and at
each step of writing its outputs), an ``--out`` folder holding an earlier run, and two processes
using one store.

What must hold after any kill: the ``--out`` folder is absent or holds one whole run (never
``hits.csv`` without ``summary.json``, never a temporary file; a hidden staging folder may be
left, which the next run removes or finishes), the store opens and every run in it has all its
hits (run row, inputs and hits are one transaction), other runs' outputs are untouched, and the
same command run again completes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from procurewatch.cli import main
from procurewatch.screen.publish import INNER_PREFIX, OUTPUT_FILES
from procurewatch.store.db import open_store

pytestmark = pytest.mark.slow

PYTHON = sys.executable
HANG_GUARD = 600.0
"""Seconds to wait for a worker to end before calling it a hang (not a measurement)."""
BIG_ROWS = 1_500_000
"""About 170 MB: over the local engine's 32 MiB threshold for worker processes, several
seconds to screen even on a quiet machine."""
SMALL = """Check Date,Vendor Name,Department,Invoice Description,Amount
2021-03-01,Hikvision USA Inc,Police,DS-2CD2143G2-I dome camera,1200.00
2021-04-02,Acme Supply Inc,Parks,Road salt,80.00
2021-05-03,Zhejiang Dahua Technology Co. Ltd,IT,NVR recorder,450.00
"""
DRIVER = """
import os, signal, sys
point = sys.argv[1]

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

if point == "writing":  # hits.csv, hits.jsonl, rejects.csv staged; summary.json not yet
    import procurewatch.screen.run as run
    run.write_json = die
elif point == "staged":  # every file staged, nothing published yet
    import procurewatch.screen.run as run  # publish imports write_outputs from here when it runs
    stage = run.write_outputs
    def staged(folder, result):
        stage(folder, result)
        die()
    run.write_outputs = staged
elif point == "moving":  # into a folder with an earlier run: killed after the first move
    import procurewatch.screen.publish as publish
    move, replace = publish._move_files, os.replace
    def replace_once(source, target):
        replace(source, target)
        die()
    def moving(staging, target):
        os.replace = replace_once
        move(staging, target)
    publish._move_files = moving
elif point == "screening":  # the workers have screened a batch: say so, then wait to be killed
    import procurewatch.screen.engines.local as local
    collect = local._collect
    def collect_first(result, batches, progress):
        def first_then_wait():
            for item in batches:
                yield item
                print("screening", flush=True)
                signal.pause()
        collect(result, first_then_wait(), progress)
    local._collect = collect_first
elif point == "recording":  # in the store's transaction: run row and inputs in, hits not
    import procurewatch.store.runs as runs
    runs._hits_table = die
from procurewatch.cli import main
main(sys.argv[2:])
"""


def env(home: Path) -> dict[str, str]:
    """The environment of a screen here: the worker pool (not the DuckDB fast path), whose
    processes show that screening has begun."""
    return {**os.environ, "PROCUREWATCH_HOME": str(home), "COLUMNS": "200",
            "PROCUREWATCH_FAST_CSV": "0", "PROCUREWATCH_WORKERS": "2"}  # fmt: skip


def screen_args(data: Path, out: Path, store: Path, *extra: str) -> list[str]:
    return ["screen", str(data), "--out", str(out), "--store", str(store), "-q", *extra]


def cli(args: list[str], home: Path, driver: str | None = None) -> subprocess.CompletedProcess[str]:
    """``procurewatch ARGS`` in its own process (through :data:`DRIVER` at a kill point)."""
    command = [PYTHON, "-c", DRIVER, driver] if driver else [PYTHON, "-m", "procurewatch.cli"]
    return subprocess.run([*command, *args], capture_output=True, text=True, env=env(home),
                          timeout=600, check=False, start_new_session=True)  # fmt: skip


def here(args: list[str], home: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """``procurewatch ARGS`` in this process (quicker where no process is killed)."""
    monkeypatch.setenv("PROCUREWATCH_HOME", str(home))
    try:
        main(args)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def killed(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == -signal.SIGKILL, done.stderr


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "payments.csv"
    vendors = [f"{a} {b} {c}" for a in ("Acme", "Summit", "Valley", "Metro", "Pioneer")
               for b in ("Supply", "Services", "Electric") for c in ("Inc", "LLC", "Co")]  # fmt: skip
    items = ("Office supplies and toner", "Diesel fuel delivery", "Road salt 40 tons",
             "Axis P3245-LVE dome camera", "Janitorial services")  # fmt: skip
    lines = ["Check Date,Vendor Name,Department,Invoice Description,Amount,Notes"]
    for i in range(BIG_ROWS):
        vendor = "Hikvision USA Inc" if i % 500 == 0 else f"{vendors[i % len(vendors)]} {i % 997}"
        lines.append(f"2021-{i % 12 + 1:02d}-{i % 28 + 1:02d},{vendor},Police,{items[i % 5]},"
                     f"{i % 9999}.00,batch {i} of the yearly purchasing cycle")  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def small_csv(tmp_path: Path) -> Path:
    path = tmp_path / "small.csv"
    path.write_text(SMALL, encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}  # fmt: skip


def staging_left(out: Path) -> list[Path]:
    """Hidden staging folders beside or inside ``out``."""
    beside = list(out.parent.glob(f".{out.name}.staging-*"))
    inside = list(out.glob(f"{INNER_PREFIX}*")) if out.is_dir() else []
    return beside + inside


def assert_whole_or_absent(out: Path) -> dict[str, object] | None:
    """The ``--out`` folder is absent, or holds every output file and no temporary one."""
    if not out.exists():
        return None
    names = {p.name for p in out.iterdir()}
    assert not [n for n in names if n.endswith(".tmp")], names
    assert not [n for n in names if n.startswith(".") and not n.startswith(INNER_PREFIX)], names
    if names & set(OUTPUT_FILES):
        assert set(OUTPUT_FILES) <= names, f"half a run in {out}: {sorted(names)}"
        summary: dict[str, object] = json.loads((out / "summary.json").read_text("utf-8"))
        return summary
    return None


def store_runs(store: Path) -> dict[str, int]:
    """Run id -> hits, after checking that every run has all its hits and inputs, and that no
    hit or input belongs to a run the store does not have."""
    with open_store(store) as opened:  # read-write: replays the write-ahead log
        con = opened.con
        runs = dict(con.execute("SELECT run_id, hits FROM runs").fetchall())
        for run_id, hits in runs.items():
            stored = con.execute("SELECT count(*) FROM hits WHERE run_id = ?", [run_id]).fetchone()
            inputs = con.execute("SELECT count(*) FROM run_inputs WHERE run_id = ?",
                                 [run_id]).fetchone()  # fmt: skip
            assert stored == (hits,) and inputs is not None and inputs[0] >= 1, run_id
        for table in ("hits", "run_inputs"):
            stray = con.execute(f"SELECT count(*) FROM {table} WHERE run_id NOT IN "
                                "(SELECT run_id FROM runs)").fetchone()  # fmt: skip
            assert stray == (0,), table
    return runs


def kill_group(pgid: int) -> None:
    """End what is left of a process group (worker processes of a killed screen)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)


def test_sigkill_mid_screen_loses_nothing(
    big_csv: Path, small_csv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, previous, out = tmp_path / "store.duckdb", tmp_path / "previous", tmp_path / "out"
    assert here(screen_args(small_csv, previous, store), tmp_path, monkeypatch) == 0
    before = snapshot(previous)
    first = store_runs(store)

    proc = mid_screen(big_csv, out, store, tmp_path)
    try:
        assert len(workers(proc.pid)) == 2, "the screen is not using its worker processes"
        proc.send_signal(signal.SIGKILL)  # the main process only, as the OOM killer does
        proc.wait()
    finally:
        kill_group(proc.pid)
    assert proc.returncode == -signal.SIGKILL

    published = assert_whole_or_absent(out)  # no outputs, or one whole run's: never half
    recorded = set(store_runs(store)) - set(first)
    if published is None:
        assert not recorded  # no trace of the killed run, nothing broken
    else:  # killed after publishing: the run is recorded whole or not at all
        assert recorded <= {str(published["run_id"])}
    assert snapshot(previous) == before

    again = cli(screen_args(big_csv, out, store, "--force"), tmp_path)
    assert again.returncode == 0, again.stderr
    summary = assert_whole_or_absent(out)
    assert summary is not None and summary["records"] == BIG_ROWS
    runs = store_runs(store)
    assert len(runs) == 2 + len(recorded) and runs[str(summary["run_id"])] == summary["hits"]
    assert staging_left(out) == [] and snapshot(previous) == before


@pytest.mark.parametrize("point", ["staged", "recording"])
def test_sigkill_while_writing_a_new_folder(
    point: str, small_csv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, out = tmp_path / "store.duckdb", tmp_path / "out"
    args = screen_args(small_csv, out, store)
    killed(cli(args, tmp_path, driver=point))
    summary = assert_whole_or_absent(out)
    recorded = {} if not store.exists() else store_runs(store)
    if point == "recording":  # the run is recorded before its outputs are published
        assert summary is None and not recorded  # the transaction never committed
    else:  # recorded, then killed while staging: hidden, and removed by the next run
        assert summary is None and staging_left(out) and len(recorded) == 1
    assert here(args, tmp_path, monkeypatch) == 0
    summary = assert_whole_or_absent(out)
    assert summary is not None and staging_left(out) == []
    assert list(store_runs(store)) == [*recorded, summary["run_id"]]


@pytest.mark.parametrize("point", ["writing", "staged", "moving"])
def test_sigkill_while_replacing_an_earlier_run(
    point: str, small_csv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, out = tmp_path / "store.duckdb", tmp_path / "out"
    args = screen_args(small_csv, out, store, "--force")
    assert here(args, tmp_path, monkeypatch) == 0
    (out / "notes.txt").write_text("the analyst's notes", encoding="utf-8")
    earlier = snapshot(out)
    killed(cli(args, tmp_path, driver=point))
    if point == "moving":  # between two renames: no summary.json, so no one takes it as whole
        assert not (out / "summary.json").exists() and staging_left(out)
    else:  # the earlier run is untouched; the unfinished staging folder goes with the next run
        assert snapshot(out) == earlier and staging_left(out)
    # the same command finishes or removes what the killed run left, then runs
    assert here(args, tmp_path, monkeypatch) == 0
    assert assert_whole_or_absent(out) is not None and staging_left(out) == []
    assert (out / "notes.txt").read_text(encoding="utf-8") == "the analyst's notes"
    assert len(store_runs(store)) == 3  # the killed run was recorded before publishing


def test_an_earlier_run_is_not_overwritten_without_force(
    small_csv: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store, out = tmp_path / "store.duckdb", tmp_path / "out"
    assert here(screen_args(small_csv, out, store), tmp_path, monkeypatch) == 0
    earlier = snapshot(out)
    capsys.readouterr()
    assert here(screen_args(small_csv, out, store), tmp_path, monkeypatch) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {out} already holds the outputs of run run-")
    assert "--force" in err and err.count("\n") == 1
    assert snapshot(out) == earlier and len(store_runs(store)) == 1
    assert here(screen_args(small_csv, out, store, "--force"), tmp_path, monkeypatch) == 0
    assert snapshot(out)["summary.json"] != earlier["summary.json"]
    assert len(store_runs(store)) == 2


def test_a_second_process_is_told_the_store_is_in_use(
    small_csv: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PROCUREWATCH_STORE_WAIT", "1")  # then give up with the error
    store, out = tmp_path / "store.duckdb", tmp_path / "out"
    assert here(screen_args(small_csv, out, store), tmp_path, monkeypatch) == 0
    holder = subprocess.Popen(
        [PYTHON, "-c", "import signal, sys\nfrom pathlib import Path\n"
         "from procurewatch.store.db import open_store\n"
         "store = open_store(Path(sys.argv[1]))\nprint('ready', flush=True)\nsignal.pause()\n",
         str(store)],
        env=env(tmp_path), stdout=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        done = cli(screen_args(small_csv, tmp_path / "other", store), tmp_path)
        errors = [(done.returncode, done.stderr)]
        capsys.readouterr()
        for args in (["runs", "--store", str(store)], ["rescreen", "latest", "--store", str(store)],
                     ["lists", "versions", "--store", str(store)]):  # fmt: skip
            errors.append((here(args, tmp_path, monkeypatch), capsys.readouterr().err))
        for code, err in errors:
            assert code == 1, err
            assert err.startswith(f"error: store {store} is in use by another procurewatch "
                                  f"process (pid {holder.pid})")  # fmt: skip
            assert err.count("\n") == 1 and "Traceback" not in err
        assert not (tmp_path / "other").exists()  # refused before screening
        holder.send_signal(signal.SIGKILL)  # the holder dies holding the store
        holder.wait(timeout=30)
    finally:
        kill_group(holder.pid)
        if holder.stdout is not None:
            holder.stdout.close()
    assert len(store_runs(store)) == 1
    assert here(screen_args(small_csv, tmp_path / "other", store), tmp_path, monkeypatch) == 0
    assert len(store_runs(store)) == 2


def test_screens_racing_for_one_store(
    small_csv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store.duckdb"
    assert here(screen_args(small_csv, tmp_path / "first", store), tmp_path, monkeypatch) == 0
    procs = [
        subprocess.Popen(
            [
                PYTHON,
                "-m",
                "procurewatch.cli",
                *screen_args(small_csv, tmp_path / f"race{i}", store),
            ],
            env=env(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        for i in range(2)
    ]
    results = [(p.wait(timeout=300), *p.communicate()) for p in procs]
    recorded = 1
    for code, _out, err in results:
        assert "Traceback" not in err
        if code == 0:
            recorded += 1
        else:
            assert code == 1 and err.count("\n") == 1 and "is in use by another" in err, err
    assert len(store_runs(store)) == recorded


def test_no_worker_outlives_a_killed_screen(big_csv: Path, tmp_path: Path) -> None:
    proc = mid_screen(big_csv, tmp_path / "o", tmp_path / "s.duckdb", tmp_path)
    try:
        pids = workers(proc.pid)
        assert len(pids) == 2, "the screen is not using its worker processes"
        handles = [os.pidfd_open(pid) for pid in pids]  # opened while the workers are alive
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for handle in handles:  # each becomes readable when its process ends
            assert select.select([handle], [], [], HANG_GUARD)[0] == [handle], "a worker lives on"
            os.close(handle)
        assert workers(proc.pid) == []
    finally:
        kill_group(proc.pid)


def mid_screen(data: Path, out: Path, store: Path, home: Path) -> subprocess.Popen[str]:
    """A screen of ``data`` on two worker processes, stopped after its first batch came back.

    It prints a line when the batch is in; this returns once the line is read, so the caller
    kills a screen that is certainly mid-way, whatever the machine's load.
    """
    proc = subprocess.Popen([PYTHON, "-c", DRIVER, "screening", *screen_args(data, out, store)],
                            env=env(home), start_new_session=True, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)  # fmt: skip
    assert proc.stdout is not None
    said = next((line for line in proc.stdout if line.strip() == "screening"), None)
    proc.stdout.close()
    if said is None:
        kill_group(proc.pid)
        pytest.fail(f"the screen ended before its first batch came back (exit {proc.wait()})")
    return proc


def workers(pgid: int) -> list[int]:
    """The living processes of a screen's group other than its main one (its workers)."""
    ps = subprocess.run(["ps", "-o", "pid=,stat=", "-g", str(pgid)], capture_output=True,
                        text=True, check=False)  # fmt: skip
    alive = [line.split() for line in ps.stdout.splitlines()]
    return [int(pid) for pid, stat in alive if not stat.startswith("Z") and int(pid) != pgid]
