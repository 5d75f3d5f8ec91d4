"""Importers read the real list files in shared/data/lists (see PROVENANCE.md for the counts)."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from procurewatch.errors import InputError
from procurewatch.model import Entity
from procurewatch.watchlist.importers import ImportedList, detect, parse_file
from procurewatch.watchlist.importers.dod1260h import name_key
from procurewatch.watchlist.importers.fcc import company_in
from procurewatch.watchlist.importers.remarks import parse_csl_ids, parse_ofac_remarks

CSL_HEADER = (
    "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,"
    "start_date,end_date,standard_order,license_requirement,license_policy,call_sign,vessel_type,"
    "gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,source_list_url,"
    "alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,source_information_url,ids"
)
HIKVISION_REMARKS = (
    "Equity Ticker 002415 CN; Issuer Name Hangzhou Hikvision Digital Technology; "
    "ISIN CNE100000PM8; Target Type Public Company; Effective Date (CMIC) 02 Aug 2021; "
    "Purchase/Sales For Divestment Date (CMIC) 03 Jun 2022; Listing Date (CMIC) 03 Jun 2021; "
    "Unified Social Credit Code (USCC) 91330000733796106P (China)."
)


@pytest.fixture(scope="module")
def lists(shared_data: Path) -> Path:
    return shared_data / "lists"


@pytest.fixture(scope="module")
def csl_2023(lists: Path) -> ImportedList:
    return parse_file(lists / "trade_gov_csl_2023_watchman.csv")


@pytest.fixture(scope="module")
def sdn_2021(lists: Path) -> ImportedList:
    return parse_file(lists / "ofac_sdn_2021_sdn.csv")


@pytest.fixture(scope="module")
def dod(lists: Path) -> ImportedList:
    return parse_file(lists / "dod_1260h_chinese_military_companies.csv")


def by_id(imported: ImportedList, entity_id: str) -> Entity:
    return next(e for e in imported.entities if e.id == entity_id)


def names_of(entity: Entity) -> set[str]:
    """The entity's names, case and runs of spaces ignored."""
    return {" ".join(name.split()).casefold() for name in entity.all_names()}


def designation_counts(imported: ImportedList) -> Counter[str]:
    return Counter(d.list_id for e in imported.entities for d in e.designations)


def assert_sourced(imported: ImportedList) -> None:
    """Every fact cites the list version, and the version is a source."""
    version = imported.version_id
    assert imported.source.id == version
    for entity in imported.entities:
        assert entity.dataset == version and entity.sources == (version,)
        facts = [*entity.names, *entity.identifiers, *entity.designations, *entity.relations]
        assert {fact.source for fact in facts} == {version}, entity.id
    assert {info.source for info in imported.lists.values()} == {version}


# --- CSL ------------------------------------------------------------------------------------


def test_csl_2023_counts_per_list_match_provenance(csl_2023: ImportedList) -> None:
    # PROVENANCE.md counts 1,738 SDN rows; the last one is cut off mid-address (line 4233)
    # and is rejected, so 1,737 SDN listings are kept.
    assert designation_counts(csl_2023) == {
        "us-ofac-sdn": 1737, "us-bis-entity-list": 919, "us-bis-dpl": 577, "us-ofac-ssi": 288,
        "us-bis-uvl": 186, "us-state-isn": 144, "us-state-dtc": 142, "us-ofac-plc": 78,
        "us-bis-meu": 71, "us-ofac-ns-cmic": 68, "us-ofac-mbs": 14, "us-ofac-fse": 1,
        "us-ofac-cap": 1,
    }  # fmt: skip
    assert [(r.line, "expected 29 fields" in r.reason) for r in csl_2023.rejected] == [(4233, True)]
    assert [(s.line, s.reason) for s in csl_2023.skipped] == [(2, "the header line repeated")]
    assert csl_2023.rows == 4228
    assert csl_2023.version_id.startswith("csl-2023-") and csl_2023.file_date == "2023-11-16"
    assert_sourced(csl_2023)


def test_csl_party_on_two_lists_is_one_entity(csl_2023: ImportedList) -> None:
    bank = by_id(csl_2023, "csl-17014")
    assert sorted(d.list_id for d in bank.designations) == ["us-ofac-mbs", "us-ofac-ssi"]
    assert len({e.id for e in csl_2023.entities}) == len(csl_2023.entities)


