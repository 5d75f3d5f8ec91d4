"""One store shared by the service and the command line at once (real processes).

The service (``procurewatch serve``) is kept under read load by four client threads while two
``screen`` and five ``review confirm`` commands start together on the same store: every command
must succeed (a writer waits its turn, it does not fail), and every run and decision must be in
the store afterwards.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from procurewatch.store.db import open_store

pytestmark = pytest.mark.slow

PYTHON = sys.executable
ROOT = Path(__file__).resolve().parents[2]
"""The source tree the commands run from (unless PYTHONPATH says otherwise)."""
TOKEN = "shared-store-test-token-0123456789"
ROWS = [
    ("2021-03-01", "Hikvision USA Inc", "DS-2CD2143G2-I dome camera", "1200.00"),
    ("2021-04-02", "Zhejiang Dahua Technology Co. Ltd", "NVR recorder", "450.00"),
    ("2021-05-03", "Huawei Technologies Co Ltd", "switch", "900.00"),
    ("2021-06-04", "ZTE Corporation", "router", "300.00"),
    ("2021-07-05", "Hytera Communications Corporation Limited", "radios", "700.00"),
    ("2021-08-06", "Acme Supply Inc", "road salt", "80.00"),
]
"""Composed rows (not from any real data set): five listed vendors and one other."""
REPEAT = 3000
"""Copies of the rows: 18,000 records, 15,000 hits per run."""


def _env(home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.environ.get("PYTHONPATH") or str(ROOT),
        "PROCUREWATCH_HOME": str(home),
        "PROCUREWATCH_TOKEN": TOKEN,
        "PROCUREWATCH_STORE_WAIT": "120",
        "PROCUREWATCH_THREADS": "1",
    }


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _cli(args: list[str], home: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [PYTHON, "-m", "procurewatch.cli", *args], env=_env(home), text=True, cwd=home,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def _wait_up(url: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert server.poll() is None, "the service exited"
        assert time.monotonic() < deadline, "the service did not start"
        time.sleep(0.2)


class Readers:
    """Threads reading runs and hits from the service until stopped; they count answers."""

    def __init__(self, url: str, run_id: str, count: int = 6) -> None:
        self.url, self.run_id = url, run_id
        self.stop = threading.Event()
        self.answers: list[int] = []
        self.threads = [threading.Thread(target=self._read, daemon=True) for _ in range(count)]

    def _read(self) -> None:
        paths = ["/runs", f"/runs/{self.run_id}/hits", f"/runs/{self.run_id}"]
        with httpx.Client(base_url=self.url, timeout=180) as client:
            while not self.stop.is_set():
                for path in paths:
                    self.answers.append(client.get(path).status_code)

    def __enter__(self) -> Readers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(200)


def test_service_and_command_line_share_one_store(tmp_path: Path) -> None:
    data = tmp_path / "purchases.csv"
    with data.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Check Date", "Vendor Name", "Invoice Description", "Amount"])
        for i in range(REPEAT):  # a run big enough that saving it takes a while
            writer.writerows(
                (day, vendor, f"{what} #{i}", amount) for day, vendor, what, amount in ROWS
            )
    store = tmp_path / "store.duckdb"
    first = _cli(["screen", str(data), "--out", str(tmp_path / "first"), "--store", str(store),
                  "-q"], tmp_path)  # fmt: skip
    assert first.wait(300) == 0, first.communicate()[1]
    with (tmp_path / "first" / "hits.csv").open(encoding="utf-8") as fh:
        hits = [row for row in csv.DictReader(fh)]
    run_id = _only_run(store)
    hit_ids = sorted({row["hit_id"] for row in hits})
    assert len(hit_ids) >= 5, hit_ids

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [PYTHON, "-m", "procurewatch.cli", "serve", "--port", str(port), "--store", str(store)],
        env=_env(tmp_path), text=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        cwd=tmp_path,
    )  # fmt: skip
    try:
        _wait_up(url, server)
        with Readers(url, run_id) as readers:
            time.sleep(1.0)  # the readers are busy before the writers start
            commands = [
                _cli(
                    [
                        "screen",
                        str(data),
                        "--out",
                        str(tmp_path / f"s{i}"),
                        "--store",
                        str(store),
                        "-q",
                    ],
                    tmp_path,
                )
                for i in range(2)
            ] + [
                _cli(
                    [
                        "review",
                        "confirm",
                        run_id,
                        hit_id,
                        "--reviewer",
                        f"analyst{i}",
                        "--store",
                        str(store),
                    ],
                    tmp_path,
                )
                for i, hit_id in enumerate(hit_ids[:5])
            ]
            results = [(p.wait(600), *p.communicate()) for p in commands]
        for code, _out, err in results:
            assert code == 0, err
            assert "Traceback" not in err
        assert readers.answers and set(readers.answers) == {200}, set(readers.answers)
        assert httpx.get(f"{url}/runs", timeout=60).status_code == 200
    finally:
        server.terminate()
        server.communicate(timeout=30)
    with open_store(store, read_only=True) as opened:
        runs = opened.con.execute("SELECT count(*) FROM runs").fetchone()
        decided = opened.con.execute(
            "SELECT hit_id, reviewer FROM decisions WHERE run_id = ? ORDER BY hit_id", [run_id]
        ).fetchall()
    assert runs == (3,)
    assert decided == [(hit_id, f"analyst{i}") for i, hit_id in enumerate(hit_ids[:5])]
    for i in range(2):
        assert (tmp_path / f"s{i}" / "summary.json").is_file()


def _only_run(store: Path) -> str:
    with open_store(store, read_only=True) as opened:
        row = opened.con.execute("SELECT run_id FROM runs").fetchone()
    assert row is not None
    return str(row[0])
