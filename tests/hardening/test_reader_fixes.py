"""Regression tests for reader bugs found by fuzzing and the malformed-input corpus.

Each test names what crashed or misbehaved before its fix.
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path
from typing import Any

import pytest

from procurewatch.errors import InputError
from procurewatch.ingest import open_input, tabular
from procurewatch.ingest.inventory import open_inventory


def rows_of(path: Path, **options: Any) -> tuple[list[dict[str, Any]], list[tuple[int, str]]]:
    reader = open_input(path, **options)
    got = [row for batch in reader.batches() for row in batch.to_pylist()]
    return got, [(j.line or 0, j.reason) for j in reader.rejects]


def test_zip_of_an_unknown_version_is_an_input_error(tmp_path: Path) -> None:
    """zipfile raised NotImplementedError ("zip file version 19.2"), which escaped."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    data = bytearray(buffer.getvalue())
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<H", data, central + 6, 192)  # version needed to extract: 19.2
    path = tmp_path / "odd.xlsx"
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match=r"not a readable \.xlsx workbook"):
        open_input(path)


def test_inventory_error_lists_columns_on_one_line(tmp_path: Path) -> None:
    """A column name with a line break made the "no MAC ... column" error span lines."""
    path = tmp_path / "assets.csv"
    path.write_text('"site\nname",owner\nHQ,ann\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        open_inventory(path)
    assert "\n" not in str(info.value) and "site\\nname" in str(info.value)


@pytest.mark.parametrize("hint", ["sep=é", 'sep="', "sep=中"])
def test_excel_separator_line_with_an_odd_character(tmp_path: Path, hint: str) -> None:
    """``sep=é`` reached Arrow, which raised ValueError (a delimiter must be ASCII)."""
    path = tmp_path / "export.txt"
    path.write_text(f"{hint}\nvendor,text\nHikvision,camera\n", encoding="utf-8")
    try:
        got, _ = rows_of(path)
    except InputError as err:
        assert "\n" not in str(err)
        return
    assert all(row["_row"] >= 1 for row in got)


def test_excel_separator_line_then_blank_lines(tmp_path: Path) -> None:
    """A blank line under ``sep=;`` was taken as the header: no columns, and Arrow's batches
    did not fit the schema (ValueError)."""
    path = tmp_path / "export.csv"
    path.write_text("sep=;\n\nvendor;text\nHikvision;camera\n", encoding="utf-8")
    got, rejects = rows_of(path)
    assert [(r["vendor"], r["text"], r["_row"]) for r in got] == [("Hikvision", "camera", 1)]
    assert rejects == []
    path.write_text("sep=;\n\n\n", encoding="utf-8")
    with pytest.raises(InputError, match="no header line under the sep= line"):
        open_input(path)


def test_json_lines_message_reads_well(tmp_path: Path) -> None:
    """ "Unterminated string starting at at column 21"."""
    path = tmp_path / "rows.jsonl"
    path.write_text('{"vendor": "A", "text": "x"}\n{"vendor": "B", "te\n', encoding="utf-8")
    _, rejects = rows_of(path)
    assert rejects == [(2, "not valid JSON (Unterminated string starting at column 17)")]


def test_cut_off_json_says_so(tmp_path: Path) -> None:
    """The message was "invalid JSON: Unterminated string starting at; fix the file"."""
    path = tmp_path / "rows.json"
    path.write_text('[{"vendor": "Hikvision", "text": "camera"}, {"vendor": "Dah', encoding="utf-8")
    with pytest.raises(InputError, match="the file ends inside a value: it is cut off"):
        open_input(path)


def test_nul_characters_are_named_with_their_line(tmp_path: Path) -> None:
    """A text table with a stray NUL was called "binary data" without a place."""
    path = tmp_path / "export.csv"
    path.write_bytes(b"vendor,text\nHikvision,camera\nAcme,ton\x00er\n")
    with pytest.raises(InputError, match=r"export.csv:3: the file contains NUL characters"):
        open_input(path)


@pytest.mark.parametrize("blocks", ["one", "small"])
def test_repeated_header_rows_are_rejected_once_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, blocks: str
) -> None:
    """Two exports joined into one file: each repeated header was screened as a record. The
    rows are now rejected with their lines, also across blocks and the second pass a value
    that is not UTF-8 causes."""
    if blocks == "small":
        monkeypatch.setattr(tabular, "MIN_BLOCK", 256)
        monkeypatch.setattr(tabular, "MAX_BLOCK", 256)
    header = b"vendor,text,amount\n"
    good = [b"Acme Supply Inc,road salt %d,1\n" % i for i in range(60)]
    lines = [header, *good[:20], header, *good[20:40], b'"Caf\xe9, multi\nline",x,2\n', header,
             *good[40:]]  # fmt: skip
    path = tmp_path / "joined.csv"
    path.write_bytes(b"".join(lines))
    got, rejects = rows_of(path, batch_size=7)
    assert rejects == [
        (22, "the header line again (were two files joined?); the row is left out"),
        (45, "the header line again (were two files joined?); the row is left out"),
    ]
    assert len(got) == 61 and [r["_row"] for r in got] == sorted({r["_row"] for r in got})
    assert any(str(r["vendor"]).startswith("Café") for r in got)


