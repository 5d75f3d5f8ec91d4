"""Write the corpus of malformed inputs in ``tests/hardening/corpus/``.

    python tests/hardening/make_corpus.py          # rewrite the committed corpus
    python tests/hardening/make_corpus.py --check  # fail if the committed files differ

Every file is small and made from fixed bytes or a fixed random seed, so the output never
changes. Files too big to commit (an XLSX zip bomb, a CSV with a huge field) are made at test
time by :func:`zip_bomb` and :func:`huge_field` in a temporary folder.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import re
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

CORPUS = Path(__file__).resolve().parent / "corpus"
HEADER = "Check Date,Vendor Name,Department,Invoice Description,Amount"
GOOD = [
    "2021-03-01,Hikvision USA Inc,Police,DS-2CD2143G2-I dome camera,1200.00",
    "2021-04-02,Acme Supply Inc,Parks,Road salt,80.00",
    "2021-05-03,Zhejiang Dahua Technology Co. Ltd,IT,NVR recorder,450.00",
]
NESTING = 5000
"""Depth of the deeply nested JSON (Python's parser gives up near 1,000)."""


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    for row in GOOD:
        sheet.append(row.split(","))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _fixed_zip(
    data: bytes, drop: str | None = None, replace: dict[str, bytes] | None = None
) -> bytes:
    """Re-pack a zip with fixed timestamps (same bytes every run), a part dropped or replaced."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename == drop:
                continue
            body = (replace or {}).get(info.filename, source.read(info.filename))
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving
                body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2024-01-01T00:00:00Z", body)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, body)
    return out.getvalue()


def _parquet_bytes() -> bytes:
    table = pa.table({"vendor": ["Hikvision USA Inc", "Acme"], "amount": [1.5, 2.0]})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def _ocds() -> bytes:
    release = {"ocid": "ocds-1", "id": "1", "date": "2021-01-01",
               "awards": [{"id": "a1", "suppliers": [{"name": "Hikvision USA Inc"}],
                           "value": {"amount": 10, "currency": "USD"}}]}  # fmt: skip
    package = {"uri": "x", "publishedDate": "2021-01-01",
               "releases": [release, "not a release", 42, {**release, "id": "2"}]}  # fmt: skip
    return json.dumps(package, indent=1).encode()


NMAP_HOST = (
    '<host><status state="up"/><address addr="44:19:B6:3A:10:7C" addrtype="mac" '
    'vendor="Hangzhou Hikvision Digital Technology"/></host>\n'
)
LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE nmaprun [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<nmaprun><host><hostnames><hostname name="&lol3;"/></hostnames></host></nmaprun>
"""


def corpus() -> dict[str, bytes]:
    """File name -> bytes of every committed corpus file."""
    rng = random.Random(20240101)
    garbage = bytes(rng.randrange(256) for _ in range(4096))
    parquet = _parquet_bytes()
    xlsx = _xlsx_bytes()
    text = "\n".join([HEADER, *GOOD]) + "\n"
    files: dict[str, bytes] = {
        "empty.csv": b"",
        "blank_lines_and_bom.csv": b"\xef\xbb\xbf\r\n\r\n  \n",
        "header_only.csv": (HEADER + "\n").encode(),
        "header_only.json": b"[]",
        "binary_garbage.csv": garbage,
        "binary_garbage.json": garbage,
        "wrong_encoding_cp1252.csv": (
            HEADER + "\n2021-01-01,Hikvision Sécurité SARL,Mairie,caméra DS-2CD2143G2-I,10.00\n"
        ).encode("cp1252"),
        "mixed_encoding.csv": _csv(GOOD[1])
        + "2021-01-02,Dahua Técnica,IT,grabación NVR,1\n".encode("cp1252")
        + GOOD[0].encode()
        + b"\n",
        "gb18030_chinese.csv": "供应商,采购内容,金额\n杭州海康威视数字技术股份有限公司,网络摄像机,1000\n"
        "北京某某有限公司,办公用品,20\n".encode("gb18030"),
        "utf16_le_without_bom.csv": text.encode("utf-16-le"),
        "utf16_be_without_bom.csv": text.encode("utf-16-be"),
        "truncated.json": json.dumps(
            [dict(zip(HEADER.split(","), r.split(","), strict=True)) for r in GOOD]
        ).encode()[:-40],
        "truncated_last_line.jsonl": b'{"vendor": "Hikvision USA Inc", "description": "NVR"}\n'
        b'{"vendor": "Acme", "description": "salt"}\n{"vendor": "Dahua", "descr',
        "deeply_nested.json": b"[" * NESTING + b"]" * NESTING,
        "deeply_nested_record.json": b'[{"vendor": "Hikvision", "x": '
        + b'{"a": ' * NESTING
        + b"1"
        + b"}" * NESTING
        + b"}]",
        "deeply_nested_line.jsonl": b'{"vendor": "Hikvision USA Inc", "description": "NVR"}\n'
        + b'{"vendor": '
        + b"[" * NESTING
        + b"]" * NESTING
        + b"}\n"
        + b'{"vendor": "Dahua Technology", "description": "NVR"}\n',
        "embedded_nul.csv": _csv(GOOD[0]) + b"2021-01-02,Acme\x00Supply,IT,toner,1\n",
        "repeated_header.csv": _csv(GOOD[0], HEADER, GOOD[1], GOOD[2], HEADER),
        "one_bad_line.jsonl": b'{"vendor": "Hikvision USA Inc", "description": "NVR"}\n'
        b'{"vendor": "Acme", "description": salt}\n[1, 2]\n'
        b'{"vendor": "Zhejiang Dahua Technology", "description": "NVR"}\n',
        "ragged_rows.csv": _csv(GOOD[0], "2021-01-02,Acme,IT", GOOD[1] + ",extra,fields", GOOD[2]),
        "unclosed_quote.csv": _csv(GOOD[0], '2021-01-02,"Acme Supply,IT,toner,1', GOOD[1]),
        "formula_injection.csv": _csv(
            '2021-01-02,Hikvision USA Inc,IT,"=HYPERLINK(""http://x"") DS-2CD2143G2-I",1',
            "=1+2,@SUM(A1),+x,-y",
            "@cmd,=Hikvision USA Inc,IT,+DS-2CD2143G2-I,-1",
        ),
        "terminal_escapes.csv": _csv(GOOD[0], "2021-01-02,\x1b[31mAcme\x1b[0m,IT,toner,1"),
        "classic_mac_newlines.csv": _csv(*GOOD).replace(b"\n", b"\r"),
        "wide_header.csv": (
            ",".join(f"c{i}" for i in range(3000))
            + ",Vendor Name\n"
            + "," * 3000
            + "Hikvision USA Inc\n"
        ).encode(),
        "text_named_xlsx.xlsx": _csv(*GOOD),
        "zip_not_xlsx.xlsx": _fixed_zip(xlsx, drop="xl/workbook.xml"),
        "corrupt_sheet.xlsx": _fixed_zip(xlsx, replace={"xl/worksheets/sheet1.xml": b"<oops"}),
        "truncated.xlsx": xlsx[: len(xlsx) // 2],
        "truncated.parquet": parquet[: len(parquet) // 2],
        "parquet_magic_garbage.parquet": b"PAR1" + garbage[:512] + b"PAR1",
        "ocds_bad_releases.json": _ocds(),
        "nmap_truncated.xml": (
            '<?xml version="1.0"?>\n<nmaprun scanner="nmap">\n'
            + NMAP_HOST * 2
            + '<host><status state="up"/><address addr="3C:EF'
        ).encode(),
        "nmap_billion_laughs.xml": LAUGHS.encode(),
        "nmap_external_entity.xml": b'<?xml version="1.0"?>\n<!DOCTYPE nmaprun SYSTEM '
        b'"file:///etc/passwd">\n<nmaprun>' + NMAP_HOST.encode() + b"</nmaprun>\n",
    }
    return files


def zip_bomb(path: Path, size: int = 3 << 30) -> Path:
    """An .xlsx whose sheet would unpack to ``size`` bytes (a few MiB on disk), made in chunks."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        chunk = b"<c/>" * (1 << 18)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            for _ in range(size // len(chunk)):
                part.write(chunk)
    return path


def huge_field(path: Path, size: int) -> Path:
    """A CSV whose second row has a description of ``size`` bytes, between two good rows."""
    with path.open("wb") as fh:
        fh.write(_csv(GOOD[0]))
        fh.write(b"2021-01-02,Acme,IT,")
        for _ in range(size >> 20):
            fh.write(b"x" * (1 << 20))
        fh.write(b",1\n" + GOOD[2].encode() + b"\n")
    return path


def write(folder: Path = CORPUS) -> list[Path]:
    """Write the corpus into ``folder``; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in corpus().items():
        (folder / name).write_bytes(data)
        written.append(folder / name)
    return written


def check(folder: Path = CORPUS) -> list[str]:
    """Names of corpus files that are missing or differ from what :func:`corpus` makes."""
    return [
        name
        for name, data in corpus().items()
        if not (folder / name).is_file() or (folder / name).read_bytes() != data
    ]


def main(argv: list[str] | None = None) -> int:
    """Command line: write the corpus, or ``--check`` it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    action: Callable[[], list[Path] | list[str]] = check if args.check else write
    result = action()
    if args.check and result:
        sys.stderr.write(f"corpus out of date: {', '.join(map(str, result))}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
