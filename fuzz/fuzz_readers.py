"""Fuzz the input readers, the name normalizer and comparer, and the nmap parser with atheris.

    python fuzz/fuzz_readers.py -runs=100000
    python fuzz/fuzz_readers.py -max_total_time=600 -print_final_stats=1

Each input's first bytes pick a target; the rest becomes the target's data:

* ``open_input`` over a temporary file holding the bytes as CSV, TSV, .txt, JSON, JSON Lines,
  XLSX, Parquet, a USAspending download (a real header above the bytes), an OCDS package
  (``{"releases": [`` before the bytes) or a file without a telling extension; every batch is
  read with a small batch size and checked (``_row`` positive and never going back);
* an XLSX workbook or a Parquet file *built* from fuzzed cell values (valid containers, odd
  content: control characters, huge numbers, dates, nested lists);
* the nmap XML reader and the inventory opener;
* ``normalize`` and ``compare`` on fuzzed names (never raise, score within [0, 1]).

Anything but a :class:`~procurewatch.errors.ProcurewatchError` with a one-line message is a
crash. A seed corpus of small valid files of every kind is written to a temporary folder and
read after the corpus folders given on the command line (libFuzzer adds new inputs to the first
folder given, else to the seed folder, which is removed when the next run starts).
"""

from __future__ import annotations

import atexit
import io
import math
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import atheris  # type: ignore[import-untyped]

with atheris.instrument_imports(include=["procurewatch"]):
    from procurewatch.errors import ProcurewatchError
    from procurewatch.ingest import open_input
    from procurewatch.ingest.inventory import open_inventory
    from procurewatch.ingest.nmap import NmapReader
    from procurewatch.match.names import compare
    from procurewatch.normalize.names import normalize

USASPENDING_HEADER = (
    b"contract_award_unique_key,award_id_piid,recipient_name,recipient_parent_name,"
    b"awarding_agency_name,prime_award_base_transaction_description,total_obligated_amount,"
    b"period_of_performance_start_date\n"
)
OCDS_PREFIX = b'{"uri": "x", "publishedDate": "2020-01-01", "releases": ['
FILE_TARGETS: tuple[tuple[str, bytes], ...] = (
    (".csv", b""),
    (".tsv", b""),
    (".txt", b""),
    (".json", b""),
    (".jsonl", b""),
    (".xlsx", b""),
    (".parquet", b""),
    (".csv", USASPENDING_HEADER),
    (".json", OCDS_PREFIX),
    ("", b""),
)
"""(file suffix, bytes written before the fuzzed data) of the ``open_input`` targets."""


def _work_folder() -> Path:
    """``$PW_FUZZ_WORK``, else a new folder in memory; folders of finished runs are removed
    (libFuzzer ends the process without running ``atexit``)."""
    if os.environ.get("PW_FUZZ_WORK"):
        folder = Path(os.environ["PW_FUZZ_WORK"])
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    base = Path("/dev/shm") if os.path.isdir("/dev/shm") else Path(tempfile.gettempdir())
    for old in base.glob("pw-fuzz-*"):
        pid = old.name.split("-")[2]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(old, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix=f"pw-fuzz-{os.getpid()}-", dir=base))
    atexit.register(shutil.rmtree, folder, True)
    return folder


WORK = _work_folder()


def _fail(message: str) -> None:
    raise AssertionError(message)


UNRAISABLE: list[str] = []
"""Exceptions Python could only print ("Exception ignored in ..."): a crash too."""


def _unraisable(unraisable: Any) -> None:
    UNRAISABLE.append(f"{type(unraisable.exc_value).__name__}: {unraisable.exc_value}")


sys.unraisablehook = _unraisable


def _check_error(err: ProcurewatchError) -> None:
    if "\n" in str(err) or not str(err).strip():
        _fail(f"error message is not one line: {str(err)!r}")