def test_csl_hikvision_cmic_row(csl_2023: ImportedList) -> None:
    hik = by_id(csl_2023, "csl-30946")
    assert hik.caption == "Hangzhou Hikvision Digital Technology Co., Ltd."
    assert hik.schema == "Company" and hik.countries == ("cn",)
    assert {"Hikvision", "Hangzhou Hikvision Digital Technology"} <= set(hik.all_names())
    idents = {(i.scheme, i.value) for i in hik.identifiers}
    assert {
        ("uscc", "91330000733796106P"),
        ("isin", "CNE100000PM8"),
        ("stock", "002415 CN"),
    } <= idents
    (des,) = hik.designations
    assert (des.list_id, des.listed, des.in_force) == (
        "us-ofac-ns-cmic",
        date(2021, 6, 3),
        date(2021, 8, 2),
    )
    assert hik.addresses == ("555, Qianmo Road, Binjiang District, Hangzhou, 310051, CN",)


def test_csl_dahua_electronics_dpl_is_its_own_entity(csl_2023: ImportedList) -> None:
    found = [e for e in csl_2023.entities if "DAHUA" in e.caption.upper()]
    assert len(found) == 1
    (dahua,) = found
    assert dahua.caption == "DAHUA ELECTRONICS CORPORATION" and dahua.schema == "LegalEntity"
    assert dahua.addresses == ("134-12 59HT AVENUE, FLUSHING, NY, 11355",)
    (des,) = dahua.designations
    assert (des.list_id, des.listed, des.ended) == (
        "us-bis-dpl",
        date(2017, 9, 28),
        date(2025, 11, 19),
    )
    assert des.citation == "82 F.R. 46480 10/5/2017"


def test_csl_2025_sample_layout(lists: Path) -> None:
    sample = parse_file(lists / "trade_gov_csl_sample_watchman_2025.csv")
    assert len(sample.entities) == 13 and not sample.rejected and not sample.skipped
    isn = next(e for e in sample.entities if e.caption.startswith("Sinobright"))
    assert isn.caption == "Sinobright Import and Export Company"  # "; and any successor ..." cut
    assert len(isn.id) == len("csl-") + 56  # the newer layout's hash ids
    assert designation_counts(sample)["us-ofac-ssi"] == 3
    assert_sourced(sample)


def test_csl_ragged_row_in_the_middle_is_rejected_and_the_rest_kept(tmp_path: Path) -> None:
    good = (
        '"1","Entity List (EL) - Bureau of Industry and Security",'
        + '"",' * 3
        + '"Foo Ltd"'
        + ',""' * 23
    )
    path = tmp_path / "csl.csv"
    short = '"2","Entity List","Bar Ltd"'
    path.write_text(f"{CSL_HEADER}\n{good}\n{short}\n{good.replace('1', '3', 1)}\n")
    imported = parse_file(path)
    assert [e.id for e in imported.entities] == ["csl-1", "csl-3"]
    assert [r.line for r in imported.rejected] == [3]


# --- OFAC -----------------------------------------------------------------------------------


def test_ofac_sdn_2021_entities_and_aliases(lists: Path, sdn_2021: ImportedList) -> None:
    assert len(sdn_2021.entities) == 8976 and sdn_2021.kind == "ofac-sdn"
    assert sdn_2021.files == tuple(
        lists / f"ofac_sdn_2021_{n}.csv" for n in ("sdn", "alt", "add", "sdn_comments")
    )
    assert not sdn_2021.rejected and not sdn_2021.skipped and not sdn_2021.warnings
    entities = {e.id: e for e in sdn_2021.entities}
    with (lists / "ofac_sdn_2021_alt.csv").open(encoding="utf-8", newline="") as handle:
        alt_rows = [row for row in csv.reader(handle) if len(row) == 5]
    assert len(alt_rows) == 11910
    for row in alt_rows:
        assert " ".join(row[3].split()).casefold() in names_of(entities[f"ofac-{row[0]}"]), row
    cuba = entities["ofac-36"]
    assert (cuba.caption, cuba.countries, cuba.addresses) == (
        "AEROCARIBBEAN AIRLINES",
        ("cu",),
        ("Havana, Cuba",),
    )
    assert {d.list_id for e in sdn_2021.entities for d in e.designations} == {"us-ofac-sdn"}
    assert next(n for n in entities["ofac-306"].names if n.value == "BNC").weak  # a.k.a. in remarks
    assert_sourced(sdn_2021)


