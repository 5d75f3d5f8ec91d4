"""Lines too long to read are cut out of the stream; the row is rejected, the rest is read."""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow as pa
from pytest import MonkeyPatch

from procurewatch.ingest import open_input
from procurewatch.ingest.longlines import CUT_BYTES, LineCutStream

from .conftest import rows


def _cut(data: bytes, limit: int = 64, keep: int = 8, chunk: int = 7) -> bytes:
    stream = LineCutStream(io.BytesIO(data), limit=limit, keep=keep, chunk=chunk)
    out = b""
    while piece := stream.read(5):
        out += piece
    return out


def test_short_lines_pass_unchanged() -> None:
    data = b'a,b\n"x\ny",2\r\nlast line without a break'
    assert _cut(data) == data


def test_a_long_line_keeps_its_ends_its_line_count_and_its_quote_parity() -> None:
    long = b'id,"' + b"q" * 100 + b'"x",' + b"z" * 100 + b"\n"  # 2 quotes in the middle
    data = b"head,er\n" + long + b"next,row\n"
    out = _cut(data)
    lines = out.split(b"\n")
    assert len(lines) == len(data.split(b"\n"))
    assert lines[0] == b"head,er" and lines[2] == b"next,row"
    assert lines[1].startswith(b'id,"qqqq') and lines[1].endswith(b"z" * 8)
    (cut,) = CUT_BYTES.findall(lines[1].decode())
    assert int(cut) == len(long) - 1 - 16
    assert lines[1].count(b'"') % 2 == long.count(b'"') % 2


def test_an_odd_number_of_cut_quotes_is_made_up_by_the_marker() -> None:
    long = b"a," + b"q" * 50 + b'"' + b"q" * 50 + b"\n"  # one quote, cut out
    out = _cut(long)
    assert out.count(b'"') % 2 == 1


def _with_a_long_row(path: Path, size: int, before: str = "") -> Path:
    """A payments file whose row ``Big`` holds a description of ``size`` bytes."""
    with path.open("w", encoding="utf-8") as fh:
        fh.write("Vendor,Description,Amount\n" + before)
        fh.write("Big," + "x" * size + ",5\n")
        fh.write("Acme2,Dahua NVR,20\n")
    return path


def test_a_row_too_long_to_read_is_rejected_and_the_others_are_kept(tmp_path: Path) -> None:
    path = _with_a_long_row(tmp_path / "big.csv", 40 << 20, before="Acme,Hikvision camera,10\n")
    reader = open_input(path)
    got = rows(reader)
    assert [r["Vendor"] for r in got] == ["Acme", "Acme2"]
    assert [r["_row"] for r in got] == [1, 3]
    (reject,) = reader.rejects
    assert reject.line == 3 and reject.row == 2
    assert "too long to read" in reject.reason and "41,943,046 bytes" in reject.reason


def test_a_pass_given_up_leaves_its_file_to_arrow(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    """Arrow reads ahead on a thread of its own. A pass that ends on a parse error (here: a
    line longer than a block, read again in bigger blocks) must not close the file under
    that read: its descriptor would go to the next pass's file, and the read's rest would
    come out of it (the header and the first rows lost without a trace, about one run in
    fifty under load)."""
    closed: list[str] = []

    class Watched(pa.OSFile):  # type: ignore[misc]
        def close(self) -> None:
            closed.append("closed")
            super().close()

    monkeypatch.setattr(pa, "OSFile", Watched)
    reader = open_input(_with_a_long_row(tmp_path / "big.csv", 20 << 20))
    got = rows(reader)
    assert [(r["Vendor"], r["_row"]) for r in got] == [("Big", 1), ("Acme2", 2)]
    assert len(got[0]["Description"]) == 20 << 20 and not reader.rejects
    assert closed == []  # two passes, each file left to the reader that read it