def _drain(reader: object) -> None:
    """Read every batch; ``_row`` must be positive and never go back."""
    last = 0
    for batch in reader.batches():  # type: ignore[attr-defined]
        rows = batch.column("_row").to_pylist()
        for row in rows:
            if row is None or row < 1 or row < last:
                _fail(f"bad _row {row} after {last}")
            last = row
    for reject in reader.rejects:  # type: ignore[attr-defined]
        if reject.line is not None and reject.line < 1:
            _fail(f"bad reject line {reject.line}")


def _read_file(path: Path, batch_size: int) -> None:
    try:
        reader = open_input(path, batch_size=batch_size, require_roles=False)
        _drain(reader)
    except ProcurewatchError as err:
        _check_error(err)


def _file_target(fdp: atheris.FuzzedDataProvider, index: int) -> None:
    suffix, prefix = FILE_TARGETS[index]
    batch_size = fdp.ConsumeIntInRange(1, 4)
    path = WORK / f"input{suffix}"
    path.write_bytes(prefix + fdp.ConsumeBytes(fdp.remaining_bytes()))
    _read_file(path, batch_size)


def _cell(fdp: atheris.FuzzedDataProvider) -> object:
    kind = fdp.ConsumeIntInRange(0, 5)
    if kind == 0:
        return None
    if kind == 1:
        return fdp.ConsumeInt(8)
    if kind == 2:
        return fdp.ConsumeRegularFloat()
    if kind == 3:
        return fdp.ConsumeBool()
    return fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 40))


def _table(fdp: atheris.FuzzedDataProvider) -> list[list[object]]:
    width = fdp.ConsumeIntInRange(1, 4)
    height = fdp.ConsumeIntInRange(0, 6)
    return [[_cell(fdp) for _ in range(width)] for _ in range(height)]


def _xlsx_target(fdp: atheris.FuzzedDataProvider) -> None:
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    rows = _table(fdp)
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        try:
            sheet.append(row)
        except (IllegalCharacterError, ValueError, TypeError):
            sheet.append([None if isinstance(v, str) else v for v in row])
    path = WORK / "built.xlsx"
    workbook.save(path)
    _read_file(path, fdp.ConsumeIntInRange(1, 4))


def _parquet_target(fdp: atheris.FuzzedDataProvider) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = _table(fdp)
    width = len(rows[0]) if rows else 1
    columns: dict[str, pa.Array] = {}
    for index in range(width):
        values = [row[index] for row in rows]
        name = fdp.ConsumeUnicodeNoSurrogates(8) or f"c{index}"
        try:
            array = pa.array(values)
        except (pa.ArrowException, OverflowError, TypeError):
            array = pa.array([None if v is None else repr(v) for v in values], pa.string())
        if fdp.ConsumeBool():
            array = pa.array([[v] for v in array.to_pylist()])  # a nested column
        columns[f"{name}{index}" if name in columns else name] = array
    path = WORK / "built.parquet"
    pq.write_table(pa.table(columns), path)
    _read_file(path, fdp.ConsumeIntInRange(1, 4))


def _nmap_target(fdp: atheris.FuzzedDataProvider) -> None:
    path = WORK / "scan.xml"
    prefix = b'<?xml version="1.0"?>\n<nmaprun>' if fdp.ConsumeBool() else b""
    batch_size = fdp.ConsumeIntInRange(1, 3)
    path.write_bytes(prefix + fdp.ConsumeBytes(fdp.remaining_bytes()))
    try:
        _drain(NmapReader(path=path, batch_size=batch_size))
    except ProcurewatchError as err:
        _check_error(err)
    try:
        _drain(open_inventory(path).reader)
    except ProcurewatchError as err:
        _check_error(err)


def _names_target(fdp: atheris.FuzzedDataProvider) -> None:
    first = fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 80))
    second = fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 80))
    normalize(first).compact()
    for query, candidate in ((first, second), (first, first), (second, "Hikvision")):
        score = compare(query, candidate).score
        if not (isinstance(score, float) and not math.isnan(score) and 0.0 <= score <= 1.0):
            _fail(f"score {score!r} for {query!r} vs {candidate!r}")


