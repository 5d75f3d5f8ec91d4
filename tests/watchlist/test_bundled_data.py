"""Checks on the curated, bundled watchlist data (procurewatch/watchlist/data).

These test the data, not the loader: that the 28 entities of the Entity List action of
2019-10-09 (84 FR 54002) are all present with their designation and a Chinese name, that the
NDAA 889 companies carry the statute's dates, that designations reach subsidiaries and owned
brands only inside the ownership dates, that OEM leads stay leads, and that every fact cites a
source that exists.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from procurewatch.model import COVERING_RELATIONS, Entity, Watchlist
from procurewatch.watchlist.bundled import load_bundled, validate

EL_2019 = date(2019, 10, 9)

# Entity id -> the name exactly as the rule of 2019-10-09 prints it.
RULE_NAMES_GOVERNMENT = {
    "xuar-psb": (
        "Xinjiang Uighur Autonomous Region (XUAR) People's Government Public Security Bureau"
    ),
    "psb-aksu": "Aksu District Public Security Bureau",
    "psb-altay": "Altay Municipality Public Security Bureau",
    "psb-bayingolin": "Bayingolin Mongolian Autonomous Prefecture Public Security Bureau",
    "psb-boertala": "Boertala Mongolian Autonomous Prefecture Public Security Bureau",
    "psb-changji": "Changji Hui Autonomous Prefecture Public Security Bureau",
    "psb-hami": "Hami Municipality Public Security Bureau",
    "psb-hetian": "Hetian Prefecture Public Security Bureau",
    "psb-kashgar": "Kashgar Prefecture Public Security Bureau",
    "psb-kelamayi": "Kelamayi Municipality Public Security Bureau",
    "psb-kezilesu": "Kezilesu Kyrgyz Autonomous Prefecture Public Security Bureau",
    "psb-shihezi": "Shihezi Municipality Public Security Bureau",
    "psb-tacheng": "Tacheng Prefecture Public Security Bureau",
    "psb-tumushuke": "Tumushuke Municipal Public Security Bureau",
    "psb-turfan": "Turfan Municipality Public Security Bureau",
    "psb-urumqi": "Urumqi Municipal Public Security Bureau",
    "psb-wujiaqu": "Wujiaqu Municipality Public Security Bureau",
    "psb-xpcc": "Xinjiang Production and Construction Corps Public Security Bureau",
    "psb-yili": "Yili Kazakh Autonomous Prefecture Public Security Bureau",
    "xinjiang-police-college": "Xinjiang Police College",
}
RULE_NAMES_COMPANIES = {
    "dahua": "Dahua Technology",
    "hikvision": "Hikvision",
    "iflytek": "IFLYTEK",
    "megvii": "Megvii Technology",
    "sensetime": "SenseTime",
    "meiya-pico": "Xiamen Meiya Pico Information Co. Ltd.",
    "yitu": "Yitu Technologies",
    "yixin": "Yixin Science and Technology Co. Ltd.",
}
RULE_NAMES = {**RULE_NAMES_GOVERNMENT, **RULE_NAMES_COMPANIES}
SUBORDINATE_BUREAUS = sorted(i for i in RULE_NAMES_GOVERNMENT if i.startswith("psb-"))

NDAA_889 = ["huawei", "zte", "hytera", "hikvision", "dahua"]
OEM_LEADS = {
    "amcrest": "dahua",
    "ic-realtime": "dahua",
    "montavue": "dahua",
    "optiview": "dahua",
    "kbvision": "dahua",
    "intelbras": "dahua",
    "cp-plus": "dahua",
    "annke": "hikvision",
    "lts": "hikvision",
}
LIST_IDS = {
    "us-ndaa-889-a1a", "us-ndaa-889-a1b", "us-bis-entity-list", "us-bis-dpl", "us-bis-uvl",
    "us-bis-meu", "us-fcc-covered-list", "us-ofac-sdn", "us-ofac-ns-cmic", "us-ofac-ssi",
    "us-ofac-plc", "us-ofac-fse", "us-ofac-mbs", "us-ofac-cap", "us-ofac-nonsdn",
    "us-state-isn", "us-state-dtc", "us-dod-1260h",
}  # fmt: skip
CORE_IDS = [
    "hikvision", "dahua", "huawei", "zte", "hytera", "iflytek", "megvii", "sensetime",
    "meiya-pico", "yitu", "yixin", "xuar-psb", "xinjiang-police-college", "hikvision-usa",
    "dahua-usa", "ezviz", "hilook", "imou", "lorex", "cetc",
]  # fmt: skip
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def wl() -> Watchlist:
    return load_bundled()


def entity(wl: Watchlist, entity_id: str) -> Entity:
    found = wl.get(entity_id)
    assert found is not None, f"missing entity {entity_id!r}"
    return found


def test_bundled_data_validates(wl: Watchlist) -> None:
    validate(wl)
    assert len(RULE_NAMES) == 28
    assert len(SUBORDINATE_BUREAUS) == 18


def test_list_ids_are_exactly_the_agreed_ones(wl: Watchlist) -> None:
    assert set(wl.lists) == LIST_IDS
    for info in wl.lists.values():
        assert info.jurisdiction == "us"
        assert info.url and info.url.startswith("https://")
    assert wl.lists["us-ndaa-889-a1a"].covers_affiliates
    assert wl.lists["us-ndaa-889-a1b"].covers_affiliates
    assert wl.lists["us-bis-entity-list"].citation == "15 CFR part 744, Supplement No. 4"


@pytest.mark.parametrize("entity_id", CORE_IDS)
def test_core_ids_exist(wl: Watchlist, entity_id: str) -> None:
    entity(wl, entity_id)


@pytest.mark.parametrize("entity_id", sorted(RULE_NAMES))
def test_entity_list_2019_entity(wl: Watchlist, entity_id: str) -> None:
    ent = entity(wl, entity_id)
    expected_schema = "Company" if entity_id in RULE_NAMES_COMPANIES else "PublicBody"
    assert ent.schema == expected_schema
    assert "cn" in ent.countries

    rule_name = [n for n in ent.names if n.value == RULE_NAMES[entity_id]]
    assert rule_name, f"{entity_id}: the rule's name {RULE_NAMES[entity_id]!r} is missing"
    assert rule_name[0].kind == "legal" and rule_name[0].lang == "en"
    assert rule_name[0].source == "fr-2019-22210"

    chinese = [n for n in ent.names if n.lang == "zh"]
    assert chinese, f"{entity_id}: no Chinese (lang zh) name"
    assert all(HAN.search(n.value) for n in chinese)
    assert any(n.kind == "local" for n in chinese)

    els = [d for d in ent.designations if d.list_id == "us-bis-entity-list"]
    assert len(els) == 1
    des = els[0]
    assert des.listed == EL_2019 and des.start == EL_2019
    assert des.citation == "84 FR 54002"
    assert des.source == "fr-2019-22210"
    assert des.in_force_on(EL_2019) is True
    assert des.in_force_on(date(2019, 10, 8)) is False
    assert des.in_force_on(date(2026, 1, 1)) is True


@pytest.mark.parametrize("entity_id", SUBORDINATE_BUREAUS)
def test_subordinate_bureau_is_part_of_xuar_psb(wl: Watchlist, entity_id: str) -> None:
    ent = entity(wl, entity_id)
    rels = [r for r in ent.relations if r.kind == "part_of" and r.target == "xuar-psb"]
    assert len(rels) == 1
    assert rels[0].source == "fr-2019-22210"
    assert not rels[0].lead
    # The XUAR PSB's own OFAC SDN designation reaches its bureaus.
    holders = {(e.holder, e.list.id) for e in wl.effective_designations(entity_id)}
    assert ("xuar-psb", "us-ofac-sdn") in holders


@pytest.mark.parametrize(
    ("entity_id", "spellings"),
    [
        ("psb-urumqi", ["乌鲁木齐市公安局", "Ürümqi", "Urumchi", "Wulumuqi"]),
        ("psb-kashgar", ["喀什地区公安局", "Kashi", "Qeshqer"]),
        ("psb-hetian", ["和田地区公安局", "Hotan", "Khotan"]),
        ("psb-kelamayi", ["克拉玛依市公安局", "Karamay"]),
        ("psb-turfan", ["吐鲁番市公安局", "Turpan", "Tulufan"]),
        ("psb-altay", ["阿勒泰市公安局", "Aletai"]),
        ("psb-bayingolin", ["巴音郭楞蒙古自治州公安局", "Bayinguoleng"]),
        ("psb-boertala", ["博尔塔拉蒙古自治州公安局", "Bortala"]),
        ("psb-tacheng", ["塔城地区公安局", "Tarbagatay", "Chuguchak"]),
        ("psb-yili", ["伊犁哈萨克自治州公安局", "Ili Kazakh"]),
        ("psb-kezilesu", ["克孜勒苏柯尔克孜自治州公安局", "Kizilsu", "Qizilsu"]),
        ("psb-aksu", ["阿克苏地区公安局", "Aqsu"]),
        ("psb-hami", ["哈密市公安局", "Kumul", "Qumul"]),
        ("psb-tumushuke", ["图木舒克市公安局", "Tumxuk"]),
        ("psb-xpcc", ["新疆生产建设兵团公安局", "XPCC", "Bingtuan"]),
        ("xuar-psb", ["新疆维吾尔自治区公安厅", "Xinjiang Uyghur", "Uygur"]),
        ("xinjiang-police-college", ["新疆警察学院"]),
        ("xpcc", ["新疆生产建设兵团", "XPCC", "Bingtuan"]),
    ],
)
def test_place_name_spellings(wl: Watchlist, entity_id: str, spellings: list[str]) -> None:
    names = " | ".join(entity(wl, entity_id).all_names())
    for spelling in spellings:
        assert spelling in names, f"{entity_id}: no name with {spelling!r}"


@pytest.mark.parametrize(
    ("entity_id", "chinese"),
    [
        ("hikvision", ["杭州海康威视数字技术股份有限公司", "海康威视"]),
        ("dahua", ["浙江大华技术股份有限公司", "大华股份", "大华"]),
        ("huawei", ["华为技术有限公司", "华为"]),
        ("zte", ["中兴通讯股份有限公司", "中兴"]),
        ("hytera", ["海能达通信股份有限公司", "海能达"]),
        ("iflytek", ["科大讯飞股份有限公司", "科大讯飞"]),
        ("megvii", ["北京旷视科技有限公司", "旷视"]),
        ("sensetime", ["商汤集团", "商汤"]),
        ("meiya-pico", ["厦门市美亚柏科信息股份有限公司", "美亚柏科"]),
        ("yitu", ["依图科技"]),
        ("yixin", ["颐信科技"]),
        ("ezviz", ["萤石"]),
        ("imou", ["乐橙"]),
    ],
)
def test_company_chinese_names(wl: Watchlist, entity_id: str, chinese: list[str]) -> None:
    values = {n.value for n in entity(wl, entity_id).names if n.lang == "zh"}
    for name in chinese:
        assert name in values


@pytest.mark.parametrize("entity_id", NDAA_889)
def test_ndaa_889_companies(wl: Watchlist, entity_id: str) -> None:
    ent = entity(wl, entity_id)
    assert ent.schema == "Company"
    by_list = {d.list_id: d for d in ent.designations}

    a1a = by_list["us-ndaa-889-a1a"]
    assert a1a.listed == date(2018, 8, 13)
    assert a1a.in_force == date(2019, 8, 13)
    assert a1a.in_force_on(date(2019, 8, 13)) is True
    assert a1a.in_force_on(date(2019, 8, 12)) is False
    assert a1a.source == "pl-115-232"

    a1b = by_list["us-ndaa-889-a1b"]
    assert a1b.in_force == date(2020, 8, 13)
    assert a1b.in_force_on(date(2020, 1, 1)) is False

    fcc = by_list["us-fcc-covered-list"]
    assert fcc.start == date(2021, 3, 12)
    assert fcc.source == "fcc-covered-list"


@pytest.mark.parametrize(
    ("entity_id", "listed", "in_force"),
    [
        ("hikvision", date(2021, 6, 3), date(2021, 8, 2)),
        ("huawei", date(2021, 6, 3), date(2021, 8, 2)),
        ("huawei-holding", date(2021, 6, 3), date(2021, 8, 2)),
        ("cetc", date(2021, 6, 3), date(2021, 8, 2)),
        ("megvii", date(2021, 12, 16), date(2022, 2, 14)),
        ("sensetime", date(2021, 12, 10), date(2022, 2, 8)),
        ("yitu", date(2021, 12, 16), date(2022, 2, 14)),
        ("meiya-pico", date(2021, 12, 16), date(2022, 2, 14)),
    ],
)
def test_ns_cmic_dates_are_the_ones_typed_here(
    wl: Watchlist, entity_id: str, listed: date, in_force: date
) -> None:
    """Listing and Effective dates copied by hand from OFAC's NS-CMIC rows; the check that
    reads OFAC's file itself is ``test_cross_check.py`` (it needs ``../shared/data``)."""
    des = [d for d in entity(wl, entity_id).designations if d.list_id == "us-ofac-ns-cmic"]
    assert len(des) == 1
    assert (des[0].listed, des[0].in_force) == (listed, in_force)


