"""A screen's head start: ``open_input``'s ``opened`` hook comes before the value formats are
sampled; ``head_start`` begins a clean CSV's fast read (and nothing else's); a failure leaves no
thread; and through ``procurewatch screen`` an input that cannot be opened is still a failed run
in the store, while a clean CSV gives the same hits with or without the fast path.

The files are composed here (made-up payments), not real records.
"""

from __future__ import annotations

import csv
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from procurewatch.errors import InputError
from procurewatch.ingest import detect, duckcsv
from procurewatch.ingest.base import InputReader, open_input
from procurewatch.ingest.valueformat import ValueFormats
from procurewatch.screen.engines import head, local

HEADER = ["Check Date", "Vendor Name", "Department", "Invoice Description", "Amount"]
ROWS = [
    ("25/03/2020", "Hikvision USA Inc", "Police", "DS-2CD2143G2-I dome camera x12", "4,310.00"),
    ("19/07/2021", "Summit Electric LLC", "Parks", "Dahua IPC-HFW2431S-S-S2 camera", "980.00"),
    ("05/01/2018", "Acme Office Supply", "Finance", "Toner and paper", "120.50"),
    ("05/05/2022", "HIKVISON USA", "Water", "NVR DS-7608NI-K2 8 channel", "655.00"),
]
WAIT = 10.0


CliRun = Callable[..., tuple[int, str, str]]
"""The ``cli`` fixture (tests/conftest.py)."""


def _csv(path: Path, copies: int = 1) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        for i in range(copies):
            writer.writerows(ROWS if i % 25 == 0 else [ROWS[2]])
    return path


def _threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.is_alive()}


def _no_new_threads(before: set[threading.Thread]) -> None:
    left = list(_threads() - before)
    for thread in left:
        thread.join(WAIT)
    alive = [t.name for t in left if t.is_alive()]
    assert not alive, f"threads left running: {alive}"


# --- open_input's ``opened`` hook -------------------------------------------------------------


def test_opened_is_called_once_before_the_formats_are_sampled(tmp_path: Path) -> None:
    path = _csv(tmp_path / "payments.csv")
    calls: list[tuple[InputReader, ValueFormats, tuple[str, ...]]] = []
    reader = open_input(
        path, opened=lambda r: calls.append((r, r.field_map.formats, r.field_map.vendor))
    )
    assert len(calls) == 1
    seen, formats, vendor = calls[0]
    assert seen is reader
    assert vendor == ("Vendor Name",)  # the roles are known when it is called
    assert formats == ValueFormats()  # the formats are not: still the default
    assert reader.field_map.formats.day_first  # decided after: 25/03/2020 is day first
    assert reader.field_map.formats != ValueFormats()


