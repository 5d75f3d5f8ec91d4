"""The corpus of malformed inputs through the CLI: each file gives one clear error line (exit 1,
``error:``, no traceback) or its bad rows rejected with file and line, and the good rows of a
partly bad file are screened. ``make_corpus.py`` writes the corpus; the files too big to commit
(an XLSX zip bomb, a CSV with a huge field) are made here.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from procurewatch.cli import main

from . import make_corpus

CORPUS = make_corpus.CORPUS
PYTHON = sys.executable


@dataclass(frozen=True)
class Screened:
    """What a run that finished wrote."""

    summary: dict[str, object]
    rejected_lines: list[int]
    hits: list[dict[str, str]]


ERRORS = {
    "empty.csv": "the file is empty",
    "blank_lines_and_bom.csv": "the file is empty",
    "binary_garbage.csv": "binary data",
    "binary_garbage.json": "binary data",
    "truncated.json": "cut off",
    "deeply_nested.json": "nested too deeply",
    "deeply_nested_record.json": "nested too deeply",
    "embedded_nul.csv": ":3: the file contains NUL characters",
    "zip_not_xlsx.xlsx": "not an .xlsx workbook",
    "corrupt_sheet.xlsx": "cannot read the workbook",
    "truncated.xlsx": "not a readable .xlsx workbook",
    "truncated.parquet": "not a readable Parquet file",
    "parquet_magic_garbage.parquet": "not a readable Parquet file",
    "nmap_billion_laughs.xml": "refused: the XML contains a document type",
    "nmap_external_entity.xml": "refused: the XML contains a document type",
}
"""Files that cannot be read at all -> a part of their one-line error."""

ROWS = {
    # file: (records screened, rejected lines)
    "header_only.csv": (0, []),
    "header_only.json": (0, []),
    "wrong_encoding_cp1252.csv": (1, []),
    "mixed_encoding.csv": (3, []),
    "gb18030_chinese.csv": (2, []),
    "utf16_le_without_bom.csv": (3, []),
    "utf16_be_without_bom.csv": (3, []),
    "truncated_last_line.jsonl": (2, [3]),
    "deeply_nested_line.jsonl": (2, [2]),
    "repeated_header.csv": (3, [3, 6]),
    "one_bad_line.jsonl": (2, [2, 3]),
    "ragged_rows.csv": (2, [3, 4]),
    "unclosed_quote.csv": (1, [3]),
    "formula_injection.csv": (2, [3]),
    "terminal_escapes.csv": (2, []),
    "classic_mac_newlines.csv": (3, []),
    "wide_header.csv": (1, []),
    "text_named_xlsx.xlsx": (3, []),
    "ocds_bad_releases.json": (2, [24, 25]),
    "nmap_truncated.xml": (2, [5]),
}
"""Files read with some rows rejected -> (good records, lines of the rejected rows)."""


def command(name: str) -> str:
    return "inventory" if name.startswith("nmap") else "screen"


def run_cli(path: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Exit status and stderr of ``procurewatch screen|inventory PATH`` run in this process."""
    args = [command(path.name), str(path), "--out", str(out), "--store",
            str(out.parent / "store.duckdb"), "-q"]  # fmt: skip
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, capsys.readouterr().err


def assert_one_error_line(code: int, err: str, path: Path, expected: str) -> None:
    assert code == 1, err
    assert err.startswith(f"error: {path}") and err.count("\n") == 1, err
    assert expected in err and "Traceback" not in err


def screened(out: Path) -> Screened:
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    with (out / "rejects.csv").open(encoding="utf-8", newline="") as fh:
        rejects = list(csv.DictReader(fh))
    assert all(r["file"] and r["line"] and r["reason"] for r in rejects)
    hits_file = out / ("findings.csv" if (out / "findings.csv").exists() else "hits.csv")
    with hits_file.open(encoding="utf-8", newline="") as fh:
        hits = list(csv.DictReader(fh))
    return Screened(summary, sorted(int(r["line"]) for r in rejects), hits)