@pytest.mark.parametrize("entity_id", ["dahua", "zte", "hytera", "iflytek", "yixin"])
def test_not_on_ns_cmic(wl: Watchlist, entity_id: str) -> None:
    assert all(d.list_id != "us-ofac-ns-cmic" for d in entity(wl, entity_id).designations)


def test_hikvision_identifiers(wl: Watchlist) -> None:
    ids = {(i.scheme, i.value) for i in entity(wl, "hikvision").identifiers}
    assert ("uscc", "91330000733796106P") in ids
    assert ("isin", "CNE100000PM8") in ids
    assert ("stock", "002415") in ids
    assert ("stock", "002236") in {(i.scheme, i.value) for i in entity(wl, "dahua").identifiers}


def test_lorex_dahua_designations_only_while_owned(wl: Watchlist) -> None:
    lorex = entity(wl, "lorex")
    assert lorex.designations == ()
    rel = next(r for r in lorex.relations if r.target == "dahua")
    assert rel.kind == "owned_by"
    assert rel.end == date(2022, 11, 24)

    via_dahua = [e for e in wl.effective_designations("lorex") if e.holder == "dahua"]
    assert via_dahua
    by_list = {e.list.id: e for e in via_dahua}
    assert by_list["us-ndaa-889-a1a"].in_force_on(date(2020, 1, 1)) is True
    assert by_list["us-bis-entity-list"].in_force_on(date(2020, 1, 1)) is True
    assert not any(e.in_force_on(date(2023, 1, 1)) for e in via_dahua)
    assert not any(e.in_force_on(date(2017, 12, 31)) for e in via_dahua)


