"""Import every module of the procurewatch package found on disk, each once, and list failures.

Run in a fresh interpreter: ``python tests/import_all.py ROOT`` where ROOT is the folder that
holds ``procurewatch/``. It prints one line per module that did not import and exits 1 if any
did not; it exits 0 when all did. A module may be left out only when it needs an optional
package that is really not installed (PySpark and pandas of the ``spark`` extra, Hyperscan off
x86-64); those are printed as ``absent:`` lines with the missing package.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import traceback
from pathlib import Path

OPTIONAL = frozenset({"pyspark", "py4j", "pandas", "hyperscan"})
"""Third-party packages the package may be installed without (extras, or per platform)."""


def module_names(root: Path) -> list[str]:
    """The dotted name of every ``.py`` file under ``root/procurewatch``."""
    names = []
    for path in sorted((root / "procurewatch").rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names.append(".".join(parts))
    return names


def optional_absent(exc: BaseException) -> str | None:
    """The optional package whose absence caused ``exc``, if that is all it is."""
    if not isinstance(exc, ModuleNotFoundError) or exc.name is None:
        return None
    top = exc.name.split(".")[0]
    if top in OPTIONAL and importlib.util.find_spec(top) is None:
        return top
    return None


def check(root: Path) -> tuple[list[str], list[str]]:
    """(failures, absences): one line per module that did not import."""
    failures: list[str] = []
    absent: list[str] = []
    for name in module_names(root):
        try:
            importlib.import_module(name)
        except BaseException as exc:  # every failure is reported, none hidden
            missing = optional_absent(exc)
            if missing is not None:
                absent.append(f"absent: {name} needs {missing}")
            else:
                last = traceback.format_exception_only(type(exc), exc)[-1].strip()
                failures.append(f"failed: {name}: {last}")
    return failures, absent


def main(argv: list[str]) -> int:
    root = Path(argv[1]).resolve()
    sys.path.insert(0, str(root))
    import procurewatch

    loaded = Path(procurewatch.__file__).resolve()
    if root not in loaded.parents:
        sys.stdout.write(f"failed: procurewatch was loaded from {loaded}, not from {root}\n")
        return 1
    failures, absent = check(root)
    imported = len(module_names(root)) - len(failures) - len(absent)
    sys.stdout.write("".join(f"{line}\n" for line in [*failures, *absent]))
    sys.stdout.write(f"imported {imported} modules\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
