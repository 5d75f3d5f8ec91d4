"""Every module of the package imports, and a broken import makes the suite fail, not skip.

``import_all.py`` imports each module found on disk in a fresh interpreter. The planted-break
tests copy the package to a scratch folder, add an import of a module that does not exist, and
check that the import check and an ordinary test of the broken module both report a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECK = ROOT / "tests" / "import_all.py"
PLANTED = "\nimport procurewatch._planted_missing_module  # planted by tests/test_imports.py\n"


def import_check(root: Path) -> subprocess.CompletedProcess[str]:
    """``import_all.py`` on the package under ``root``, in an isolated interpreter."""
    return subprocess.run([sys.executable, "-I", str(CHECK), str(root)], capture_output=True,
                          text=True, check=False)  # fmt: skip


def scratch_with_break(tmp_path: Path, module: str) -> Path:
    """A copy of the package under ``tmp_path`` whose file ``module`` imports a missing module."""
    shutil.copytree(ROOT / "procurewatch", tmp_path / "procurewatch",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    target = tmp_path / "procurewatch" / module
    target.write_text(target.read_text(encoding="utf-8") + PLANTED, encoding="utf-8")
    return tmp_path


def test_every_module_of_the_package_imports() -> None:
    done = import_check(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "failed:" not in done.stdout
    assert done.stdout.strip().endswith("modules") and " 0 modules" not in done.stdout


@pytest.mark.parametrize(
    ("module", "dotted"),
    [
        ("review/__init__.py", "procurewatch.review"),
        ("screen/engines/local.py", "procurewatch.screen.engines.local"),
        ("report/html.py", "procurewatch.report.html"),
    ],
)
def test_a_planted_broken_import_fails_the_import_check(
    module: str, dotted: str, tmp_path: Path
) -> None:
    done = import_check(scratch_with_break(tmp_path, module))
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"failed: {dotted}: ModuleNotFoundError" in done.stdout, done.stdout


def test_a_planted_broken_import_fails_the_tests_of_that_module(tmp_path: Path) -> None:
    """The run-store report test with ``procurewatch.review`` broken: failed, never skipped."""
    scratch = scratch_with_break(tmp_path / "scratch", "review/__init__.py")
    env = {**os.environ, "PYTHONPATH": str(scratch)}
    done = subprocess.run(
        [sys.executable, "-P", "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
         str(ROOT / "tests" / "report" / "test_run_store.py"), "--basetemp", str(tmp_path / "t")],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-2000:]
    assert "failed" in summary or "error" in summary, summary
    assert "skipped" not in summary, summary
    assert "_planted_missing_module" in done.stdout, done.stdout[-3000:]
