"""Property tests: whatever a file holds, every reader yields batches and rejects or raises an
InputError (one line), never another exception; the name normalizer and comparer never raise.

``tests/ingest/test_ingest_properties.py`` covers CSV row accounting in UTF-8 and random bytes
under each extension; this module adds structured data for every other reader (encodings,
repeated headers, JSON trees, JSON Lines, XLSX and Parquet built from odd values, USAspending,
OCDS, nmap, inventories), random bytes behind each format's magic numbers, and names.
The number of examples follows the hypothesis profile (``HYPOTHESIS_PROFILE=thorough``).
"""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import date, datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any
from xml.sax.saxutils import quoteattr

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from procurewatch.errors import InputError, ProcurewatchError
from procurewatch.ingest import open_input
from procurewatch.ingest.base import InputReader
from procurewatch.ingest.inventory import open_inventory
from procurewatch.ingest.nmap import NmapReader
from procurewatch.match.names import compare
from procurewatch.normalize.names import normalize, split_alternatives

Read = tuple[list[dict[str, Any]], InputReader]


def fewer(share: int) -> settings:
    """The active profile's example count divided by ``share`` (slow builders: XLSX, Parquet)."""
    return settings(max_examples=max(10, settings().max_examples // share))


def read(path: Path, **options: Any) -> Read | None:
    """Every row and the reader, or None after an InputError (which must be one line)."""
    try:
        reader = open_input(path, **options)
        got = [row for batch in reader.batches() for row in batch.to_pylist()]
    except ProcurewatchError as err:
        assert "\n" not in str(err) and str(err).strip()
        return None
    numbers = [row["_row"] for row in got]
    assert all(n >= 1 for n in numbers) and numbers == sorted(numbers)
    assert all(j.line is None or j.line >= 1 for j in reader.rejects)
    assert all("\n" not in str(j) for j in reader.rejects)
    return got, reader


def write(folder: str, name: str, data: bytes) -> Path:
    path = Path(folder) / name
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------- delimited text, encodings

CELL = st.text(alphabet=st.sampled_from(list("ab ,;|\t\"\r\n'é中ß€")), max_size=8)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "gb18030"]


@given(
    rows=st.lists(st.lists(CELL, min_size=1, max_size=4), max_size=30),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(ENCODINGS),
    suffix=st.sampled_from([".csv", ".tsv", ".txt", ""]),
)
def test_delimited_text_in_any_encoding(
    rows: list[list[str]], delimiter: str, encoding: str, suffix: str
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["vendor", "description", "amount"])
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding, errors="replace")
    with TemporaryDirectory() as folder:
        read(write(folder, f"table{suffix}", data), batch_size=3)


@given(data=st.lists(st.tuples(st.booleans(), st.text("xyz,", max_size=5)), max_size=25))
def test_every_repeated_header_line_is_rejected_with_its_line(
    data: list[tuple[bool, str]],
) -> None:
    lines = ["vendor,description,amount"]
    expected = set()
    for again, value in data:
        if again:
            lines.append("vendor,description,amount")
            expected.add(len(lines))
        else:
            lines.append(f'Acme,"{value}",1')
    with TemporaryDirectory() as folder:
        path = write(folder, "joined.csv", ("\n".join(lines) + "\n").encode())
        result = read(path, batch_size=2)
    assert result is not None
    got, reader = result
    found = {j.line for j in reader.rejects if "header line again" in j.reason}
    assert found == expected
    assert len(got) == len(data) - len(expected)


# ---------------------------------------------------------------- JSON and JSON Lines