def test_the_committed_corpus_is_what_the_generator_makes() -> None:
    assert make_corpus.check() == []
    assert sum(p.stat().st_size for p in CORPUS.iterdir()) < 2 << 20
    assert {p.name for p in CORPUS.iterdir()} == set(ERRORS) | set(ROWS)


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_unreadable_files_give_one_clear_error(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = CORPUS / name
    code, err = run_cli(path, tmp_path / "out", capsys)
    assert_one_error_line(code, err, path, ERRORS[name])
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", sorted(ROWS))
def test_partly_bad_files_keep_their_good_rows(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records, lines = ROWS[name]
    code, err = run_cli(CORPUS / name, tmp_path / "out", capsys)
    assert code == 0, err
    result = screened(tmp_path / "out")
    key = "devices" if command(name) == "inventory" else "records"
    assert result.summary[key] == records
    assert result.summary["rejected_rows"] == len(lines)
    assert result.rejected_lines == lines


@pytest.mark.parametrize(
    ("name", "vendor", "entity"),
    [
        ("wrong_encoding_cp1252.csv", "Hikvision Sécurité SARL", "hikvision"),
        ("gb18030_chinese.csv", "杭州海康威视数字技术股份有限公司", "hikvision"),
        ("utf16_le_without_bom.csv", "Hikvision USA Inc", "hikvision-usa"),
        ("utf16_be_without_bom.csv", "Zhejiang Dahua Technology Co. Ltd", "dahua"),
        ("repeated_header.csv", "Zhejiang Dahua Technology Co. Ltd", "dahua"),
        ("one_bad_line.jsonl", "Zhejiang Dahua Technology", "dahua"),
        ("ragged_rows.csv", "Zhejiang Dahua Technology Co. Ltd", "dahua"),
    ],
)
def test_text_in_odd_encodings_and_rows_after_bad_ones_are_screened(
    name: str, vendor: str, entity: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run_cli(CORPUS / name, tmp_path / "out", capsys)
    assert code == 0, err
    hits = screened(tmp_path / "out").hits
    assert any(h["vendor"] == vendor and h["entity_id"] == entity for h in hits), hits


def test_formulas_in_the_input_are_neutralized_in_the_outputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = run_cli(CORPUS / "formula_injection.csv", tmp_path / "out", capsys)
    assert code == 0
    result = screened(tmp_path / "out")
    cells = [value for hit in result.hits for value in hit.values()]
    assert "'=Hikvision USA Inc" in cells
    assert not [c for c in cells if c and (c[0] in "=+@" or (c[0] == "-" and not _number(c)))]
    rejects = (tmp_path / "out" / "rejects.csv").read_text(encoding="utf-8")
    assert "'=1+2" in rejects


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_xlsx_zip_bomb_is_refused_before_it_is_unpacked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = make_corpus.zip_bomb(tmp_path / "bomb.xlsx", size=256 << 20)
    assert bomb.stat().st_size < 2 << 20
    code, err = run_cli(bomb, tmp_path / "out", capsys)
    assert_one_error_line(code, err, bomb, "would unpack to 256 MiB")


def test_a_bomb_in_a_part_read_whole_is_refused_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import zipfile

    bomb = tmp_path / "manifest_bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("[Content_Types].xml", "w", force_zip64=True) as part:
            for _ in range(200):
                part.write(b" " * (1 << 20))
    code, err = run_cli(bomb, tmp_path / "out", capsys)
    assert_one_error_line(code, err, bomb, "[Content_Types].xml would unpack to 200 MiB")


def test_a_field_too_big_to_read_rejects_its_row_and_keeps_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_corpus.huge_field(tmp_path / "huge.csv", 40 << 20)
    code, err = run_cli(path, tmp_path / "out", capsys)
    assert code == 0, err
    result = screened(tmp_path / "out")
    assert result.summary["records"] == 2 and result.rejected_lines == [3]


def test_a_field_too_big_to_read_is_placed_after_values_over_lines_and_bad_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "huge_late.csv"
    with path.open("wb") as fh:
        fh.write(b"Check Date,Vendor Name,Department,Invoice Description,Amount\n")
        fh.write(b'2021-03-01,Acme,Police,"two\nlines",1\n')  # lines 2 and 3
        fh.write(b"2021-03-01,Ragged,Police\n")  # line 4, rejected
        fh.write(b"2021-01-02,Acme,IT," + b"x" * (40 << 20) + b",1\n")  # line 5, rejected
        fh.write(b"2021-03-02,Hikvision USA Inc,Police,cameras,9\n")  # line 6
    code, err = run_cli(path, tmp_path / "out", capsys)
    assert code == 0, err
    result = screened(tmp_path / "out")
    assert result.summary["records"] == 2 and result.rejected_lines == [4, 5]


def test_a_big_field_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = make_corpus.huge_field(tmp_path / "big.csv", 5 << 20)
    code, err = run_cli(path, tmp_path / "out", capsys)
    assert code == 0, err
    assert screened(tmp_path / "out").summary["records"] == 3


@pytest.mark.parametrize("name", ["deeply_nested.json", "truncated.json", "binary_garbage.csv"])
def test_the_real_command_prints_no_traceback(name: str, tmp_path: Path) -> None:
    """The installed entry point, in its own process (the in-process runs share one)."""
    env = {**os.environ, "PROCUREWATCH_HOME": str(tmp_path)}
    done = subprocess.run(
        [PYTHON, "-m", "procurewatch.cli", "screen", str(CORPUS / name), "--out",
         str(tmp_path / "out"), "-q"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert_one_error_line(done.returncode, done.stderr, CORPUS / name, ERRORS[name])
    assert done.stdout == ""
