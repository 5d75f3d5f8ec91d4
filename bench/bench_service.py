"""Loopback load test of ``procurewatch serve``: concurrent ``POST /match`` batches.

    python3 bench/bench_service.py [--clients 8] [--requests 2000] [--batch 5] [--cap 60] [--json]

Starts ``procurewatch serve`` (uvicorn) on 127.0.0.1 and a free port in a subprocess, over a
temporary store, waits for ``/healthz``, warms up (the first match compiles the watchlist), then
runs ``--clients`` concurrent httpx clients that together send ``--requests`` POST /match
batches of ``--batch`` real-looking vendor names (about 1 in 6 a listed company or a variant),
stopping early at the hard time cap. Prints requests/s, names/s and p50/p95/p99 latency, then
stops the server. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

HOST = "127.0.0.1"
TOKEN = "bench-token"
VENDORS = (
    "Motorola Solutions Inc", "Cintas Corporation", "W.W. Grainger Inc", "Home Depot USA Inc",
    "Axis Communications Inc", "Avigilon USA Corporation", "Genetec Inc", "Johnson Controls Inc",
    "Tri-County Security Systems LLC", "Patriot Video Solutions LLC", "CDW Government LLC",
    "SHI International Corp", "Insight Public Sector Inc", "Dell Marketing LP",
    "Verizon Wireless", "AT&T Mobility National Accounts", "Staples Contract & Commercial",
    "Fastenal Company", "Hach Company", "Lexipol LLC", "Axon Enterprise Inc",
    "Securitas Electronic Security Inc", "ADT Commercial LLC", "Convergint Technologies LLC",
    "Stanley Convergent Security Solutions", "Pelco Inc", "Bosch Security Systems LLC",
    "Hanwha Vision America", "Verkada Inc", "Eagle Eye Networks Inc", "Anixter Inc",
    "Graybar Electric Company Inc", "ScanSource Inc", "Wesco Distribution Inc",
    "Hikvision USA Inc", "HIKVISON DIGITAL TECHNOLOGY", "Dahua Technology USA Inc",
    "ZHEJIANG DAHUA TECHNOLOGY CO LTD", "Huawei Technologies USA", "ZTE USA Inc",
    "Hytera Communications America (West) Inc", "Lorex Technology Inc", "EZVIZ Inc",
    "海康威视数字技术股份有限公司", "Amcrest Technologies LLC", "Uniview Technologies",
    "Hangzhou Hikvision Digital Tech Co", "Sirius Computer Solutions", "Presidio Networked Solutions",
    "Carahsoft Technology Corp", "Zones LLC", "Connection Public Sector Solutions",
    "Safeware Inc", "Galls LLC", "Municipal Emergency Services Inc", "Siemens Industry Inc",
    "Schneider Electric Buildings Americas", "Honeywell International Inc", "Identiv Inc",
    "Allegion US", "Brivo Systems LLC", "LenelS2 Carrier", "March Networks Corp",
)  # fmt: skip


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(store: Path, port: int) -> subprocess.Popen[bytes]:
    """``procurewatch serve`` on 127.0.0.1:port, in a subprocess."""
    command = [sys.executable, "-m", "procurewatch.cli", "serve", "--host", HOST]
    command += ["--port", str(port), "--store", str(store), "--token", TOKEN]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_ready(url: str, server: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    """Poll ``/healthz`` until the server answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            err = server.stderr.read().decode() if server.stderr else ""
            raise SystemExit(f"the server exited ({server.returncode}): {err[-2000:]}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit(f"the server did not answer on {url} within {timeout:.0f}s")


def batch(n: int, size: int) -> dict[str, Any]:
    """The n-th request body: ``size`` vendor names in the match-API shape."""
    names = [VENDORS[(n * size + i) % len(VENDORS)] for i in range(size)]
    return {
        "queries": {
            f"q{i}": {"schema": "Company", "properties": {"name": [name]}}
            for i, name in enumerate(names)
        }
    }


async def load(url: str, clients: int, requests: int, size: int, cap: float) -> dict[str, Any]:
    """Send ``requests`` batches over ``clients`` concurrent clients; latencies in seconds."""
    latencies: list[float] = []
    errors = 0
    counter = iter(range(requests))
    deadline = time.perf_counter() + cap

    async def client() -> None:
        nonlocal errors
        async with httpx.AsyncClient(base_url=url, timeout=30.0) as http:
            for n in counter:
                if time.perf_counter() > deadline:
                    return
                start = time.perf_counter()
                response = await http.post("/match", json=batch(n, size))
                latencies.append(time.perf_counter() - start)
                if response.status_code != 200 or len(response.json()["responses"]) != size:
                    errors += 1

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return {"elapsed": time.perf_counter() - start, "latencies": latencies, "errors": errors}


def _pct(values: list[float], q: int) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else 0.0
    )


def report(result: dict[str, Any], clients: int, size: int, cap: float) -> dict[str, Any]:
    """The figures to print."""
    lat = sorted(result["latencies"])
    done = len(lat)
    return {
        "clients": clients,
        "batch": size,
        "requests": done,
        "errors": result["errors"],
        "elapsed_s": round(result["elapsed"], 2),
        "capped": result["elapsed"] >= cap,
        "requests_per_s": round(done / result["elapsed"], 1),
        "names_per_s": round(done * size / result["elapsed"], 1),
        "p50_ms": round(_pct(lat, 50) * 1000, 1),
        "p95_ms": round(_pct(lat, 95) * 1000, 1),
        "p99_ms": round(_pct(lat, 99) * 1000, 1),
        "max_ms": round(lat[-1] * 1000, 1) if lat else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=5)
    parser.add_argument("--cap", type=float, default=60.0, help="Hard time cap in seconds.")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="procurewatch-bench-") as tmp:
        port = free_port()
        url = f"http://{HOST}:{port}"
        server = start_server(Path(tmp) / "store.duckdb", port)
        try:
            wait_ready(url, server)
            warm = time.perf_counter()
            asyncio.run(load(url, 1, 20, args.batch, 60.0))
            warm_s = time.perf_counter() - warm
            result = asyncio.run(load(url, args.clients, args.requests, args.batch, args.cap))
        finally:
            server.terminate()
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                server.kill()
    figures = {**report(result, args.clients, args.batch, args.cap), "warmup_s": round(warm_s, 2)}
    if args.json:
        print(json.dumps(figures))
        return
    print(
        f"POST /match, {figures['clients']} concurrent clients, {figures['batch']} names per "
        f"request, {figures['requests']:,} requests in {figures['elapsed_s']} s"
        + (" (time cap reached)" if figures["capped"] else "")
        + f", {figures['errors']} errors (warm-up {figures['warmup_s']} s)"
    )
    print(
        f"throughput: {figures['requests_per_s']:,} requests/s, {figures['names_per_s']:,} names/s"
    )
    print(
        f"latency: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, "
        f"p99 {figures['p99_ms']} ms, max {figures['max_ms']} ms"
    )


if __name__ == "__main__":
    main()
