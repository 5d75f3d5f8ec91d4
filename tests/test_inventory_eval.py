"""The inventory evaluation (``eval/inventory_eval.py``) on the real registry and camera data.

Skipped when ``../shared/data`` is absent. Two registries are scored: the one netaddr ships
(with the bundled MA-M/MA-S extract), whose copy dates from 2024-05 and lacks later MA-L blocks,
and the same plus the shared 2026 Wireshark manuf file (``--manuf``).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

EVAL = Path(__file__).resolve().parents[1] / "eval" / "inventory_eval.py"
pytestmark = [pytest.mark.shared, pytest.mark.slow]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("inventory_eval", EVAL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def reports(shared_data: Path) -> dict[str, dict[str, Any]]:
    if not (shared_data / "devices" / "oui_extract_chinese_vendors.csv").is_file():
        pytest.skip(f"needs {shared_data / 'devices'} (the OUI extract and camera models)")
    module = _load()
    manuf = shared_data / "devices" / module.MANUF_FILE
    return {
        "default": module.evaluate(shared_data),
        "with_manuf": module.evaluate(shared_data, manuf=manuf),
    }


@pytest.mark.parametrize("registry", ["default", "with_manuf"])
def test_precision_and_attribution(reports: dict[str, dict[str, Any]], registry: str) -> None:
    report = reports[registry]
    assert report["overall"]["precision"] >= 0.95
    for name, figures in report["signals"].items():
        assert figures["precision"] >= 0.95, name
    assert report["attribution_accuracy"] >= 0.95


def test_recall_with_a_current_registry(reports: dict[str, dict[str, Any]]) -> None:
    report = reports["with_manuf"]
    assert report["overall"]["recall"] >= 0.95
    assert report["overall"]["f1"] >= 0.95
    assert report["signals"]["oui"]["recall"] >= 0.95
    assert report["signals"]["manufacturer"]["recall"] >= 0.95


def test_recall_on_the_blocks_netaddr_holds(reports: dict[str, dict[str, Any]]) -> None:
    """With netaddr's copy alone, every miss beyond 5% must be a block it does not hold."""
    report = reports["default"]
    assert report["signals"]["oui (blocks the registry holds)"]["recall"] >= 0.95
    assert report["signals"]["manufacturer"]["recall"] >= 0.95


@pytest.mark.parametrize("registry", ["default", "with_manuf"])
def test_no_look_alike_is_flagged(reports: dict[str, dict[str, Any]], registry: str) -> None:
    groups = reports[registry]["groups"]
    for group in (
        "mac:Uniview",
        "mac:Tiandy",
        "mac:Honor",
        "mac:false friend",
        "mac:randomized",
        "mac:multicast",
        "camera:Uniview",
        "camera:Uniarch",
        "camera:Tiandy",
    ):
        assert groups[group]["devices"] > 0, group
        assert groups[group]["flagged"] == 0, group


def test_brands_are_attributed_to_their_listed_parent(reports: dict[str, dict[str, Any]]) -> None:
    report = reports["with_manuf"]
    makers, groups = report["makers_by_group"], report["groups"]
    for group, company in [
        ("camera:EZVIZ", "hikvision"),
        ("camera:HiLook", "hikvision"),
        ("camera:Hikvision", "hikvision"),
        ("camera:IMOU", "dahua"),
        ("camera:Dahua", "dahua"),
        ("mac:EZVIZ (Hikvision subsidiary)", "hikvision"),
    ]:
        assert makers[group] == {company: groups[group]["devices"]}, group


def test_oui_by_address_counts_blocks_registered_under_other_names(
    reports: dict[str, dict[str, Any]],
) -> None:
    """The address-picked blocks include registrants without the maker's name, and every
    figure says what it is worth."""
    address = reports["default"]["oui_by_address"]
    registrants = address["registrants"]
    assert address["blocks"] == sum(r["blocks"] for r in registrants.values()) >= 100
    assert address["found"] == sum(r["found"] for r in registrants.values())
    other = [n for n in registrants if "hikvision" not in n.split(": ", 1)[1].lower()
             and "dahua" not in n.split(": ", 1)[1].lower()]  # fmt: skip
    assert other, registrants
    basis = reports["default"]["basis"]
    assert basis["signals"].startswith("tuned on") and "circular" in basis["signals"]
    assert basis["oui_by_address"].startswith("tuned on, less circular")
