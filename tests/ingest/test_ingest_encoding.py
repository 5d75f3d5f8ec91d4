"""Encoding detection, delimiter sniffing and the transcoding stream."""

from __future__ import annotations

import codecs
import io

import pytest

from procurewatch.ingest.encoding import (
    TranscodingStream,
    decode_sample,
    detect_encoding,
    looks_binary,
    sniff_delimiter,
)

CHINESE = "供应商,项目名称,中标金额\n杭州海康威视数字技术股份有限公司,视频监控摄像机采购,12345.00\n"
WESTERN = "vendor,description\nCafé Müller GmbH,Überwachungskamera – “dome”\nSão Paulo,Câmera\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"vendor,amount\nACME,1\n", "utf-8"),
        (CHINESE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + CHINESE.encode("utf-8"), "utf-8-sig"),
        (CHINESE.encode("utf-16"), "utf-16"),
        (WESTERN.encode("utf-16-le"), "utf-16-le"),
        (WESTERN.encode("utf-16-be"), "utf-16-be"),
        (CHINESE.encode("gb18030"), "gb18030"),
        (CHINESE.encode("gbk"), "gb18030"),
        (WESTERN.encode("cp1252"), "cp1252"),
        (b"vendor\nCaf\xe9\n", "cp1252"),
    ],
)
def test_detect_encoding(data: bytes, expected: str) -> None:
    assert detect_encoding(data) == expected


def test_utf8_cut_in_the_middle_of_a_character_is_still_utf8() -> None:
    data = CHINESE.encode("utf-8")
    assert detect_encoding(data[:-1] if data[-1] < 0x80 else data[:40]) == "utf-8"
    assert detect_encoding("供应商".encode()[:4]) == "utf-8"


def test_decode_sample_replaces_bad_bytes() -> None:
    assert decode_sample(b"ab\xffc", "utf-8") == "ab\ufffdc"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a;b;c\n1,5;2;3\n4;5;6\n", ";"),
        ("a\tb\tc\n1\t2,5\t3\n", "\t"),
        ("a|b\n1|2\n", "|"),
        ('name,"x;y"\n"a;b",c\n', ","),
        ("single\nvalue\n", ","),
    ],
)
def test_sniff_delimiter(text: str, expected: str) -> None:
    assert sniff_delimiter(text) == expected


def test_looks_binary() -> None:
    assert looks_binary("abc\x00def")
    assert looks_binary("".join(chr(c) for c in range(1, 32)) * 10)
    assert not looks_binary("vendor,amount\r\nACME,1\t\n")


@pytest.mark.parametrize("encoding", ["utf-16", "gb18030", "cp1252"])
def test_transcoding_stream_gives_utf8(encoding: str) -> None:
    text = (CHINESE if encoding != "cp1252" else WESTERN) * 1000
    stream = TranscodingStream(io.BytesIO(text.encode(encoding)), encoding, chunk=7)
    out = b""
    while chunk := stream.read(1000):
        out += chunk
    assert out.decode("utf-8") == text
    stream.close()


def test_transcoding_stream_replaces_undecodable_bytes() -> None:
    stream = TranscodingStream(io.BytesIO(b"ok \x81\x20 end"), "gb18030")
    assert "end" in stream.read().decode("utf-8")
