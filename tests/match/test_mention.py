"""What a text says about a maker it names: the mention rules set aside exclusions, references,
compliance clauses, places and people, and keep affirmative uses as hits."""

from __future__ import annotations

import pytest

from procurewatch.match._mention_cues import load_cues
from procurewatch.match.mention import judge_mentions
from procurewatch.match.text import TextScanner
from procurewatch.match.types import TextHit
from procurewatch.model import Watchlist


@pytest.fixture(scope="module")
def scanner(watchlist: Watchlist) -> TextScanner:
    return TextScanner.compile(watchlist)


def _found(scanner: TextScanner, text: str) -> dict[str, str]:
    """Entity id -> its set-aside reason ("" when affirmative), for the text's hits."""
    found: dict[str, str] = {}
    for hit in scanner.scan(text):
        found.setdefault(hit.entity_id, hit.set_aside)
    return found


@pytest.mark.parametrize(
    ("text", "rule", "entities"),
    [
        ("No Huawei or ZTE equipment permitted under this contract", "exclusion", {"huawei", "zte"}),
        ("Cameras at Zhongshan Rd (ZTE-free)", "exclusion", {"zte"}),
        ("宇视摄像机（非海康）", "exclusion", {"hikvision"}),
        ("华为路道路改造", "place", {"huawei"}),
        ("NVR compatible with Hikvision and Dahua cameras", "reference", {"hikvision", "dahua"}),
        ("NDAA compliant cameras, no Hikvision, Dahua or Hytera", "exclusion",
         {"hikvision", "dahua", "hytera"}),
        ("Section 889 prohibits the use of equipment from certain makers (Huawei, ZTE, etc.).",
         "compliance", {"huawei", "zte"}),
        ("NDAA Section 889 compliant (Hikvision and Dahua are not)", "exclusion",
         {"hikvision", "dahua"}),
        ("由于国家安全问题，运营商不得使用华为的核心网络设备", "exclusion", {"huawei"}),
        ("除华为外的其他品牌交换机", "exclusion", {"huawei"}),
        ("Cámaras IP sin Hikvision ni Dahua", "exclusion", {"hikvision", "dahua"}),
        ("Câmeras compatíveis com Hikvision", "reference", {"hikvision"}),
        ("Caméras compatibles avec Dahua", "reference", {"dahua"}),
        ("Видеорегистратор без Hikvision", "exclusion", {"hikvision"}),
        ("Avoid Hikvision and Dahua cameras.", "exclusion", {"hikvision", "dahua"}),
        ("Security upgrade, replacing Hikvision cameras with Axis", "exclusion", {"hikvision"}),
        ("An NDAA-compliant alternative to Hikvision", "exclusion", {"hikvision"}),
        ("Works with Hikvision natively and with any ONVIF device", "reference", {"hikvision"}),
        ("Hikvision and Dahua are on federal ban lists.", "exclusion", {"hikvision", "dahua"}),
        ("The government banned Huawei from its 5G networks in 2023.", "compliance", {"huawei"}),
        ("No. 1 Dahua Road, Dongcheng District, Beijing", "place", {"dahua"}),
        ("Huawei Road Bakery", "place", {"huawei"}),
        ("Mount, replacement for Hikvision DS-2CD2143G2-I", "reference", {"hikvision"}),
        ("Replace existing Hikvision cameras with Axis P3265 units", "exclusion", {"hikvision"}),
        ("Replace the existing Dahua recorders", "exclusion", {"dahua"}),
        ("Upgrade from Hikvision to Verkada", "exclusion", {"hikvision"}),
        ("Uninstall Hikvision cameras at City Hall", "exclusion", {"hikvision"}),
        ("Decommission 12 Hikvision cameras at the depot", "exclusion", {"hikvision"}),
        ("Removal and disposal of Dahua NVR", "exclusion", {"dahua"}),
        ("Migration away from Huawei core routers", "exclusion", {"huawei"}),
        ("Retiro de equipos Huawei de la red", "exclusion", {"huawei"}),
        ("Rückbau der Huawei-Antennen", "exclusion", {"huawei"}),
        ("Retrait des caméras Hikvision", "exclusion", {"hikvision"}),
    ],
)  # fmt: skip
def test_a_mention_that_names_a_maker_without_buying_is_set_aside(
    scanner: TextScanner, text: str, rule: str, entities: set[str]
) -> None:
    found = _found(scanner, text)
    assert set(found) >= entities
    for entity in entities:
        assert found[entity].startswith(f"{rule}: "), (entity, found[entity])


