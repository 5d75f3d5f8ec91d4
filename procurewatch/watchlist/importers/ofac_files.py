"""Find the sibling files of an OFAC legacy CSV set from any one of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from procurewatch.errors import InputError

_CONS = {"main": "cons_prim.csv", "alt": "cons_alt.csv", "add": "cons_add.csv"}
_SDN = {"main": "sdn.csv", "alt": "alt.csv", "add": "add.csv"}
SETS: tuple[tuple[str, dict[str, str]], ...] = (
    ("ofac-nonsdn", {**_CONS, "comments": "cons_comments.csv"}),
    ("ofac-sdn", {**_SDN, "comments": "sdn_comments.csv"}),
)
"""List kind → file role → file-name ending. The consolidated set is tried first because
``cons_alt.csv`` also ends in ``alt.csv``."""


@dataclass
class OfacFiles:
    """The files of one OFAC list set; ``alt``/``add``/``comments`` are None when absent."""

    kind: str
    main: Path
    alt: Path | None = None
    add: Path | None = None
    comments: Path | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def all(self) -> list[Path]:
        """The files present, main file first."""
        return [p for p in (self.main, self.alt, self.add, self.comments) if p is not None]


def set_of_name(name: str) -> tuple[str, dict[str, str], str] | None:
    """``(kind, roles, prefix)`` of a file name, or None."""
    lower = name.lower()
    for kind, roles in SETS:
        for ending in roles.values():
            if lower.endswith(ending):
                return kind, roles, lower[: -len(ending)]
    return None


def find_files(path: Path) -> OfacFiles:
    """The set that ``path`` belongs to (it may be the main file or a sibling)."""
    found = set_of_name(path.name)
    if found is None:
        kind = "ofac-nonsdn" if "cons" in path.name.lower() else "ofac-sdn"
        files = OfacFiles(kind, path)
        files.warnings.append(
            f"{path.name}: not named like sdn.csv or cons_prim.csv; no alias/address files read"
        )
        return files
    kind, roles, prefix = found
    folder = path.parent
    by_name = (
        {p.name.lower(): p for p in folder.iterdir() if p.is_file()} if folder.is_dir() else {}
    )
    main = by_name.get(prefix + roles["main"])
    if main is None:
        raise InputError(
            f"the main file {prefix + roles['main']} is not in {folder}; "
            "put the whole OFAC set in one folder",
            path=str(path),
        )
    files = OfacFiles(kind, main)
    for role in ("alt", "add", "comments"):
        sibling = by_name.get(prefix + roles[role])
        setattr(files, role, sibling)
        if sibling is None and role != "comments":
            files.warnings.append(
                f"{prefix + roles[role]} not found next to {main.name}: no {role} rows read"
            )
    return files
