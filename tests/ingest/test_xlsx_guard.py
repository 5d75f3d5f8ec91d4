"""Worksheet cells and rows too big to read are rejected (file, row, size) while streaming,
without reading them whole; the other rows are kept."""

from __future__ import annotations

import functools
import io
import random
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from procurewatch.ingest import open_input
from procurewatch.ingest.xlsx_guard import MAX_CELL_BYTES, MAX_ROW_BYTES, GuardedSheet

from .conftest import rows

Cell = bytes | list[bytes]
"""A cell's text (as XML text), or its pieces, written one after the other."""


def _workbook(path: Path, data: list[list[Cell]]) -> Path:
    """A workbook whose sheet holds ``data`` as inline strings, its XML written in pieces (a
    cell can be bigger than memory would hold)."""
    book = Workbook()
    book.active.append(["placeholder"])
    plain = io.BytesIO()
    book.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info.filename, source.read(info.filename))
                continue
            with out.open(info.filename, "w", force_zip64=True) as member:
                member.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns='
                             b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                             b"<sheetData>")  # fmt: skip
                for number, line in enumerate(data, start=1):
                    member.write(b'<row r="%d">' % number)
                    for cell in line:
                        member.write(b'<c t="inlineStr"><is><t>')
                        for piece in [cell] if isinstance(cell, bytes) else cell:
                            member.write(piece)
                        member.write(b"</t></is></c>")
                    member.write(b"</row>")
                member.write(b"</sheetData></worksheet>")
    return path


def test_a_cell_over_the_limit_is_rejected_and_the_other_rows_kept(tmp_path: Path) -> None:
    big = b"x" * (MAX_CELL_BYTES + 10)
    path = _workbook(tmp_path / "po.xlsx", [
        [b"Vendor Name", b"Description"],
        [b"Hikvision USA Inc", b"camera"],
        [b"ACME", big],
        [b"Dahua", b"recorder"],
    ])  # fmt: skip
    reader = open_input(path)
    kept = rows(reader)
    assert [r["Vendor Name"] for r in kept] == ["Hikvision USA Inc", "Dahua"]
    [reject] = reader.rejects
    assert reject.file == str(path) and reject.line == 3
    assert "a cell of 1.0 MB is over the limit of 1.0 MB a cell" in reject.reason


def test_a_row_over_the_limit_is_rejected(tmp_path: Path) -> None:
    cell = b"y" * (MAX_CELL_BYTES - 100)
    count = MAX_ROW_BYTES // len(cell) + 1
    header: list[Cell] = [b"Vendor Name", *(b"c%d" % i for i in range(count))]
    path = _workbook(tmp_path / "wide.xlsx", [header, [b"ACME", *[cell] * count], [b"Huawei"]])
    reader = open_input(path)
    assert [r["Vendor Name"] for r in rows(reader)] == ["Huawei"]
    assert [r.line for r in reader.rejects] == [2]


def test_the_guard_passes_ordinary_xml_unchanged() -> None:
    xml = (b'<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr">'
           b"<is><t>caf\xc3\xa9 &amp; co</t></is></c></row><row r=\"2\"><c><v>12.5</v></c></row>"
           b"</sheetData></worksheet>")  # fmt: skip
    for size in (1, 7, 64, 1 << 16):
        guarded = GuardedSheet(io.BytesIO(xml), "x.xlsx")
        out = b"".join(iter(functools.partial(guarded.read, size), b""))
        assert out == xml and guarded.oversized == {}


def _low_entropy(size: int) -> list[bytes]:
    """``size`` bytes (whole MiB) that pack about 150:1, as 1 MiB pieces."""
    rng = random.Random(7)
    blocks = []
    for _ in range(8):  # different blocks: zlib cannot reach from one to the next
        block = bytearray(b"a" * (1 << 20))
        for at in rng.sample(range(1 << 20), 1 << 11):
            block[at] = rng.choice(b"bcdefghijklmnopqrstuvwxyz")
        blocks.append(bytes(block))
    return [blocks[i % len(blocks)] for i in range(size >> 20)]


