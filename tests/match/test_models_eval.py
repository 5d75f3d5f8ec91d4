"""The model-number evaluation (``eval/models_eval.py``) over ``shared/data`` meets its targets.

Real model identifiers (Hikvision download center, Dahua firmware hardware IDs, the CC0 camera
database) are composed into line descriptions and scanned; see the script's docstring. The
recall targets are in-sample (the patterns were written from these lists); the report also
carries two held-out figures, checked here for presence and consistency, not for a level.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
EVAL_SCRIPT = ROOT / "eval" / "models_eval.py"


def _load_eval() -> ModuleType:
    spec = importlib.util.spec_from_file_location("models_eval", EVAL_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("models_eval", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def report(shared_data: Path) -> dict[str, Any]:
    """The evaluation report over the shared data (always the bundled watchlist)."""
    result: dict[str, Any] = _load_eval().run_eval(shared_data, misses=20)
    return result


@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.parametrize(
    ("group", "target"),
    [("hikvision camera", 0.99), ("hikvision recorder", 0.99), ("dahua core", 0.98)],
)
def test_recall_targets(report: dict[str, Any], group: str, target: float) -> None:
    row = report["groups"][group]
    assert row["count"] > 100
    assert row["recall"] >= target, row["misses"]


@pytest.mark.shared
@pytest.mark.slow
def test_no_model_is_attributed_to_the_wrong_maker(report: dict[str, Any]) -> None:
    wrong = {g: r["wrong_maker"] for g, r in report["groups"].items() if "wrong_maker" in r}
    assert wrong and all(n == 0 for n in wrong.values()), wrong


@pytest.mark.shared
@pytest.mark.slow
def test_hard_negatives_give_no_hit(report: dict[str, Any]) -> None:
    negatives = {g: r["hits"] for g, r in report["groups"].items() if g.startswith("negative")}
    for brand in ("Uniview", "Uniarch", "Axis", "Hanwha", "Bosch", "Tiandy", "Kedacom", "traps"):
        assert f"negative {brand}" in negatives
    assert all(n == 0 for n in negatives.values()), negatives


@pytest.mark.shared
@pytest.mark.slow
def test_csv_rows_of_listed_brands_are_found(report: dict[str, Any]) -> None:
    for group in ("csv Hikvision", "csv HiLook", "csv Dahua"):
        assert report["groups"][group]["recall"] >= 0.99, report["groups"][group]["misses"]


@pytest.mark.shared
@pytest.mark.slow
def test_non_model_dahua_ids_are_left_out_with_a_reason(report: dict[str, Any]) -> None:
    skipped = report["skipped_dahua_ids"]
    assert {"32Mboot", "hi3519AV100", "RK3568", "General", "linux"} <= set(skipped)
    assert not any(m.startswith(("IPC-", "SD", "NVR", "TPC-")) for m in skipped)


@pytest.mark.shared
@pytest.mark.slow
def test_prefilter_loses_no_hit(report: dict[str, Any]) -> None:
    assert report["texts"] > 20_000
    assert report["prefilter_lost"] == 0


@pytest.mark.shared
@pytest.mark.slow
def test_every_part_says_whether_it_is_tuned_on_or_held_out(report: dict[str, Any]) -> None:
    basis = report["basis"]
    assert basis["groups"].startswith("tuned on") and basis["wild study"].startswith("tuned on")
    assert basis["unseen_families"].startswith("held out")
    assert basis["wild measure"].startswith("measured, not cleanly held out")


@pytest.mark.shared
@pytest.mark.slow
def test_held_out_figures_are_counted_over_the_real_lists(report: dict[str, Any]) -> None:
    unseen = report["unseen_families"]
    families = unseen["families"]
    assert {"hikvision-ip-camera", "dahua-ip-camera"} <= set(families)
    assert unseen["models"] == sum(r["models"] for r in families.values()) > 1000
    assert unseen["found"] == sum(r["found"] for r in families.values())
    assert all(family not in row["by"] for family, row in families.items())  # never itself
    wild = report["wild_model_only"]
    assert wild["measure"]["rows"] >= 20 and wild["study"]["rows"] >= 5
    for row in wild.values():
        assert row["found"] + len(row["missed"]) == row["rows"]


@pytest.mark.shared
@pytest.mark.slow
def test_negatives_that_are_counter_examples_are_counted_apart(report: dict[str, Any]) -> None:
    traps = report["groups"]["negative traps"]
    assert traps["counter_example_texts"] >= 1  # DS-2019, IPC-2221 ... are counter_examples
    assert traps["counter_example_texts"] + traps["held_out_texts"] == traps["count"]


def test_refuses_a_watchlist_that_does_not_load(tmp_path: Path) -> None:
    """No fallback: with the bundled product families broken, one error line and status 2."""
    shutil.copytree(ROOT / "procurewatch", tmp_path / "procurewatch",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    products = tmp_path / "procurewatch" / "watchlist" / "data" / "products.yaml"
    products.write_text("products: [\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-P", str(EVAL_SCRIPT), "--data", str(tmp_path / "no-data")],
        env={**os.environ, "PYTHONPATH": str(tmp_path)}, cwd=tmp_path,
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.startswith("error: the bundled watchlist does not load")
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
