"""The Spark engine on a standalone cluster finds the same hits as the local engine.

    python3 bench/spark_cluster_parity.py [--rows 20000] [--csv FILE] [--cores 2]

A benchmark script, not a CI test (a cluster's start-up alone takes tens of seconds). It starts
a Spark master and one worker with PySpark's own ``bin/spark-class`` (the Java classes
``org.apache.spark.deploy.master.Master`` and ``...worker.Worker``), both on 127.0.0.1 and on
free ports, so the executors are real processes spawned by the worker; screens one file with
``procurewatch screen --engine spark --spark-master spark://127.0.0.1:PORT`` and with the local
engine; compares the two hit sets (the columns of ``bench_screen.hit_set``); and stops the
cluster. The file is generated (``bench/gen_procurement.py``, 1% of rows naming a listed maker)
unless ``--csv`` gives one. Exit status 0 when the hits are the same set, 1 when not.

Needs Java (as the Spark engine does). The executors run this Python (``PYSPARK_PYTHON``) with
this checkout first on ``PYTHONPATH``.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_screen import hit_set
from gen_procurement import generate

REPO = Path(__file__).resolve().parents[1]
START_SECONDS = 90


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _spark_home() -> Path:
    import pyspark

    return Path(pyspark.__file__).resolve().parent


def _env(tmp: Path) -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "SPARK_HOME": str(_spark_home()), "SPARK_LOCAL_IP": "127.0.0.1",
            "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable,
            "PYTHONPATH": path, "PROCUREWATCH_HOME": str(tmp / "home"),
            "SPARK_LOG_DIR": str(tmp / "logs"), "SPARK_WORKER_DIR": str(tmp / "work")}  # fmt: skip


def _wait_for(log: Path, text: str, process: subprocess.Popen[bytes]) -> None:
    """Until ``text`` is in ``log``; SystemExit when the process ends or time runs out."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if text in log.read_text(errors="replace"):
            return
        if process.poll() is not None:
            raise SystemExit(f"error: {log.name}: the process stopped; see {log}")
        time.sleep(0.5)
    raise SystemExit(f"error: {log.name}: no {text!r} within {START_SECONDS} s; see {log}")


@contextmanager
def cluster(tmp: Path, cores: int) -> Iterator[str]:
    """A master and one worker on 127.0.0.1; yields the master URL; stops both."""
    spark_class = str(_spark_home() / "bin" / "spark-class")
    port, env = _free_port(), _env(tmp)
    url = f"spark://127.0.0.1:{port}"
    master_log, worker_log = tmp / "master.log", tmp / "worker.log"
    started: list[subprocess.Popen[bytes]] = []
    try:
        with master_log.open("wb") as out:
            started.append(subprocess.Popen(
                [spark_class, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                 "--port", str(port), "--webui-port", str(_free_port())],
                stdout=out, stderr=subprocess.STDOUT, env=env))  # fmt: skip
        _wait_for(master_log, "I have been elected leader", started[0])
        with worker_log.open("wb") as out:
            started.append(subprocess.Popen(
                [spark_class, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                 "--cores", str(cores), "--memory", "1g", "--webui-port", str(_free_port()),
                 "--work-dir", str(tmp / "work"), url],
                stdout=out, stderr=subprocess.STDOUT, env=env))  # fmt: skip
        _wait_for(worker_log, "Successfully registered with master", started[1])
        yield url
    finally:
        for process in reversed(started):
            process.terminate()
        for process in reversed(started):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def screen(path: Path, out: Path, tmp: Path, master: str | None) -> float:
    """One ``procurewatch screen`` (Spark on ``master``, else local): its wall seconds."""
    engine = ["--engine", "spark", "--spark-master", master] if master else []
    cmd = [sys.executable, "-m", "procurewatch.cli", "screen", *engine, str(path), "--out", str(out),
           "--quiet", "--store", str(tmp / f"store-{out.name}.duckdb")]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(cmd, env=_env(tmp), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"error: screen ({out.name}) failed: {done.stderr.strip()[-2000:]}")
    return time.perf_counter() - started


def main() -> int:
    """Run the parity check."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--csv", type=Path, help="screen this file instead of a generated one")
    parser.add_argument("--cores", type=int, default=2, help="the worker's cores (2)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pw-spark-cluster-") as name:
        tmp = Path(name)
        path = args.csv or tmp / "parity.csv"
        if args.csv is None:
            generate(path, args.rows, listed_share=0.01)
        local_s = screen(path, tmp / "local", tmp, None)
        started = time.perf_counter()
        with cluster(tmp, args.cores) as url:
            up_s = time.perf_counter() - started
            spark_s = screen(path, tmp / "spark", tmp, url)
        local, spark = hit_set(tmp / "local"), hit_set(tmp / "spark")
        print(f"file {path} ({path.stat().st_size / 1e6:.1f} MB)")
        print(f"  local engine: {len(local)} hits in {local_s:.1f} s")
        print(f"  standalone cluster {url} (1 worker, {args.cores} cores): master and worker up "
              f"in {up_s:.1f} s; Spark engine {len(spark)} hits in {spark_s:.1f} s")  # fmt: skip
        same = local == spark
        print(f"  hits the same set: {'yes' if same else 'NO'}")
        if not same:
            for label, only in (("local only", local - spark), ("spark only", spark - local)):
                for hit in sorted(only)[:10]:
                    print(f"    {label}: {hit}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
