"""The free-text scanner: names, brands and model numbers in line descriptions.

The watchlist is built here (a few real names of Hikvision, Dahua and their brands, as the
bundled entity files spell them) with the bundled product families of ``products.yaml``.
"""

from __future__ import annotations

from typing import TypedDict

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procurewatch.errors import WatchlistError
from procurewatch.match._text_rules import maker_groups
from procurewatch.match.text import TextScanner
from procurewatch.match.types import TEXT_RULES, TextHit
from procurewatch.model import Entity, Name, ProductFamily, Relation, Watchlist
from procurewatch.normalize.text import normalize_batch, normalize_text
from procurewatch.watchlist.bundled import data_dir, load_bundled, load_products

PRODUCTS = load_products(data_dir())


def _company(eid: str, caption: str, *names: Name, rel: Relation | None = None) -> Entity:
    return Entity(eid, "Company", caption, names=names, relations=(rel,) if rel else ())


def make_watchlist(products: tuple[ProductFamily, ...] = PRODUCTS) -> Watchlist:
    """Hikvision, Dahua and their brands, with a weak short name each."""
    entities = [
        _company(
            "hikvision",
            "Hangzhou Hikvision Digital Technology Co., Ltd.",
            Name("Hikvision", "brand"),
            Name("杭州海康威视数字技术股份有限公司", "local"),
            Name("海康威视", "abbreviation"),
            Name("海康", "abbreviation", weak=True),
        ),
        _company(
            "hikvision-usa",
            "Hikvision USA Inc.",
            Name("Hikvision USA", "alias"),
            rel=Relation("subsidiary_of", "hikvision"),
        ),
        _company(
            "hilook", "HiLook", Name("HiLook", "brand"), rel=Relation("brand_of", "hikvision")
        ),
        _company(
            "ezviz", "EZVIZ", Name("EZVIZ", "brand"), rel=Relation("subsidiary_of", "hikvision")
        ),
        _company(
            "dahua",
            "Zhejiang Dahua Technology Co., Ltd.",
            Name("Dahua Technology", "legal"),
            Name("Dahua", "abbreviation"),
            Name("浙江大华技术股份有限公司", "local"),
            Name("大华", "abbreviation", weak=True),
        ),
        _company("imou", "Imou", Name("Imou", "brand"), rel=Relation("brand_of", "dahua")),
    ]
    return Watchlist({e.id: e for e in entities}, {}, products=products)


WATCHLIST = make_watchlist()
SCANNER = TextScanner.compile(WATCHLIST)
GROUPS = maker_groups(WATCHLIST)


class Case(TypedDict):
    """A description and the hits it must give: (matched text, rule, entity, family or kind)."""

    text: str
    hits: list[tuple[str, str, str, str]]


