"""Stream the elements of a big JSON array without loading the whole document.

A JSON document is read in chunks; each array element is decoded on its own with the standard
library's C decoder (``raw_decode``), so memory holds one element at a time, and each element
comes with the line it starts on. The array may be the document itself (``[...]``) or the value
of a top-level key (``{"releases": [...]}``, ``{"data": [...]}``); other top-level values are
decoded whole. Errors are :class:`~procurewatch.errors.InputError` with the line; nesting too
deep for Python becomes one too, never a ``RecursionError``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO

from procurewatch.errors import InputError

MAX_VALUE_CHARS = 256 << 20
"""Largest single element (or other top-level value) read into memory, in characters."""

_WHITESPACE = re.compile(r"[ \t\r\n]*")
_DECODER = json.JSONDecoder()


@dataclass(frozen=True, slots=True)
class Element:
    """One element of the streamed array: the key it is under, its number, line and value."""

    key: str | None
    index: int
    line: int
    value: Any


@dataclass
class JsonScanner:
    """A cursor over a JSON text read from ``handle`` in chunks of ``chunk`` characters."""

    handle: TextIO
    path: str
    chunk: int = 1 << 20
    line: int = 1
    keys: list[str] = field(default_factory=list)  # top-level keys seen
    streamed: bool = False  # whether an array was found to stream
    _buf: str = ""
    _pos: int = 0
    _eof: bool = False

    def elements(self, keys: tuple[str, ...] | None) -> Iterator[Element]:
        """Elements of the top-level array, or of the first top-level key in ``keys``."""
        start = self.peek()
        if start == "[":
            self._advance(1)
            self.streamed = True
            yield from self._array(None)
        elif start == "{" and keys:
            self._advance(1)
            yield from self._members(keys)
        else:
            want = "an array" if not keys else "an array or an object"
            raise self.error(f"expected {want} at the start of the file, found {start!r}")
        if self.peek():
            raise self.error("unexpected text after the end of the JSON document")

    def _members(self, keys: tuple[str, ...]) -> Iterator[Element]:
        if self.peek() == "}":
            self._advance(1)
            return
        while True:
            key = self.value()
            if not isinstance(key, str):
                raise self.error("expected a quoted key")
            self.keys.append(key)
            self.expect(":")
            if not self.streamed and key in keys and self.peek() == "[":
                self._advance(1)
                self.streamed = True
                yield from self._array(key)
            else:
                self.value()
            if self.expect(",}") == "}":
                return

    def _array(self, key: str | None) -> Iterator[Element]:
        if self.peek() == "]":
            self._advance(1)
            return
        index = 0
        while True:
            index += 1
            self.peek()
            line = self.line
            yield Element(key, index, line, self.value())
            if self.expect(",]") == "]":
                return

    def peek(self) -> str:
        """The next character that is not whitespace ('' at the end)."""
        while True:
            end = _WHITESPACE.match(self._buf, self._pos).end()  # type: ignore[union-attr]
            self._advance(end - self._pos)
            if self._pos < len(self._buf):
                return self._buf[self._pos]
            if not self._fill():
                return ""

    def expect(self, chars: str) -> str:
        """Consume one of ``chars`` (after whitespace) or fail."""
        found = self.peek()
        if not found or found not in chars:
            wanted = " or ".join(repr(c) for c in chars)
            raise self.error(f"expected {wanted}, found {found or 'the end of the file'!r}")
        self._advance(1)
        return found

    def value(self) -> Any:
        """Decode the JSON value at the cursor."""
        self.peek()
        while True:
            try:
                obj, end = _DECODER.raw_decode(self._buf, self._pos)
            except json.JSONDecodeError as err:
                cut = err.pos >= len(self._buf) - 16 or err.msg.startswith("Unterminated string")
                if cut and self._fill():
                    continue
                line = self.line + self._buf.count("\n", self._pos, err.pos)
                if cut:  # the end of the file came first
                    raise self.error("the file ends inside a value: it is cut off (an "
                                     "interrupted download or export?)", line) from None
                raise self.error(err.msg, line) from None
            except RecursionError:
                raise InputError(
                    "JSON values nested too deeply to read; flatten the data", path=self.path,
                    line=self.line) from None
            near_end = len(self._buf) - end < 64
            if near_end and isinstance(obj, int | float) and self._fill():
                continue  # a number cut off by the end of the buffer ("12" of "12.5e3")
            self._advance(end - self._pos)
            return obj

    def error(self, message: str, line: int | None = None) -> InputError:
        """An InputError at the cursor's line."""
        return InputError(
            f"invalid JSON: {message}; fix the file (or export it as JSON Lines)",
            path=self.path,
            line=line or self.line,
        )

    def _advance(self, count: int) -> None:
        self.line += self._buf.count("\n", self._pos, self._pos + count)
        self._pos += count

    def _fill(self) -> bool:
        """Read more text; False at the end of the file."""
        if self._eof:
            return False
        pending = len(self._buf) - self._pos
        if pending > MAX_VALUE_CHARS:
            raise self.error(f"a value is larger than {MAX_VALUE_CHARS >> 20} Mi characters")
        data = self.handle.read(max(self.chunk, pending))
        if not data:
            self._eof = True
            return False
        self._buf = self._buf[self._pos :] + data
        self._pos = 0
        return True