BUILT: tuple[Callable[[atheris.FuzzedDataProvider], None], ...] = (
    _xlsx_target,
    _parquet_target,
    _nmap_target,
    _names_target,
)
TARGETS = len(FILE_TARGETS) + len(BUILT)


def test_one_input(data: bytes) -> None:
    """The fuzz target: pick a target by the first byte, feed it the rest."""
    fdp = atheris.FuzzedDataProvider(data)
    index = fdp.ConsumeIntInRange(0, TARGETS - 1)
    UNRAISABLE.clear()
    if index < len(FILE_TARGETS):
        _file_target(fdp, index)
    else:
        BUILT[index - len(FILE_TARGETS)](fdp)
    if UNRAISABLE:
        _fail(f"an exception was printed, not raised: {UNRAISABLE[0]}")


def _seed(content: bytes, index: int, *ints: int) -> bytes:
    """``content`` for target ``index``; atheris takes numbers from the end, bytes from the start."""
    return content + bytes(reversed(ints)) + bytes([index])


def _seeds() -> dict[str, bytes]:
    """Small valid files of every target."""

    csv_text = b"vendor,description,amount\nHikvision USA Inc,DS-2CD2143G2-I camera,1200\n"
    book = io.BytesIO()
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["vendor", "description"])
    workbook.active.append(["Dahua", "NVR"])
    workbook.save(book)
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = io.BytesIO()
    pq.write_table(pa.table({"vendor": ["ZTE"], "amount": [3.5]}), table)
    ocds = (
        b'{"ocid": "o1", "id": "1", "awards": [{"suppliers": [{"name": "Dahua"}], '
        b'"value": {"amount": 5}}]}]}'
    )
    nmap = (
        b'<host><status state="up"/><address addr="bc:ad:28:00:00:01" addrtype="mac" '
        b'vendor="Hikvision"/></host></nmaprun>'
    )
    name = "海康威视 Hikvision Digital Technology Co., Ltd.".encode()
    return {
        "csv": _seed(csv_text, 0, 1),
        "tsv": _seed(csv_text.replace(b",", b"\t"), 1, 2),
        "txt": _seed(b"sep=;\nvendor;text\nHuawei;router\n", 2, 1),
        "json": _seed(b'{"data": [{"vendor": {"name": "Hytera"}, "items": ["a"]}]}', 3, 1),
        "jsonl": _seed(b'{"vendor": "ZTE"}\n{"vendor": 1, "x": [1]}\nnot json\n', 4, 2),
        "xlsx": _seed(book.getvalue(), 5, 1),
        "parquet": _seed(table.getvalue(), 6, 1),
        "usaspending": _seed(b"K1,P1,HIKVISION,,DOD,cameras,100,2020-01-01\n", 7, 1),
        "ocds": _seed(ocds, 8, 1),
        "plain": _seed(csv_text, 9, 1),
        "xlsx-built": _seed(b"vendor\x00Hikvision\x00DS-2CD2143G2-I", 10, 3, 2, 5, 5),
        "parquet-built": _seed(b"vendor\x00ZTE\x00", 11, 2, 2, 5, 5, 1),
        "nmap": _seed(nmap, 12, 1, 1),
        "names": _seed(name, 13, 40, 40),
    }


def main(argv: list[str]) -> None:
    """Run atheris on the corpus folders given (the first one receives new inputs) plus a
    fresh seed corpus; a single file argument is run once (to replay a crash)."""
    args = list(argv)
    files = [a for a in args[1:] if not a.startswith("-")]
    if not any(Path(a).is_file() for a in files):
        seeds = WORK / "seeds"
        seeds.mkdir(exist_ok=True)
        for name, data in _seeds().items():
            (seeds / name).write_bytes(data)
        args.append(str(seeds))
    atheris.Setup(args, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