SCALAR = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
)
JSON_VALUE = st.recursive(
    SCALAR,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(
    value=JSON_VALUE,
    wrap=st.sampled_from([None, "data", "results", "other"]),
    cut=st.integers(0, 400) | st.none(),
)
def test_any_json_document(value: Any, wrap: str | None, cut: int | None) -> None:
    document = {wrap: value} if wrap else value
    text = json.dumps(document, ensure_ascii=False)
    if cut is not None:
        text = text[:cut]  # a truncated download
    with TemporaryDirectory() as folder:
        read(write(folder, "data.json", text.encode()), batch_size=2, require_roles=False)


@given(records=st.lists(JSON_VALUE, max_size=12))
def test_every_json_array_element_is_read_or_rejected(records: list[Any]) -> None:
    with TemporaryDirectory() as folder:
        path = write(folder, "rows.json", json.dumps(records, indent=1).encode())
        result = read(path, batch_size=2, require_roles=False)
    assert result is not None
    got, reader = result
    objects = [n for n, value in enumerate(records, 1) if isinstance(value, dict)]
    assert [row["_row"] for row in got] == objects
    assert sorted(j.row for j in reader.rejects if j.row is not None) == [
        n for n, value in enumerate(records, 1) if not isinstance(value, dict)
    ]


LINE = st.one_of(
    st.dictionaries(
        st.sampled_from(["vendor", "description", "x", "vendor.name"]),
        SCALAR,
        min_size=1,
        max_size=3,
    ).map(json.dumps),
    st.text(alphabet=st.characters(blacklist_categories=["Cs", "Zl", "Zp", "Cc"]), max_size=12),
)


@given(lines=st.lists(LINE, min_size=1, max_size=20))
def test_json_lines_keep_good_lines_and_reject_bad_ones_with_their_line(lines: list[str]) -> None:
    first = json.dumps({"vendor": "Hikvision", "description": "NVR"})
    body = [first, *lines]
    with TemporaryDirectory() as folder:
        path = write(folder, "rows.jsonl", ("\n".join(body) + "\n").encode())
        result = read(path, batch_size=3)
    assert result is not None
    got, reader = result
    good: set[int] = set()
    bad: set[int] = set()
    for number, text in enumerate(body, 1):
        if not text.strip():
            continue
        try:
            value = json.loads(text)
        except ValueError:
            bad.add(number)
            continue
        (good if isinstance(value, dict) else bad).add(number)
    assert {row["_row"] for row in got} == good
    assert {j.line for j in reader.rejects} == bad


# ---------------------------------------------------------------- XLSX and Parquet, built

ODD_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)
XLSX_CELL = st.one_of(
    st.none(),
    st.integers(-(10**18), 10**18),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    ODD_TEXT,
    st.dates(date(1900, 3, 1), date(9999, 1, 1)),
    st.datetimes(datetime(1900, 3, 1), datetime(9999, 1, 1)),
)


@fewer(4)
@given(rows=st.lists(st.lists(XLSX_CELL, max_size=5), max_size=8), title=st.booleans())
def test_xlsx_built_from_odd_cells(rows: list[list[Any]], title: bool) -> None:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append(["Payments report"])
    for row in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    with TemporaryDirectory() as folder:
        path = Path(folder) / "book.xlsx"
        workbook.save(path)
        result = read(path, batch_size=2, require_roles=False)
    if result is not None:
        got, reader = result
        assert all(j.line is not None and j.line > 1 for j in reader.rejects)
        assert len(got) + len(reader.rejects) <= len(rows)


PARQUET_COLUMN = st.one_of(
    st.lists(st.integers(-(2**63), 2**63 - 1) | st.none(), max_size=6),
    st.lists(st.floats() | st.none(), max_size=6),
    st.lists(st.text(max_size=6) | st.none(), max_size=6),
    st.lists(st.binary(max_size=6) | st.none(), max_size=6),
    st.lists(st.booleans() | st.none(), max_size=6),
    st.lists(st.dates() | st.none(), max_size=6),
    st.lists(st.datetimes() | st.none(), max_size=6),
    st.lists(st.lists(st.integers(0, 9), max_size=3) | st.none(), max_size=6),
    st.lists(st.fixed_dictionaries({"a": st.text(max_size=3), "b": st.integers(0, 9)}), max_size=6),
)


@fewer(2)
@given(
    columns=st.lists(PARQUET_COLUMN, min_size=1, max_size=4),
    names=st.lists(
        st.sampled_from(["vendor", "", "_row", "_source_file", "x", "vendor"]),
        min_size=4,
        max_size=4,
    ),
    dictionary=st.booleans(),
)
def test_parquet_of_any_types(columns: list[list[Any]], names: list[str], dictionary: bool) -> None:
    length = min(len(c) for c in columns)
    arrays = [pa.array(c[:length]) for c in columns]
    if dictionary and pa.types.is_string(arrays[0].type):
        arrays[0] = arrays[0].dictionary_encode()
    table = pa.Table.from_arrays(arrays, names=names[: len(arrays)])
    with TemporaryDirectory() as folder:
        path = Path(folder) / "data.parquet"
        pq.write_table(table, path)
        result = read(path, batch_size=2, require_roles=False)
    assert result is not None
    got, _ = result
    assert [row["_row"] for row in got] == list(range(1, length + 1))