def test_ofac_any_file_of_the_set_names_it(lists: Path, sdn_2021: ImportedList) -> None:
    assert detect(lists / "ofac_sdn_2021_alt.csv") == "ofac"
    assert parse_file(lists / "ofac_sdn_2021_add.csv").sha256 == sdn_2021.sha256


def test_ofac_consolidated_hikvision(lists: Path) -> None:
    cons = parse_file(lists / "ofac_consolidated_nonsdn_cons_prim.csv")
    assert cons.kind == "ofac-nonsdn" and len(cons.entities) == 442
    assert designation_counts(cons)["us-ofac-ns-cmic"] == 68
    hik = by_id(cons, "ofac-30946")
    assert {"hikvision", "hangzhou hikvision digital technology"} <= names_of(hik)
    idents = {(i.scheme, i.value) for i in hik.identifiers}
    assert {("uscc", "91330000733796106P"), ("isin", "CNE100000PM8")} <= idents
    (des,) = hik.designations
    assert (des.list_id, des.listed, des.in_force) == (
        "us-ofac-ns-cmic",
        date(2021, 6, 3),
        date(2021, 8, 2),
    )
    assert hik.countries == ("cn",)
    assert_sourced(cons)


def test_ofac_plain_names_and_missing_siblings(lists: Path, tmp_path: Path) -> None:
    for role in ("prim", "alt", "add", "comments"):
        shutil.copy(
            lists / f"ofac_consolidated_nonsdn_cons_{role}.csv", tmp_path / f"cons_{role}.csv"
        )
    full = parse_file(tmp_path / "cons_prim.csv")
    assert "HIKVISION" in set(by_id(full, "ofac-30946").all_names()) and not full.warnings
    original = parse_file(lists / "ofac_consolidated_nonsdn_cons_prim.csv")
    assert full.version_id == original.version_id  # renamed copies: same content, same version
    (tmp_path / "cons_alt.csv").unlink()
    bare = parse_file(tmp_path / "cons_prim.csv")
    assert bare.warnings == ("cons_alt.csv not found next to cons_prim.csv: no alt rows read",)


def test_ofac_remarks_parsing() -> None:
    facts = parse_ofac_remarks(HIKVISION_REMARKS + "; a.k.a. 'HIK'; f.k.a. 'OLD-'NAME'.")
    assert ("uscc", "91330000733796106P") in facts.identifiers
    assert ("isin", "CNE100000PM8") in facts.identifiers
    assert (facts.listed, facts.in_force) == (date(2021, 6, 3), date(2021, 8, 2))
    assert ("HIK", "alias", True) in facts.names and ("OLD-'NAME", "former", True) in facts.names
    csl = parse_csl_ids(
        "Unified Social Credit Code (USCC), 91330000733796106P, CN; Listing Date (CMIC), 2021-06-03"
    )
    assert (csl.identifiers, csl.listed) == ([("uscc", "91330000733796106P")], date(2021, 6, 3))


# --- FCC ------------------------------------------------------------------------------------

FCC_2021 = {
    "Huawei Technologies Company", "ZTE Corporation", "Hytera Communications Corporation",
    "Hangzhou Hikvision Digital Technology Company", "Dahua Technology Company",
}  # fmt: skip


@pytest.mark.parametrize("name", ["fcc_covered_list_table.csv", "fcc_covered_list_data_2024.csv"])
def test_fcc_both_layouts_name_the_five_2021_companies(lists: Path, name: str) -> None:
    fcc = parse_file(lists / name)
    first = {e.caption for e in fcc.entities if e.designations[0].listed == date(2021, 3, 12)}
    assert first == FCC_2021
    comnet = by_id(fcc, "fcc-comnet-usa-llc")
    assert [(r.kind, r.target) for r in comnet.relations] == [
        ("subsidiary_of", "fcc-pacific-networks-corp")
    ]
    assert_sourced(fcc)