def test_dahua_usa_stops_inheriting_after_sale(wl: Watchlist) -> None:
    via = {e.list.id: e for e in wl.effective_designations("dahua-usa") if e.holder == "dahua"}
    assert via["us-ndaa-889-a1a"].in_force_on(date(2023, 6, 1)) is True
    assert via["us-ndaa-889-a1a"].in_force_on(date(2024, 6, 1)) is False


def test_hikvision_usa_inherits_from_parent(wl: Watchlist) -> None:
    usa = entity(wl, "hikvision-usa")
    assert usa.designations == ()
    effective = wl.effective_designations("hikvision-usa")
    from_parent = [e for e in effective if e.holder == "hikvision"]
    own = {d.list_id for d in entity(wl, "hikvision").designations}
    assert {e.list.id for e in from_parent} == own
    for eff in from_parent:
        assert [r.kind for r in eff.via] == ["subsidiary_of"]
        assert eff.via[0].target == "hikvision"
    a1a = next(e for e in from_parent if e.list.id == "us-ndaa-889-a1a")
    assert a1a.in_force_on(date(2020, 1, 1)) is True
    assert a1a.list.covers_affiliates
    # CETC's designations reach it two levels up.
    assert any(e.holder == "cetc" and len(e.via) == 2 for e in effective)