# ---------------------------------------------------------------- USAspending, OCDS

USASPENDING = (
    "contract_award_unique_key",
    "recipient_name",
    "recipient_parent_name",
    "awarding_agency_name",
    "prime_award_base_transaction_description",
    "total_obligated_amount",
)


@given(rows=st.lists(st.lists(CELL, min_size=5, max_size=7), max_size=12))
def test_usaspending_download_with_ragged_rows(rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(USASPENDING)
    writer.writerows(rows)
    with TemporaryDirectory() as folder:
        result = read(write(folder, "awards.csv", buffer.getvalue().encode()), batch_size=2)
    if result is not None:
        assert result[1].format == "usaspending-award"


PARTY = st.fixed_dictionaries({"name": JSON_VALUE, "id": SCALAR})
RELEASE = st.fixed_dictionaries(
    {"ocid": SCALAR, "id": SCALAR},
    optional={
        "date": SCALAR,
        "buyer": PARTY | JSON_VALUE,
        "tender": JSON_VALUE,
        "parties": st.lists(PARTY, max_size=3) | JSON_VALUE,
        "awards": st.lists(
            st.fixed_dictionaries(
                {"suppliers": st.lists(PARTY, max_size=2) | JSON_VALUE},
                optional={"value": JSON_VALUE, "items": JSON_VALUE},
            ),
            max_size=3,
        )
        | JSON_VALUE,
        "contracts": JSON_VALUE,
    },
)


@given(
    releases=st.lists(RELEASE | JSON_VALUE, max_size=6),
    key=st.sampled_from(["releases", "records"]),
    lines=st.booleans(),
)
def test_any_ocds_package(releases: list[Any], key: str, lines: bool) -> None:
    if lines:
        text = "\n".join(json.dumps(r) for r in [{"ocid": "x", "id": "1"}, *releases])
        name = "releases.jsonl"
    else:
        text = json.dumps({"uri": "u", key: releases})
        name = "package.json"
    with TemporaryDirectory() as folder:
        read(write(folder, name, text.encode()), batch_size=2, require_roles=False)


# ---------------------------------------------------------------- nmap and inventories

ATTR = st.text(
    alphabet=st.characters(codec="utf-8", blacklist_categories=["Cs", "Cc"]), max_size=10
)
HOST = st.builds(
    lambda state, mac, vendor, product, port: (
        f"<host><status state={quoteattr(state)}/>"
        f'<address addr={quoteattr(mac)} addrtype="mac" vendor={quoteattr(vendor)}/>'
        f'<ports><port protocol="tcp" portid={quoteattr(port)}><state state="open"/>'
        f'<service name="http" product={quoteattr(product)}/></port></ports></host>'
    ),
    st.sampled_from(["up", "down", "unknown"]) | ATTR,
    ATTR,
    ATTR,
    ATTR,
    ATTR,
)


@given(hosts=st.lists(HOST, max_size=6), cut=st.integers(0, 2000) | st.none())
def test_nmap_scans_whole_or_cut_off(hosts: list[str], cut: int | None) -> None:
    text = '<?xml version="1.0"?>\n<nmaprun scanner="nmap">' + "".join(hosts) + "</nmaprun>"
    if cut is not None:
        text = text[:cut]
    with TemporaryDirectory() as folder:
        path = write(folder, "scan.xml", text.encode())
        try:
            reader = NmapReader(path=path, batch_size=2)
            numbers = [r["_row"] for b in reader.batches() for r in b.to_pylist()]
            inventory = open_inventory(path)
            assert inventory.reader.format == "nmap"
        except InputError as err:
            assert "\n" not in str(err)
            return
    assert numbers == sorted(numbers)
    if cut is None:
        assert len(numbers) + reader.hosts_down == len(hosts)


MAGIC = [
    b"PK\x03\x04",
    b"PAR1",
    b'{"releases": [',
    b"[",
    b'{"data": [{',
    b"<nmaprun>",
    b'<?xml version="1.0"?><nmaprun>',
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"sep=;\n",
]


@given(
    magic=st.sampled_from(MAGIC),
    tail=st.binary(max_size=300),
    suffix=st.sampled_from([".csv", ".json", ".jsonl", ".xlsx", ".parquet", ".xml", ".txt"]),
)
def test_random_bytes_behind_magic_numbers(magic: bytes, tail: bytes, suffix: str) -> None:
    with TemporaryDirectory() as folder:
        path = write(folder, f"odd{suffix}", magic + tail)
        read(path, batch_size=2, require_roles=False)
        try:
            inventory = open_inventory(path)
            for batch in inventory.reader.batches():
                assert batch.num_rows >= 0
        except ProcurewatchError as err:
            assert "\n" not in str(err)


# ---------------------------------------------------------------- names

NAME = st.text(max_size=60) | st.sampled_from(
    [
        "海康威视",
        "杭州海康威视数字技术股份有限公司",
        "Hikvision USA Inc",
        "A.B.C. Co., Ltd.",
        "Al-Qa'ida/Islamic Army",
        "(",
        ")(",
        "()",
        "III",
        "XIV Corp",
        "/",
        "a/s",
        "ООО Ромашка",
        "\u0301\u0301",
        "ﷺ",
        "𝕳𝖎𝖐𝖛𝖎𝖘𝖎𝖔𝖓",
        "\ufeff",
        "0" * 50,
        "twenty-one",
    ]
)


@given(name=NAME)
def test_normalize_never_raises(name: str) -> None:
    result = normalize(name)
    assert result.original == name
    assert isinstance(result.compact(with_legal=True), str)
    assert split_alternatives(name)


@given(query=NAME, candidate=NAME)
def test_compare_never_raises_and_scores_stay_in_bounds(query: str, candidate: str) -> None:
    result = compare(query, candidate)
    assert isinstance(result.score, float) and not math.isnan(result.score)
    assert 0.0 <= result.score <= 1.0
    assert "\n" not in result.explain() or "\n" in query + candidate


@pytest.mark.parametrize("length", [1_000, 20_000])
def test_long_names_are_compared_quickly(length: int) -> None:
    name = " ".join(["Hikvision"] * (length // 10))
    assert 0.0 <= compare(name, "Hikvision").score <= 1.0


# ---------------------------------------------------------------- list importers

CSL_HEADER = ("_id,source,entity_number,type,programs,name,title,addresses,"
              "federal_register_notice,start_date,end_date,alt_names,ids,remarks")  # fmt: skip
LIST_HEADERS = {
    "csl": CSL_HEADER,
    "fcc": "Covered Equipment or Services;Date of Inclusion on Covered List;Entity Name;"
    "Subsidiary Names",
    "dod1260h": "Name,Clean Name,Alias,Previous Name,Parent Name,Note,Start date,End date,"
    "Source Url",
    "ofac": None,  # header-less: twelve fields a row
}
LIST_CELL = CELL | st.sampled_from([
    "-0-", "2021-03-12", "March 12, 2021", "Entity List (EL) - Bureau of Industry and Security",
    "a.k.a. 'X'; f.k.a. 'Y'; Linked To: Z.", "USCC 9111000071093019X7; ISIN CNE100000PM8",
    "Entity", "Individual", "vessel", "30882", "",
])  # fmt: skip


@given(
    kind=st.sampled_from(sorted(LIST_HEADERS)),
    rows=st.lists(st.lists(LIST_CELL, min_size=1, max_size=14), max_size=12),
    raw=st.binary(max_size=60),
)
def test_list_files_import_or_fail_with_one_line(kind: str, rows: list[list[str]], raw: bytes
                                                 ) -> None:  # fmt: skip
    from procurewatch.watchlist.importers import parse_file

    header = LIST_HEADERS[kind]
    delimiter = ";" if kind == "fcc" else ","
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    if header:
        writer.writerow(header.split(delimiter))
    writer.writerows(rows if header else [["36", *r[:11], *[""] * (11 - len(r[:11]))]
                                          for r in rows])  # fmt: skip
    with TemporaryDirectory() as folder:
        path = write(folder, "sdn.csv" if kind == "ofac" else f"{kind}.csv",
                     buffer.getvalue().encode() + raw)  # fmt: skip
        for fmt in (None, kind):
            try:
                imported = parse_file(path, fmt)
            except ProcurewatchError as err:
                assert "\n" not in str(err) and str(err).strip()
                continue
            assert imported.entities and all(e.id and e.caption for e in imported.entities)
            assert all(issue.line >= 1 for issue in (*imported.rejected, *imported.skipped))