def test_fcc_rows_without_a_company_are_skipped_with_a_reason(lists: Path) -> None:
    fcc = parse_file(lists / "fcc_covered_list_table.csv")
    assert [s.line for s in fcc.skipped] == [13, 14, 16, 17]
    assert all("names no company" in s.reason for s in fcc.skipped)
    assert len(fcc.entities) == 13 and fcc.rows == 16


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("Equipment produced by ZTE Corporation, including services.", ("ZTE Corporation", [])),
        ("Software produced or provided by Kaspersky Lab, Inc. or any of its successors.",
         ("Kaspersky Lab, Inc.", [])),
        ("Services provided by Pacific Networks Corp and its wholly-owned subsidiary "
         "ComNet (USA) LLC subject to section 214.",
         ("Pacific Networks Corp", ["ComNet (USA) LLC"])),
        ("Products supplied, directly or indirectly, by AO Kaspersky Lab or any of its parents.",
         ("AO Kaspersky Lab", [])),
        ("Routers produced in a foreign country, except those with a Conditional Approval.", None),
    ],
)  # fmt: skip
def test_fcc_company_in_description(
    description: str, expected: tuple[str, list[str]] | None
) -> None:
    assert company_in(description) == expected


# --- DoD 1260H ------------------------------------------------------------------------------


def test_dod1260h_merges_editions_and_links_parents(dod: ImportedList) -> None:
    hik = by_id(dod, "dod1260h-hangzhou-hikvision-digital-technology-co-ltd")
    assert [d.listed for d in hik.designations] == [
        date(2021, 6, 3),
        date(2025, 1, 7),
        date(2026, 6, 8),
    ]
    assert "Hikvision" in set(hik.all_names())
    cetc = by_id(dod, "dod1260h-china-electronics-technology-group-corporation")
    assert [(r.kind, r.target) for r in hik.relations] == [("subsidiary_of", cetc.id)]
    assert len({e.id for e in dod.entities}) == len(dod.entities) == 223
    assert dod.rows == 397 and not dod.rejected and not dod.warnings
    assert_sourced(dod)


def test_dod1260h_ended_listing_and_name_keys(dod: ImportedList) -> None:
    smic_hk = by_id(dod, "dod1260h-smic-hong-kong-international-company-limited")
    assert [(d.listed, d.ended) for d in smic_hk.designations] == [
        (date(2021, 6, 3), date(2024, 1, 31))
    ]
    assert name_key("China Communications Construction Group (Limited)") == name_key(
        "China Communications Construction Group Limited"
    )
    assert name_key("SMIC (Beijing) Corporation") != name_key("SMIC Corporation")
    assert name_key("China Aerospace Science and Industry Corporation Limited (CASIC)") == name_key(
        "China Aerospace Science and Industry Corp. Ltd"
    )


# --- detection and bad input ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("trade_gov_csl_2023_watchman.csv", "csl"),
        ("trade_gov_csl_sample_watchman_2025.csv", "csl"),
        ("ofac_sdn_2021_sdn.csv", "ofac"),
        ("ofac_consolidated_nonsdn_cons_prim.csv", "ofac"),
        ("fcc_covered_list_table.csv", "fcc"),
        ("fcc_covered_list_data_2024.csv", "fcc"),
        ("dod_1260h_chinese_military_companies.csv", "dod1260h"),
    ],
)
def test_detect(lists: Path, name: str, fmt: str) -> None:
    assert detect(lists / name) == fmt


BAD_INPUTS = {
    "utf16.csv": ("name,address\nHikvision,Hangzhou\n".encode("utf-16"), "UTF-16"),
    "gbk.csv": (
        "名称,地址\n杭州海康威视数字技术股份有限公司,杭州市滨江区\n".encode("gbk"),
        "not UTF-8",
    ),
    "binary.csv": (bytes(range(256)) * 8, "binary"),
    "empty.csv": (b"", "empty"),
    "unrelated.csv": (b"vendor,amount\nAcme,12\n", "not a list file"),
    "truncated.csv": (
        (CSL_HEADER + '\n"1","Entity List (EL)","","","","Foo').encode(),
        "no valid rows",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_one_clear_line(tmp_path: Path, name: str) -> None:
    data, expected = BAD_INPUTS[name]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        parse_file(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and expected in message and "\n" not in message


def test_wrong_kind_names_the_expected_format(lists: Path) -> None:
    with pytest.raises(InputError, match="expected the FCC Covered List"):
        parse_file(lists / "trade_gov_csl_sample_watchman_2025.csv", "fcc")
    with pytest.raises(InputError, match="expected a Consolidated Screening List CSV"):
        parse_file(lists / "fcc_covered_list_table.csv", "csl")
    with pytest.raises(InputError, match="expected OFAC's legacy CSV"):
        parse_file(lists / "trade_gov_csl_sample_watchman_2025.csv", "ofac")
    with pytest.raises(InputError, match="expected the DoD 1260H list"):
        parse_file(lists / "fcc_covered_list_data_2024.csv", "dod1260h")