def test_opened_is_not_called_for_a_file_without_screenable_columns(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    calls: list[InputReader] = []
    with pytest.raises(InputError, match="no vendor-name or description column"):
        open_input(path, opened=calls.append)
    assert calls == []


# --- head_start ------------------------------------------------------------------------------


def test_head_start_begins_the_fast_read_of_a_clean_csv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(head, "FAST_BATCH_ROWS", 500)
    path = _csv(tmp_path / "payments.csv", 500 * (duckcsv.FETCH_AHEAD + 20))  # more than it holds
    before = _threads()
    started = head.head_start([path], batch_size=500)
    assert started is not None and started.fast is not None
    try:
        assert started.fast._reading is not None, "the fast read was not started"
        counter = started.fast._reading.counter
        assert any(t.name == "procurewatch-reader" for t in _threads() - before)  # fetching
        assert started.reader.field_map.formats.day_first  # formats sampled all the same
        assert started.take(tmp_path / "other.csv", None) == (None, None)
        assert started.take(path, None) == (started.reader, started.fast)
        assert started.take(path, None) == (None, None)  # once only
    finally:
        started.close()
    assert started.fast._reading is None
    assert counter.stopping.is_set()  # abandoned: its count is not needed
    _no_new_threads(before)


def test_head_start_with_the_fast_path_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROCUREWATCH_FAST_CSV", "0")
    started = head.head_start([_csv(tmp_path / "payments.csv")])
    assert started is not None and started.fast is None


def test_head_start_of_json_has_no_fast_read(tmp_path: Path) -> None:
    path = tmp_path / "payments.json"
    rows = [{"vendor": "Hikvision USA Inc", "description": "NVR", "amount": "1.00"}]
    path.write_text(json.dumps(rows), encoding="utf-8")
    started = head.head_start([path])
    assert started is not None and started.reader.format == "json" and started.fast is None


def test_head_start_of_xlsx_has_no_fast_read(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl", reason="writing a workbook needs openpyxl")
    path = tmp_path / "payments.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(list(ROWS[0]))
    book.save(path)
    started = head.head_start([path])
    assert started is not None and started.reader.format == "xlsx" and started.fast is None


def test_head_start_of_nothing_or_every_sheet_is_none(tmp_path: Path) -> None:
    assert head.head_start([]) is None
    assert head.head_start([_csv(tmp_path / "p.csv")], sheet="all") is None


def test_a_bad_file_raises_and_leaves_no_threads(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    before = _threads()
    with pytest.raises(InputError, match="empty"):
        head.head_start([path])
    _no_new_threads(before)


def test_a_failure_after_the_read_began_stops_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The read begins in the ``opened`` hook; an error after it (here: sampling the formats)
    must not leave the line count or the fetch thread running."""
    path = _csv(tmp_path / "payments.csv", 20_000)
    begun: list[duckcsv.FastCsv] = []
    counters: list[duckcsv._LineCounter] = []
    real_fast_csv = head.fast_csv

    def recorded(reader: InputReader) -> duckcsv.FastCsv:
        begun.append(real_fast_csv(reader))
        return begun[-1]

    def broken(reader: InputReader) -> ValueFormats:
        assert begun and begun[0]._reading is not None  # the read had begun
        counters.append(begun[0]._reading.counter)
        raise InputError("formats could not be sampled (composed failure)", path=str(path))

    monkeypatch.setattr(head, "fast_csv", recorded)
    monkeypatch.setattr(detect, "_formats", broken)
    before = _threads()
    with pytest.raises(InputError, match="composed failure"):
        head.head_start([path])
    assert len(begun) == 1 and begun[0]._reading is None
    assert len(counters) == 1 and counters[0].stopping.is_set()  # abandoned at once
    _no_new_threads(before)


# --- through the command line ------------------------------------------------------------------


def _runs(cli: CliRun, store: Path) -> list[dict[str, Any]]:
    code, out, err = cli("runs", "--all", "--json", "--store", str(store))
    assert code == 0, err
    listed = json.loads(out)
    assert isinstance(listed, list)
    return listed


@pytest.mark.parametrize(
    ("content", "says"),
    [(b"", "empty"), (b"a,b\n1,2\n", "no vendor-name or description column")],
    ids=["empty", "no screenable column"],
)
def test_an_input_that_cannot_be_opened_is_a_failed_run(
    cli: CliRun, tmp_path: Path, content: bytes, says: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    store, out = tmp_path / "store.duckdb", tmp_path / "out"
    before = _threads()
    code, _, err = cli("screen", str(path), "--out", str(out), "--store", str(store), "-q")
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and says in lines[0], err
    assert "bad.csv" in lines[0] and "Traceback" not in err
    assert not (out / "hits.csv").exists()
    runs = _runs(cli, store)
    assert [(r["command"], r["status"]) for r in runs] == [("screen", "failed")]
    assert says in runs[0]["error"]
    _no_new_threads(before)


def test_a_failure_after_the_head_start_closes_it(
    cli: CliRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first input's read begins before the watchlist loads; the watchlist failing (here
    made to, a composed failure) is one ``error:`` line, and the read begun is stopped. (The
    watchlist loads before the run is recorded, as before the head start: no run is listed.)"""
    from procurewatch.watchlist import assemble

    heads: list[head.HeadStart | None] = []
    real_head_start = head.head_start

    def recorded(*args: Any, **kwargs: Any) -> head.HeadStart | None:
        heads.append(real_head_start(*args, **kwargs))
        return heads[-1]

    def no_watchlist(store: Path) -> Any:
        raise InputError("the watchlist could not be read (composed failure)")

    monkeypatch.setattr(head, "head_start", recorded)
    monkeypatch.setattr(assemble, "load_watchlist", no_watchlist)
    path = _csv(tmp_path / "payments.csv", 20_000)
    store, out = tmp_path / "store.duckdb", tmp_path / "out"
    before = _threads()
    code, _, err = cli("screen", str(path), "--out", str(out), "--store", str(store), "-q")
    assert code != 0 and err.startswith("error:") and "composed failure" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not (out / "hits.csv").exists()
    assert len(heads) == 1 and heads[0] is not None and heads[0].fast is not None
    assert heads[0].fast._reading is None, "the head start's read was not stopped"
    assert all(r["status"] != "running" for r in _runs(cli, store))
    _no_new_threads(before)


def test_a_clean_csv_gives_the_same_hits_with_and_without_the_fast_path(
    cli: CliRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _csv(tmp_path / "payments.csv", 2_000)
    heads: list[head.HeadStart | None] = []
    fast_taken: list[bool] = []
    real_head_start, real_fast = head.head_start, local._fast

    def recorded(*args: Any, **kwargs: Any) -> head.HeadStart | None:
        heads.append(real_head_start(*args, **kwargs))
        return heads[-1]

    def spied(*args: Any, **kwargs: Any) -> bool:
        fast_taken.append(real_fast(*args, **kwargs))
        return fast_taken[-1]

    monkeypatch.setattr(head, "head_start", recorded)
    monkeypatch.setattr(local, "_fast", spied)
    hits = {}
    for setting in ("1", "0"):
        monkeypatch.setenv("PROCUREWATCH_FAST_CSV", setting)
        out = tmp_path / f"out-{setting}"
        args = ("screen", str(path), "--out", str(out), "--store", str(tmp_path / "s.duckdb"))
        code, _, err = cli(*args, "-q")
        assert code == 0, err
        hits[setting] = (out / "hits.csv").read_text(encoding="utf-8")
    fast_head, careful_head = heads
    assert fast_head is not None and fast_head.fast is not None and fast_head.taken
    assert careful_head is not None and careful_head.fast is None
    assert fast_taken == [True], "the clean file did not take the fast path to its end"
    assert hits["1"] == hits["0"]
    assert hits["1"].count("\n") > 80  # a header and many hits (80 copies of two hit rows)
    assert "hikvision" in hits["1"] and "dahua" in hits["1"]