@pytest.mark.parametrize(
    ("entity_id", "parent", "kind"),
    [
        ("hikvision-usa", "hikvision", "subsidiary_of"),
        ("hikvision-europe", "hikvision", "subsidiary_of"),
        ("prama-hikvision-india", "hikvision", "subsidiary_of"),
        ("ezviz", "hikvision", "subsidiary_of"),
        ("hilook", "hikvision", "brand_of"),
        ("hiwatch", "hikvision", "brand_of"),
        ("hikmicro", "hikvision", "brand_of"),
        ("hikrobot", "hikvision", "subsidiary_of"),
        ("dahua-usa", "dahua", "subsidiary_of"),
        ("imou", "dahua", "brand_of"),
        ("ez-ip", "dahua", "brand_of"),
        ("lorex", "dahua", "owned_by"),
        ("chengdu-dahua-wisdom", "dahua", "subsidiary_of"),
        ("huawei", "huawei-holding", "subsidiary_of"),
        ("hisilicon", "huawei", "subsidiary_of"),
        ("hikvision", "cetc", "subsidiary_of"),
        ("comnet-usa", "pacific-networks", "subsidiary_of"),
    ],
)
def test_subsidiaries_and_brands(wl: Watchlist, entity_id: str, parent: str, kind: str) -> None:
    rels = [r for r in entity(wl, entity_id).relations if r.target == parent]
    assert [r.kind for r in rels] == [kind]
    assert not rels[0].lead


