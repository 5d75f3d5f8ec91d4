"""Write ``procurewatch/normalize/data/han_t2s.txt``: traditional Chinese characters and the
simplified character each is written as, from ICU's ``Traditional-Simplified`` transform.

    .venv/bin/python scripts/make_han_t2s.py

Needs PyICU (installed with normality). Only characters ICU maps to one other character are
kept (in ICU 72 that is all of them); the screen reads the file, never ICU.
"""

from __future__ import annotations

from pathlib import Path

import icu

OUT = Path(__file__).resolve().parents[1] / "procurewatch" / "normalize" / "data" / "han_t2s.txt"
BLOCKS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF))
"""CJK Unified Ideographs Extension A and the main block (compatibility ideographs are folded
by NFKC before the table is used)."""


def pairs() -> list[tuple[str, str]]:
    """(traditional, simplified) for every character the transform changes into one other."""
    transform = icu.Transliterator.createInstance("Traditional-Simplified")
    found = []
    for low, high in BLOCKS:
        for code in range(low, high + 1):
            char = chr(code)
            simple = transform.transliterate(char)
            if simple != char and len(simple) == 1:
                found.append((char, simple))
    return found


def main() -> None:
    found = pairs()
    header = (
        "# Traditional Chinese character -> simplified, one pair per line (tab-separated).\n"
        f"# Source: ICU {icu.ICU_VERSION} (Unicode {icu.UNICODE_VERSION}) transform\n"
        "# Traditional-Simplified, from CLDR data; Unicode License v3 (https://www.unicode.org/\n"
        "# license.txt). Made by scripts/make_han_t2s.py; do not edit by hand.\n"
        f"# {len(found)} pairs.\n"
    )
    body = "".join(f"{t}\t{s}\n" for t, s in found)
    OUT.write_text(header + body, encoding="utf-8")


if __name__ == "__main__":
    main()