CASES: list[Case] = [
    {"text": "12 EA DS-2CD2143G2-I 4MP network camera",
     "hits": [("DS-2CD2143G2-I", "model", "hikvision", "hikvision-ip-camera")]},
    {"text": "Hikvision DS-7608NI-K2/8P NVR, install",
     "hits": [("Hikvision", "brand", "hikvision", "brand"),
              ("DS-7608NI-K2/8P", "model", "hikvision", "hikvision-recorder")]},
    {"text": "ADI Global Distribution - ds2cd2t47g2-l (qty 3)",
     "hits": [("ds2cd2t47g2-l", "model", "hikvision", "hikvision-ip-camera")]},
    {"text": "采购海康威视摄像机10台",
     "hits": [("海康威视", "alias", "hikvision", "abbreviation")]},
    {"text": "浙江大华技术股份有限公司 网络摄像机",
     "hits": [("浙江大华技术股份有限公司", "alias", "dahua", "local")]},
    {"text": "大华监控摄像机2台", "hits": [("大华", "alias", "dahua", "abbreviation")]},
    {"text": "大华银行转账手续费", "hits": []},
    {"text": "海康 brand stickers", "hits": []},
    {"text": "Form DS-2019 processing fee for J-1 scholar", "hits": []},
    {"text": "DS-160 and DS-7002 forms", "hits": []},
    {"text": "PCB layout per IPC-2221 and IPC-A-610 class 2", "hits": []},
    {"text": "Uniview IPC2122LE-ADF40KMC-WL 2MP network camera", "hits": []},
    {"text": "Uniarch IPC-B122-APF28 bullet camera", "hits": []},
    {"text": "Axis M3048-P and Hanwha XNO-C9083R cameras", "hits": []},
    {"text": "Hikari office chairs; Synology DS920+ NAS; SD card 128GB", "hits": []},
    {"text": "Wesco: IPC-HFW2431T-AS-S2 qty 4",
     "hits": [("IPC-HFW2431T-AS-S2", "model", "dahua", "dahua-ip-camera")]},
    {"text": "DH-IPC-HDBW13A0EN-0280B",
     "hits": [("DH-IPC-HDBW13A0EN-0280B", "model", "dahua", "dahua-ip-camera")]},
    {"text": "HiLook IPC-B140H 4MP",
     "hits": [("HiLook", "brand", "hilook", "brand"),
              ("IPC-B140H", "model", "hilook", "hilook-ip-camera")]},
    {"text": "IPC-A22E-A-imou",
     "hits": [("IPC-A22E-A-imou", "model", "dahua", "dahua-consumer-camera")]},
    {"text": "IPC-A22E-A", "hits": []},
    {"text": "IPC-A22E-A-imou Wi-Fi camera",
     "hits": [("IPC-A22E-A-imou", "model", "dahua", "dahua-consumer-camera")]},
    {"text": "Hi-Focus HC-IPC-RG31T camera", "hits": []},
    {"text": "Dahua Electronics Corp - cable assemblies", "hits": []},
    {"text": "Dahua 4MP dome camera", "hits": [("Dahua", "alias", "dahua", "abbreviation")]},
    {"text": "Hikvision USA Inc, Hikvision Europe B.V.",
     "hits": [("Hikvision USA", "alias", "hikvision-usa", "alias"),
              ("Hikvision", "brand", "hikvision", "brand")]},
    {"text": "Dahua Technology NVR4XXX-4KS2/L",
     "hits": [("Dahua Technology", "name", "dahua", "legal"),
              ("NVR4XXX-4KS2/L", "model", "dahua", "dahua-nvr")]},
    {"text": "PTZ-N2204I-DE3 and PTZ-NT4000HB-0600-B",
     "hits": [("PTZ-N2204I-DE3", "model", "hilook", "hilook-ptz"),
              ("PTZ-NT4000HB-0600-B", "model", "dahua", "dahua-ptz-pt")]},
    {"text": "GeoVision GV-SD2322-IR PTZ", "hits": []},
]  # fmt: skip


def _summary(hits: list[TextHit]) -> list[tuple[str, str, str, str]]:
    return [(h.matched_text, h.rule, h.entity_id, h.family_id or h.name_kind or "") for h in hits]


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_golden_cases(case: Case) -> None:
    assert _summary(SCANNER.scan(case["text"])) == case["hits"]


def test_hit_fields_explain_the_finding() -> None:
    (hit,) = SCANNER.scan("12 EA DS-2CD2143G2-I 4MP network camera")
    assert (hit.start, hit.end, hit.rule, hit.score) == (6, 20, "model", 0.9)
    assert hit.name_kind is None and hit.family_id == "hikvision-ip-camera"
    assert "DS-2CD2143G2-I" in hit.detail and "Hikvision IP camera" in hit.detail
    assert all(h.rule in TEXT_RULES for c in CASES for h in SCANNER.scan(c["text"]))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ｈｉｋｖｉｓｉｏｎ  ds–2cd2143g2‑i", ["Ｈｉｋｖｉｓｉｏｎ", "ds–2cd2143g2‑i"]),
        ("Hik\u00advision\u00a0\u00a0DS\u20112CD2143G2\u2013I",
         ["Hik\u00advision", "DS\u20112CD2143G2\u2013I"]),
        ("x\tDahua \n  Technology\t", ["Dahua \n  Technology"]),
        ("Straße 4, Hikvision", ["Hikvision"]),
        ("e\u0301\u0301 Hikvision, 海康威视", ["Hikvision", "海康威视"]),
    ],
)  # fmt: skip
def test_offsets_map_back_to_the_original_text(text: str, expected: list[str]) -> None:
    hits = SCANNER.scan(text)
    assert [h.matched_text for h in hits] == expected
    assert all(text[h.start : h.end] == h.matched_text for h in hits)