@pytest.mark.parametrize(
    ("entity_id", "included"),
    [
        ("kaspersky", date(2022, 3, 25)),
        ("kaspersky-lab-inc", date(2024, 7, 23)),
        ("china-mobile-intl-usa", date(2022, 3, 25)),
        ("china-telecom-americas", date(2022, 3, 25)),
        ("pacific-networks", date(2022, 9, 20)),
        ("comnet-usa", date(2022, 9, 20)),
        ("china-unicom-americas", date(2022, 9, 20)),
    ],
)
def test_other_fcc_covered_entries(wl: Watchlist, entity_id: str, included: date) -> None:
    des = [d for d in entity(wl, entity_id).designations if d.list_id == "us-fcc-covered-list"]
    assert [d.start for d in des] == [included]


@pytest.mark.parametrize(("entity_id", "maker"), sorted(OEM_LEADS.items()))
def test_oem_leads_stay_leads(wl: Watchlist, entity_id: str, maker: str) -> None:
    ent = entity(wl, entity_id)
    assert ent.lead is True
    assert ent.designations == ()
    oem = [r for r in ent.relations if r.kind == "oem_for"]
    assert [r.target for r in oem] == [maker]
    assert oem[0].lead is True
    assert all(r.kind not in COVERING_RELATIONS for r in ent.relations)
    assert wl.effective_designations(entity_id) == []


def test_only_oem_leads_are_leads(wl: Watchlist) -> None:
    assert {e.id for e in wl.entities.values() if e.lead} == set(OEM_LEADS)
    for ent in wl.entities.values():
        for rel in ent.relations:
            assert rel.lead == (rel.kind == "oem_for"), f"{ent.id}: {rel}"


def test_every_referenced_source_exists(wl: Watchlist) -> None:
    missing: list[str] = []
    for ent in wl.entities.values():
        cited = [
            *ent.sources,
            *(n.source for n in ent.names),
            *(i.source for i in ent.identifiers),
            *(d.source for d in ent.designations),
            *(r.source for r in ent.relations),
        ]
        assert ent.sources, f"{ent.id}: no entity-level source"
        missing += [f"{ent.id}: {s!r}" for s in cited if s not in wl.sources]
    for info in wl.lists.values():
        if info.source not in wl.sources:
            missing.append(f"list {info.id}: {info.source!r}")
    for product in wl.products:
        if product.source not in wl.sources:
            missing.append(f"product {product.id}: {product.source!r}")
    assert not missing


def test_sources_are_described(wl: Watchlist) -> None:
    for src in wl.sources.values():
        assert src.title and src.licence and src.note, src.id
        assert src.url is None or src.url.startswith(("http://", "https://")), src.id
    # No third-party transcription is cited as the source of a fact.
    for src in wl.sources.values():
        assert "opensanctions.org" not in (src.url or ""), src.id


def test_ids_names_and_dates_are_well_formed(wl: Watchlist) -> None:
    for ent in wl.entities.values():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", ent.id), ent.id
        assert ent.names, ent.id
        assert all(len(c) == 2 and c.islower() for c in ent.countries), ent.id
        for des in ent.designations:
            if des.listed and des.in_force:
                assert des.in_force >= des.listed, (ent.id, des)
            if des.ended:
                assert des.start is not None and des.ended > des.start, (ent.id, des)
        for rel in ent.relations:
            assert rel.target != ent.id
            if rel.start and rel.end:
                assert rel.start < rel.end, (ent.id, rel)
        seen = [n.value.casefold() for n in ent.names]
        assert len(seen) == len(set(seen)), f"{ent.id}: duplicate name"


@pytest.mark.parametrize(
    "value", ["大华", "中兴", "萤石", "乐橙", "依图", "兵团", "海思", "LTS", "EZ-IP"]
)
def test_ordinary_word_names_are_weak(wl: Watchlist, value: str) -> None:
    found = [n for e in wl.entities.values() for n in e.names if n.value == value]
    assert found and all(n.weak for n in found)


@pytest.mark.parametrize(
    "value", ["Hikvision", "Dahua", "HiLook", "HiWatch", "EZVIZ", "Imou", "Lorex"]
)
def test_distinctive_brand_names_are_not_weak(wl: Watchlist, value: str) -> None:
    found = [n for e in wl.entities.values() for n in e.names if n.value == value]
    assert found and not any(n.weak for n in found)


def test_no_look_alikes_or_denied_persons_entry(wl: Watchlist) -> None:
    names = [v.casefold() for e in wl.entities.values() for v in e.all_names()]
    for bad in ("dahua electronics", "uniview", "tiandy", "axis communications", "honor device"):
        assert not any(bad in n for n in names), bad
