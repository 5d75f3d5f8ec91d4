"""Text encodings and delimiters of user files.

Encodings, in order: a byte-order mark (UTF-8, UTF-16, UTF-32) decides; UTF-16 without a mark
is recognised by its zero bytes; text that is valid UTF-8 is UTF-8; anything else goes to
charset-normalizer, whose answer is narrowed to what procurement files really use: Chinese text
is read as GB18030 (a superset of GBK and GB2312), Western European text as Windows-1252 (a
superset of Latin-1 for printable text). Bytes that do not decode become U+FFFD, never an error.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

import charset_normalizer

SAMPLE_BYTES = 1 << 20
"""How much of a file is read to detect its encoding, format and layout."""

DELIMITERS = (",", "\t", ";", "|")
"""Field delimiters the sniffer chooses from."""

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CHINESE = frozenset({"gb18030", "gbk", "gb2312", "hz"})
_WESTERN = frozenset(
    {"cp1252", "cp1250", "cp1257", "cp775", "cp850", "cp858", "cp437", "latin_1", "mac_roman"}
    | {f"iso8859_{n}" for n in (1, 2, 3, 4, 9, 10, 13, 14, 15, 16)}
)
_OTHER_SCRIPTS = frozenset(
    {"big5", "big5hkscs", "cp950", "cp932", "shift_jis", "euc_jp", "euc_kr", "cp949", "cp1251",
     "koi8_r", "cp1253", "cp1254", "cp1255", "cp1256", "cp874", "iso8859_5", "iso8859_7"}
)
_UTF8 = frozenset({"utf-8", "utf-8-sig"})


def read_sample(path: Path, size: int = SAMPLE_BYTES) -> bytes:
    """The first ``size`` bytes of ``path``."""
    with path.open("rb") as handle:
        return handle.read(size)


def is_utf8(encoding: str) -> bool:
    """Whether ``encoding`` (from :func:`detect_encoding`) is UTF-8, with or without BOM."""
    return encoding in _UTF8


def detect_encoding(sample: bytes) -> str:
    """The Python codec name to read a file starting with ``sample``."""
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    utf16 = _utf16_without_bom(sample)
    if utf16:
        return utf16
    if _valid_utf8(sample):
        return "utf-8"
    return _legacy_encoding(sample)


def _utf16_without_bom(sample: bytes) -> str | None:
    """``utf-16-le``/``-be`` when most even or odd bytes are zero (ASCII-range UTF-16)."""
    head = sample[:4096]
    if len(head) < 4:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    half = len(head) // 2
    if odd > 0.6 * half and even < 0.1 * half:
        return "utf-16-le"
    if even > 0.6 * half and odd < 0.1 * half:
        return "utf-16-be"
    return None


def _valid_utf8(sample: bytes) -> bool:
    """Valid UTF-8, allowing a character cut off at the end of the sample."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _legacy_encoding(sample: bytes) -> str:
    """charset-normalizer's guess, narrowed to the encodings procurement files really use."""
    sample = sample[: 256 * 1024]
    enough = sum(1 for byte in sample if byte >= 0x80) >= 16  # short samples mislead guessers
    for match in charset_normalizer.from_bytes(sample):
        name = codecs.lookup(match.encoding).name.replace("-", "_")
        if name in _CHINESE and _decodes(sample, "gb18030"):
            return "gb18030"
        if name in _WESTERN:
            break
        if name in _OTHER_SCRIPTS and enough:
            return name
    if _mostly_chinese(sample):
        return "gb18030"
    return "cp1252" if _decodes(sample, "cp1252") else "latin-1"


def _mostly_chinese(sample: bytes) -> bool:
    """Whether the sample is valid GB18030 whose non-ASCII characters are nearly all Chinese."""
    try:
        text = codecs.getincrementaldecoder("gb18030")().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    wide = [char for char in text if ord(char) >= 0x80]
    chinese = sum(1 for char in wide if "\u3000" <= char <= "\u9fff" or char >= "\uff00")
    return bool(wide) and chinese >= 0.9 * len(wide)


def _decodes(sample: bytes, encoding: str) -> bool:
    try:
        codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def decode_sample(sample: bytes, encoding: str) -> str:
    """``sample`` as text (a character cut off at the end is dropped, bad bytes become U+FFFD)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    return str(decoder.decode(sample, final=False))


def looks_binary(text: str) -> bool:
    """Whether decoded text is really binary data (NUL or many control characters)."""
    head = text[:65536]
    if "\x00" in head:
        return True
    controls = sum(1 for char in head if char < " " and char not in "\r\n\t\f\v\x1a")
    return controls > max(8, len(head) // 100)


def sniff_delimiter(text: str, default: str = ",") -> str:
    """The delimiter that splits the first lines of ``text`` into the most consistent fields."""
    lines = text.splitlines(keepends=True)[:51]
    if len(lines) > 1:
        lines = lines[:-1]  # the last line of a sample may be cut off
    best, best_score = default, (0.0, 1)
    for delimiter in (default, *(d for d in DELIMITERS if d != default)):
        widths = [len(row) for row in read_records(lines, delimiter, len(lines)) if row]
        if not widths or widths[0] < 2:
            continue
        same = sum(1 for width in widths[1:] if width == widths[0])
        score = (same / max(1, len(widths) - 1), widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_records(lines: Iterable[str], delimiter: str, limit: int) -> list[list[str]]:
    """Up to ``limit`` CSV records of ``lines``, stopping early at one Python's csv cannot read
    (a field over its size limit): these are samples, the real reading is Arrow's."""
    out: list[list[str]] = []
    try:
        for row in csv.reader(lines, delimiter=delimiter):
            out.append(row)
            if len(out) >= limit:
                break
    except csv.Error:
        pass
    return out


CP1252_FALLBACK = "procurewatch-cp1252"
"""A decoding error handler: bytes that do not decode are read as Windows-1252."""


def _as_cp1252(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return bytes(bad).decode("cp1252", errors="replace"), error.end


codecs.register_error(CP1252_FALLBACK, _as_cp1252)


class TranscodingStream(io.RawIOBase):
    """Reads a file in any encoding and hands out UTF-8 bytes (undecodable bytes → U+FFFD, or
    what ``errors`` makes of them)."""

    def __init__(
        self, raw: BinaryIO, encoding: str, chunk: int = 1 << 20, errors: str = "replace"
    ) -> None:
        super().__init__()
        self._raw = raw
        self._decoder = codecs.getincrementaldecoder(encoding)(errors=errors)
        self._chunk = chunk
        self._pending = b""
        self._eof = False

    def readable(self) -> bool:
        """Always true."""
        return True

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes of UTF-8 (all that is left when ``size`` < 0)."""
        while not self._eof and (size < 0 or len(self._pending) < size):
            data = self._raw.read(self._chunk)
            self._eof = not data
            text = self._decoder.decode(data, final=self._eof)
            self._pending += text.encode("utf-8", errors="replace")
        if size < 0:
            size = len(self._pending)
        out, self._pending = self._pending[:size], self._pending[size:]
        return out

    def close(self) -> None:
        """Close the underlying file."""
        self._raw.close()
        super().close()
