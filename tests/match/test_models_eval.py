"""The model-number evaluation (``eval/models_eval.py``) over ``shared/data`` meets its targets.

Real model identifiers (Hikvision download center, Dahua firmware hardware IDs, the CC0 camera
database) are composed into line descriptions and scanned; see the script's docstring.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

EVAL_SCRIPT = Path(__file__).resolve().parents[2] / "eval" / "models_eval.py"

pytestmark = [pytest.mark.shared, pytest.mark.slow]


def _load_eval() -> ModuleType:
    spec = importlib.util.spec_from_file_location("models_eval", EVAL_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("models_eval", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def report(shared_data: Path) -> dict[str, Any]:
    """The evaluation report over the shared data (bundled watchlist, or the fallback)."""
    result: dict[str, Any] = _load_eval().run_eval(shared_data, misses=20)
    return result


@pytest.mark.parametrize(
    ("group", "target"),
    [("hikvision camera", 0.99), ("hikvision recorder", 0.99), ("dahua core", 0.98)],
)
def test_recall_targets(report: dict[str, Any], group: str, target: float) -> None:
    row = report["groups"][group]
    assert row["count"] > 100
    assert row["recall"] >= target, row["misses"]


def test_no_model_is_attributed_to_the_wrong_maker(report: dict[str, Any]) -> None:
    wrong = {g: r["wrong_maker"] for g, r in report["groups"].items() if "wrong_maker" in r}
    assert wrong and all(n == 0 for n in wrong.values()), wrong


def test_hard_negatives_give_no_hit(report: dict[str, Any]) -> None:
    negatives = {g: r["hits"] for g, r in report["groups"].items() if g.startswith("negative")}
    for brand in ("Uniview", "Uniarch", "Axis", "Hanwha", "Bosch", "Tiandy", "Kedacom", "traps"):
        assert f"negative {brand}" in negatives
    assert all(n == 0 for n in negatives.values()), negatives


def test_csv_rows_of_listed_brands_are_found(report: dict[str, Any]) -> None:
    for group in ("csv Hikvision", "csv HiLook", "csv Dahua"):
        assert report["groups"][group]["recall"] >= 0.99, report["groups"][group]["misses"]


def test_non_model_dahua_ids_are_left_out_with_a_reason(report: dict[str, Any]) -> None:
    skipped = report["skipped_dahua_ids"]
    assert {"32Mboot", "hi3519AV100", "RK3568", "General", "linux"} <= set(skipped)
    assert not any(m.startswith(("IPC-", "SD", "NVR", "TPC-")) for m in skipped)


def test_prefilter_loses_no_hit(report: dict[str, Any]) -> None:
    assert report["texts"] > 20_000
    assert report["prefilter_lost"] == 0