def test_ofac_rows_without_a_name_or_number_are_rejected(tmp_path: Path) -> None:
    """An sdn.csv row with an empty name became an entity with an empty caption."""
    from procurewatch.watchlist.importers import parse_file

    path = tmp_path / "sdn.csv"
    fields = ",-0- " * 9
    path.write_text(f'36,"AEROCARIBBEAN AIRLINES",-0- {fields}\n37,-0- ,-0- {fields}\n'
                    f'x38,"SOMEONE",-0- {fields}\n', encoding="utf-8")  # fmt: skip
    imported = parse_file(path)
    assert [e.caption for e in imported.entities] == ["AEROCARIBBEAN AIRLINES"]
    assert [(i.line, i.reason) for i in imported.rejected] == [
        (2, "the row has no name"), (3, "the ent_num (first field) is not a number"),
    ]  # fmt: skip
    path.write_text(f"36,-0- ,-0- {fields}\n", encoding="utf-8")
    with pytest.raises(InputError, match="no valid rows"):
        parse_file(path)


def test_list_file_with_a_lone_carriage_return_in_its_first_line(tmp_path: Path) -> None:
    """Format detection handed csv a line with a bare CR: ``_csv.Error`` escaped."""
    from procurewatch.watchlist.importers import parse_file

    path = tmp_path / "sdn.csv"
    path.write_text("36,\r,,,,,,,,,,\n", encoding="utf-8", newline="")
    with pytest.raises(InputError) as info:
        parse_file(path)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("where", ["end", "past the sample"])
def test_a_bad_row_that_is_not_utf8(
    tmp_path: Path, where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Arrow could not decode a ragged row's text for the row handler: Python printed
    "Exception ignored ... Traceback" and the whole file failed. Now the row is rejected,
    the other rows are read, and nothing is printed."""
    path = tmp_path / "export.csv"
    if where == "end":  # a file cut inside a character: its sample still counts as UTF-8
        path.write_bytes(b"vendor,text\nHikvision,camera\nAcme,salt\nbad\xe6")
        expected = ["Hikvision", "Acme"]
    else:  # the first MiB is UTF-8; later a bad row and a good row that are not
        path.write_bytes(
            b"vendor,text\n"
            + b"Acme Supply Inc,road salt\n" * 50_000
            + b"Hikvision,camera\nbad\xe6 row\nCaf\xe9 Dahua,NVR\nZTE,router\n"
        )
        expected = ["Hikvision", "Café Dahua", "ZTE"]
    reader = open_input(path, batch_size=1000)
    assert reader.layout.encoding == "utf-8"  # type: ignore[attr-defined]
    vendors = [r["vendor"] for b in reader.batches() for r in b.to_pylist()]
    assert [v for v in vendors if v != "Acme Supply Inc"] == expected
    assert [(j.row, j.reason) for j in reader.rejects] == [
        (3, "row has 1 fields, the header has 2; fix the row or its quoting")
        if where == "end" else
        (50_002, "row has 1 fields, the header has 2; fix the row or its quoting")
    ]  # fmt: skip
    assert capsys.readouterr().err == ""