@pytest.mark.parametrize(
    "text",
    [
        "Hikvision DS-2CD2143G2-I or equivalent",
        "Security cameras, e.g. Hikvision, 4MP",
        "brand: Hikvision | NDAA: no",
        "NDAA-banned Hikvision camera, $89",
        "Not NDAA compliant: Hikvision DS-2CD2143G2-I, $120",
        "Caméra Hikvision sans fil 4MP",
        "Câmera Hikvision sem fio",
        "Part No DS-2CD2143G2-I Hikvision dome",
        "No. 5 Hikvision DS-7608NI-K2 NVR",
        "华为路由器 AR6120 3台",
        "大华道闸监控系统 2套",
        "Purchase of Hikvision cameras for the police department",
        "Hikvision cameras are on sale this week",
        "Dahua XVR5108HS-I3 8 канальный видеорегистратор без HDD",
        "Replace existing analog cameras with Hikvision DS-2CD2143G2-I",
        "Replacement Hikvision camera for gate 3",
        "Upgrade from analog to Hikvision IP cameras",
        "Uninstall cameras and install Hikvision NVR",
        "Hikvision NVR upgrade from 8 to 16 channels",
    ],
)
def test_an_affirmative_use_stays_a_hit(scanner: TextScanner, text: str) -> None:
    found = _found(scanner, text)
    assert found, text
    assert all(reason == "" for reason in found.values()), found


def test_a_reference_counts_when_a_model_of_the_maker_is_bought(scanner: TextScanner) -> None:
    aside = _found(scanner, "Bracket compatible with Hikvision domes")
    bought = _found(scanner, "DS-2CD2143G2-I dome, bracket compatible with Hikvision domes")
    assert aside["hikvision"].startswith("reference: ")
    assert bought["hikvision"] == ""


def test_compliance_words_with_a_price_or_quantity_keep_the_mention(scanner: TextScanner) -> None:
    clause = "Huawei is on the Entity List"
    assert _found(scanner, clause)["huawei"].startswith("compliance: ") or _found(scanner, clause)[
        "huawei"
    ].startswith("exclusion: ")
    assert _found(scanner, "Huawei router (Entity List) x2")["huawei"] == ""
    assert _found(scanner, "Huawei router, sanctioned maker, ₹2,800")["huawei"] == ""


def test_an_exclusion_reaches_only_the_makers_of_its_list(scanner: TextScanner) -> None:
    found = _found(scanner, "Dahua XVR5108HS-I3 recorder, без Hikvision")
    assert found["dahua"] == ""
    assert found["hikvision"].startswith("exclusion: ")


def test_a_person_named_like_a_maker_is_set_aside() -> None:
    cues = load_cues()
    text = "proposed by Huaxiu Yao, Xianfeng Tang, Hua Wei, Guanjie Zheng, and Zhenhui Li"
    start = text.index("Hua Wei")
    hit = TextHit(start, start + 7, "Hua Wei", "alias", "huawei", "alias", None, 0.9, "test")
    (judged,) = judge_mentions(text, [hit], {}, cues)
    assert judged.set_aside.startswith("person: ")
    titled = "Prof. Hua Wei presented the results"
    start = titled.index("Hua Wei")
    hit = TextHit(start, start + 7, "Hua Wei", "alias", "huawei", "alias", None, 0.9, "test")
    (judged,) = judge_mentions(titled, [hit], {}, cues)
    assert judged.set_aside.startswith("person: ")


def test_the_rules_can_be_switched_off(watchlist: Watchlist) -> None:
    plain = TextScanner.compile(watchlist, mention_rules=False)
    hits = plain.scan("No Huawei or ZTE equipment permitted")
    assert {h.entity_id for h in hits} >= {"huawei", "zte"}
    assert all(h.set_aside == "" for h in hits)


def test_every_reason_names_the_rule_and_the_words(scanner: TextScanner) -> None:
    (hit,) = [h for h in scanner.scan("Cameras, excluding Hikvision") if h.entity_id == "hikvision"]
    assert hit.set_aside == "exclusion: 'excluding' before it"
    assert hit.matched_text == "Hikvision"