def test_normalization_keeps_a_map() -> None:
    norm = normalize_text("a\u2013b  ﬁ\u00adx")
    assert norm.text == "A-B FIX"
    assert [norm.source[norm.span(i, i + 1)[0] : norm.span(i, i + 1)[1]] for i in range(7)] == [
        "a", "\u2013", "b", "  ", "ﬁ", "ﬁ", "x",
    ]  # fmt: skip
    batch = normalize_batch(["abc", "a  b", "Ｘ", ""])
    assert [batch.row(i).text for i in range(4)] == ["ABC", "A B", "X", ""]


@pytest.mark.parametrize(
    ("text", "target", "hit"),
    [
        ("海康 camera maintenance", "海康", True),
        ("海康 stickers", "海康", False),
        ("海康 badge, Hikvision", "海康", True),
        ("IPC-K35 ", "IPC-K35", False),
        ("IPC-K35 with Dahua Technology support", "IPC-K35", True),
        ("Imou IPC-K35", "IPC-K35", True),
        ("Hikvision IPC-K35", "IPC-K35", False),
    ],
)
def test_weak_names_and_ambiguous_models_need_context(text: str, target: str, hit: bool) -> None:
    found = [h for h in SCANNER.scan(text) if h.matched_text == target]
    assert bool(found) is hit
    if hit:
        assert "nearby" in found[0].detail


def test_uncontexted_hits_can_be_kept_with_a_low_score() -> None:
    scanner = TextScanner.compile(WATCHLIST, keep_uncontexted=True)
    (weak,) = scanner.scan("海康 stickers")
    assert weak.score == 0.4 and "without context" in weak.detail
    (lookalike,) = scanner.scan("Dahua Electronics Corp")
    assert lookalike.score == 0.4 and "another company" in lookalike.detail


@pytest.mark.parametrize(
    ("text", "maker"),
    [
        ("Supply by Hytera Communicatons Corporation Limited of radios", "hytera"),
        ("Hikvision Digitial Technology Co Ltd cameras", "hikvision"),
        ("Dahua Technolgy Co., Ltd. recorders", "dahua"),
        ("Huawei Technolgies Co Ltd switches", "huawei"),
    ],
)
def test_a_typo_in_the_makers_own_legal_name_is_no_other_company(
    text: str, maker: str, bundled_scanner: TextScanner
) -> None:
    assert [h.entity_id for h in bundled_scanner.scan(text)] == [maker]


@pytest.mark.parametrize("text", ["Dahua Electronic Corp", "DAHUA ELECTRONICS CORP invoice",
                                  "Dahua Lighting Co Ltd"])  # fmt: skip
def test_another_company_named_like_a_maker_stays_apart(
    text: str, bundled_scanner: TextScanner
) -> None:
    assert bundled_scanner.scan(text) == []


@pytest.fixture(scope="module")
def bundled_scanner(watchlist: Watchlist) -> TextScanner:
    """The text scanner of the bundled watchlist (the composed one above lacks the legal names)."""
    return TextScanner.compile(watchlist)


EXAMPLES = [(p.id, p.entity_id, ex) for p in PRODUCTS for ex in p.examples]
COUNTER_EXAMPLES = [(p.id, ex) for p in PRODUCTS for ex in p.counter_examples]


@pytest.mark.parametrize(("family", "maker", "example"), EXAMPLES)
def test_every_example_hits_its_family_and_no_other_maker(
    family: str, maker: str, example: str
) -> None:
    text = f"12 EA {example} network camera"
    hits = SCANNER.scan(text)
    assert any(h.family_id == family for h in hits), hits
    assert {GROUPS.get(h.entity_id, h.entity_id) for h in hits} == {GROUPS.get(maker, maker)}


