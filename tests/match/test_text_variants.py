"""Strangers' spellings: makers' names in other scripts, brands written apart, model numbers
glued to text of another script, and the access-network and radio product lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from procurewatch.match.text import TextScanner
from procurewatch.model import Watchlist
from procurewatch.screen.run import run_screen


@pytest.fixture(scope="module")
def scanner(watchlist: Watchlist) -> TextScanner:
    return TextScanner.compile(watchlist)


@pytest.mark.parametrize(
    ("text", "entity", "matched"),
    [
        ("16 كاميرا هيكفيجن", "hikvision", "هيكفيجن"),
        ("دوربین هایک ویژن مدل DT53x", "hikvision", "هایک ویژن"),
        ("كاميرا داهوا (مرتجع) | 1 قطعة", "dahua", "داهوا"),
        ("راوتر هواوي مستعمل", "huawei", "هواوي"),
        ("كاميرا إيزفيز C8W", "ezviz", "إيزفيز"),
        ("Hik-Vision camera", "hikvision", "Hik-Vision"),
        ("HIK Vision 4MP dome", "hikvision", "HIK Vision"),
        ("Da-hua cameras x4", "dahua", "Da-hua"),
        ("Hua-wei router", "huawei", "Hua-wei"),
        ("دوربین مدلDS-2CE16D0T-IRP", "hikvision", "DS-2CE16D0T-IRP"),
        ("ХиквижнDS-2CD1023G0E-I", "hikvision", "DS-2CD1023G0E-I"),
        ("Camera | DS2CD-2347G2-LSU/SL", "hikvision", "DS2CD-2347G2-LSU/SL"),
        ("OLT MA5800-X7 ₹3,20,000", "huawei", "MA5800-X7"),
        ("ONT HG8245H x20", "huawei", "HG8245H"),
        ("OLT ZXA10 C320 com 2 placas", "zte", "ZXA10 C320"),
        ("Рация PD785G, 2 шт", "hytera", "PD785G"),
        ("камеры Хиквижн 4 шт", "hikvision", "Хиквижн"),
        ("Хіквіжн камера купольна", "hikvision", "Хіквіжн"),
        ("ชุดกล้อง ฮิควิชั่น 4 ตัว", "hikvision", "ฮิควิชั่น"),
        ("Коммутатор Хуавей S5720, 2 шт", "huawei", "Хуавей"),
        ("IP-камера Дахуа 4 Мп", "dahua", "Дахуа"),
        ("하이크비전 CCTV 카메라 4대 구매", "hikvision", "하이크비전"),
        ("하이크비전의 네트워크 카메라", "hikvision", "하이크비전"),  # a particle follows
        ("화웨이 스위치 S5720 2대", "huawei", "화웨이"),
        ("ファーウェイのルーター 2台", "huawei", "ファーウェイ"),
        ("다후아 500만화소 CCTV 설치 세트", "dahua", "다후아"),
        ("Recorder | HWN-4108MH", "hiwatch", "HWN-4108MH"),
        ("nombre: HAC-T1A21P-0280B | precio: 28000", "dahua", "HAC-T1A21P-0280B"),
        ("DH-C3A : Rp 350.000", "dahua", "DH-C3A"),
        ("WizSense 4MP turret camera x10", "dahua", "WizSense"),
        ("WizMind network camera", "dahua", "WizMind"),
    ],
)
def test_a_stranger_spelling_is_found(
    scanner: TextScanner, text: str, entity: str, matched: str
) -> None:
    hits = [(h.entity_id, h.matched_text) for h in scanner.scan(text)]
    assert (entity, matched) in hits, hits


@pytest.mark.parametrize(
    "text",
    [
        "Hua Wei, Guanjie Zheng, Zhenhui Li and Xianfeng Tang",  # spaced pinyin: needs context
        "Hikvisioné",  # a Latin word goes on
        "PD785 bus route",  # a radio model number needs a radio, camera or brand word
        "린 다후아 교수 연구실",  # Prof. Dahua Lin: the weak Korean spelling needs a product word
    ],
)
def test_a_look_alike_spelling_is_not_a_hit(scanner: TextScanner, text: str) -> None:
    assert scanner.scan(text) == []


def test_the_screen_finds_a_spelling_its_prefilter_must_let_through(
    watchlist: Watchlist, tmp_path: Path
) -> None:
    source = tmp_path / "rows.csv"
    source.write_text(
        "description\nDa-hua cameras x4\nدوربین مدلDS-2CE16D0T-IRP\nOffice paper\n",
        encoding="utf-8",
    )
    result = run_screen([source], watchlist)
    assert {(h.row, h.entity_id) for h in result.hits} == {(1, "dahua"), (2, "hikvision")}


def test_a_weak_cyrillic_spelling_needs_a_product_word(scanner: TextScanner) -> None:
    """"Дахуа" is also written for a Russian slang word: alone it is no hit."""
    assert scanner.scan("задач дахуа, но ты не бзди") == []
    assert [h.entity_id for h in scanner.scan("Видеорегистратор Дахуа на 8 каналов")] == ["dahua"]