@pytest.mark.slow
def test_a_gigabyte_cell_is_rejected_in_bounded_memory(tmp_path: Path) -> None:
    """A 1.8 GB cell in a ~12 MB workbook (packs ~150:1, under the 200:1 zip-bomb cap): the
    CLI rejects its row with the size and stays under 1 GB of memory."""
    path = _workbook(tmp_path / "bomb.xlsx", [
        [b"Vendor Name", b"Description"],
        [b"Hikvision USA Inc", b"camera"],
        [b"ACME", _low_entropy(1800 << 20)],
    ])  # fmt: skip
    info = zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml")
    assert 100 < info.file_size / info.compress_size < 200
    probe = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.stderr.write(done.stderr)\n"
    )
    command = [sys.executable, "-c", probe, sys.executable, "-m", "procurewatch.cli", "screen",
               str(path), "--out", str(tmp_path / "out"), "--store", str(tmp_path / "s.duckdb"),
               "-q"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=tmp_path,
                          env={**__import__("os").environ, "PROCUREWATCH_HOME": str(tmp_path)})  # fmt: skip
    code, peak_kib = (int(x) for x in done.stdout.split())
    assert code == 0, done.stderr
    assert "Traceback" not in done.stderr
    rejects = (tmp_path / "out" / "rejects.csv").read_text(encoding="utf-8")
    assert f"{path},3,2," in rejects or str(path) in rejects
    assert "a cell of 1.9 GB is over the limit" in rejects
    assert "Hikvision" in (tmp_path / "out" / "hits.csv").read_text(encoding="utf-8")
    print(f"CLI peak RSS {peak_kib >> 10} MiB")  # noqa: T201 - the figure, with -s
    assert peak_kib < 1 << 20, f"peak {peak_kib >> 10} MiB"
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < 1 << 21  # the test itself


def _status(pid: int, key: str) -> int:
    """A /proc/PID/status figure in KiB (VmRSS, VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise AssertionError(f"no {key} for pid {pid}")


@pytest.mark.slow
def test_the_service_screens_a_gigabyte_cell_and_gives_the_memory_back(tmp_path: Path) -> None:
    """Uploaded, the 1.8 GB-cell workbook is a reject; the service stays small (the job runs
    in a child process that ends with the job) and its memory returns to its idle size."""
    import os
    import socket
    import time

    import httpx

    path = _workbook(tmp_path / "bomb.xlsx", [
        [b"Vendor Name", b"Description"],
        [b"Hikvision USA Inc", b"camera"],
        [b"ACME", _low_entropy(1800 << 20)],
    ])  # fmt: skip
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    token = "memory-test-token-0123456789"
    env = {**os.environ, "PROCUREWATCH_HOME": str(tmp_path), "PROCUREWATCH_TOKEN": token}
    server = subprocess.Popen(
        [sys.executable, "-m", "procurewatch.cli", "serve", "--port", str(port), "--store",
         str(tmp_path / "store.duckdb")], env=env, cwd=tmp_path, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url, auth = f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {token}"}

    def screen(file: Path) -> dict[str, object]:
        with file.open("rb") as fh:
            job = httpx.post(f"{url}/screen", files={"files": (file.name, fh)}, headers=auth,
                             timeout=120).json()  # fmt: skip
        deadline = time.monotonic() + 600
        while True:
            state: dict[str, object] = httpx.get(f"{url}/jobs/{job['job_id']}").json()
            if state["status"] in ("done", "failed") or time.monotonic() > deadline:
                return state
            time.sleep(0.5)

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                assert time.monotonic() < deadline and server.poll() is None
                time.sleep(0.2)
        small = _workbook(tmp_path / "small.xlsx", [[b"Vendor Name"], [b"Hikvision USA Inc"]])
        assert screen(small)["status"] == "done"  # warm: the matcher is compiled
        idle = _status(server.pid, "VmRSS")
        job = screen(path)
        assert job["status"] == "done", job
        summary = job["summary"]
        assert isinstance(summary, dict) and summary["rejected_rows"] == 1 and summary["hits"] >= 1
        peak, after = _status(server.pid, "VmHWM"), _status(server.pid, "VmRSS")
        print(f"service idle {idle >> 10} MiB, peak {peak >> 10} MiB, after {after >> 10} MiB")  # noqa: T201
        assert _status(server.pid, "VmHWM") < 1 << 20  # KiB: under 1 GiB at its peak
        assert _status(server.pid, "VmRSS") < idle + (100 << 10)  # back to its idle size
    finally:
        server.terminate()
        server.wait(30)