@pytest.mark.parametrize(("family", "counter"), COUNTER_EXAMPLES)
def test_no_counter_example_hits_its_family(family: str, counter: str) -> None:
    hits = SCANNER.scan(f"12 EA {counter} network camera")
    assert not [h for h in hits if h.family_id == family]


def test_families_are_unique_and_cite_product_sources() -> None:
    ids = [p.id for p in PRODUCTS]
    assert len(ids) == len(set(ids))
    text = (data_dir() / "product_sources.yaml").read_text(encoding="utf-8")
    assert all(f"id: {p.source}" in text for p in PRODUCTS)


def test_entity_ids_limit_the_scanner() -> None:
    scanner = TextScanner.compile(WATCHLIST, entity_ids={"dahua"})
    assert scanner.scan("Hikvision DS-2CD2143G2-I camera") == []
    assert [h.entity_id for h in scanner.scan("Dahua IPC-HFW2431T-AS-S2")] == ["dahua", "dahua"]


def test_scan_many_handles_empty_and_missing_texts() -> None:
    texts = [None, "", "Hikvision", "nothing", "DS-2CD2143G2-I\nHikvision"]
    results = SCANNER.scan_many(texts)
    assert [len(r) for r in results] == [0, 0, 1, 0, 2]
    assert results[4][1].start == 15


@pytest.mark.parametrize(
    "pattern", ["[A-Z]{2}-[0-9]+", "ds-2cd[0-9]+", "(?:A|BC)?-[0-9]+", "DS-2CD[0-9"]
)
def test_bad_family_patterns_are_refused(pattern: str) -> None:
    family = ProductFamily("bad", "hikvision", "bad", pattern)
    with pytest.raises(WatchlistError):
        TextScanner.compile(make_watchlist((family,)))


def _prefilter_selects(regex: str, texts: list[str]) -> list[bool]:
    con = duckdb.connect()
    rows = con.execute(
        "SELECT regexp_matches(s, ?) FROM (SELECT unnest(?) AS s, generate_subscripts(?, 1) AS i)"
        " ORDER BY i",
        [regex, texts, texts],
    ).fetchall()
    return [bool(r[0]) for r in rows]


def test_prefilter_selects_every_text_with_a_hit() -> None:
    texts = [c["text"] for c in CASES] + [f"qty 2 {ex} camera" for _, _, ex in EXAMPLES]
    texts += ["ＤＳ－２ＣＤ２１４３Ｇ２－Ｉ camera", "Hik\u200bvision", "office chairs"]
    hits = SCANNER.scan_many(texts)
    selected = _prefilter_selects(SCANNER.prefilter_regex(), texts)
    assert all(sel for sel, found in zip(selected, hits, strict=True) if found)
    assert selected[-1] is False


ALPHABET = st.sampled_from(
    [*"abcdsiDSCIPHV0123456789-- /()#.", "\u2013", "\u00a0", "\u00ad", "\u0301", "ß", "Ｄ",
     "海", "康", "威", "视", "大", "华", "\t", "\n", "ﬁ", "İ"]
)  # fmt: skip
PIECES = st.sampled_from(
    [ex for _, _, ex in EXAMPLES] + ["Hikvision", "海康威视", "Dahua", "大华", " camera ", "海康"]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.text(ALPHABET, max_size=8), PIECES), max_size=8))
def test_property_spans_are_exact_and_prefilter_is_a_superset(parts: list[str]) -> None:
    text = "".join(parts)
    hits = SCANNER.scan(text)
    for hit in hits:
        assert 0 <= hit.start < hit.end <= len(text)
        assert text[hit.start : hit.end] == hit.matched_text
        assert 0.0 < hit.score <= 1.0
    if hits:
        assert _prefilter_selects(SCANNER.prefilter_regex(), [text]) == [True]


def test_the_bundled_watchlist_compiles_and_its_prefilter_runs_in_duckdb() -> None:
    scanner = TextScanner.compile(load_bundled())
    texts = ["Hikvision DS-2CD2143G2-I", "Zhejiang Dahua Technology Co., Ltd.", "office chairs"]
    hits = scanner.scan_many(texts)
    assert [bool(h) for h in hits] == [True, True, False]
    assert _prefilter_selects(scanner.prefilter_regex(), texts) == [True, True, False]
