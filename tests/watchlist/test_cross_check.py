"""The bundled designations against the official list files in ``../shared/data/lists``.

One test per list (OFAC NS-CMIC, DoD 1260H, FCC Covered List, NDAA section 889). Each reads the
list file with the ``csv`` module only, not with procurewatch's importers, so a bug in an
importer cannot hide a wrong fact in the bundled data. For every list:

* a bundled entity "holds" a list row when one of its names equals a name of the row
  (case, punctuation and spacing aside);
* the bundled entities designated on the list are exactly those holding one of its rows (none
  missing, none extra);
* the designation's dates are the row's dates.

Skipped, with the reason, when ``../shared/data`` is absent.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

import pytest

from procurewatch.model import Designation, Entity, Watchlist
from procurewatch.watchlist.bundled import load_bundled


@pytest.fixture(scope="module")
def wl() -> Watchlist:
    return load_bundled()


@pytest.fixture(scope="module")
def lists(shared_data: Path) -> Path:
    return shared_data / "lists"


def norm(name: str) -> str:
    """``name`` in lower case, every run of non-alphanumerics one space."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", name.casefold()).split())


def designated(wl: Watchlist, list_id: str) -> dict[str, Designation]:
    """Entity id -> its one designation on ``list_id`` (bundled entities only)."""
    found: dict[str, Designation] = {}
    for ent in wl.entities.values():
        des = [d for d in ent.designations if d.list_id == list_id]
        assert len(des) <= 1, f"{ent.id} has {len(des)} designations on {list_id}"
        if des:
            found[ent.id] = des[0]
    return found


def holders(wl: Watchlist, names: Iterable[str]) -> list[Entity]:
    """The bundled entities with a name equal to one of ``names``."""
    wanted = {norm(n) for n in names if n.strip()}
    return [e for e in wl.entities.values() if wanted & {norm(n) for n in e.all_names()}]


def assert_same_entities(held: dict[str, object], des: dict[str, Designation], what: str) -> None:
    missing, extra = sorted(set(held) - set(des)), sorted(set(des) - set(held))
    assert not missing, f"on {what} but not designated in the bundled data: {missing}"
    assert not extra, f"designated on {what} in the bundled data but not in its file: {extra}"
    assert held, f"no bundled entity found in the {what} file"


# --- OFAC NS-CMIC ---------------------------------------------------------------------------

OFAC_DATE = re.compile(r"(Listing|Effective) Date \(CMIC\) (\d{1,2} \w{3} \d{4})")


def ofac_cmic_rows(lists: Path) -> dict[str, tuple[str, set[str], dict[str, date]]]:
    """Entity number -> (name, a.k.a.s, {"Listing"/"Effective": date}) of the NS-CMIC rows."""
    rows: dict[str, tuple[str, set[str], dict[str, date]]] = {}
    with (lists / "ofac_consolidated_nonsdn_cons_prim.csv").open(encoding="utf-8") as fh:
        for row in csv.reader(fh):
            if len(row) >= 12 and row[3].strip() == "CMIC-EO13959":
                dates = {kind: datetime.strptime(day, "%d %b %Y").date()
                         for kind, day in OFAC_DATE.findall(row[11])}  # fmt: skip
                rows[row[0]] = (row[1], set(), dates)
    with (lists / "ofac_consolidated_nonsdn_cons_alt.csv").open(encoding="utf-8") as fh:
        for row in csv.reader(fh):
            if len(row) >= 4 and row[0] in rows:
                rows[row[0]][1].add(row[3])
    return rows


def test_ofac_ns_cmic_names_and_dates_match_the_ofac_file(wl: Watchlist, lists: Path) -> None:
    """Listing and Effective dates as OFAC's ``cons_prim.csv`` remarks give them.

    An entity holds the row of its primary name; an a.k.a. counts only for an entity no
    primary name matched (OFAC gives Huawei Technologies its holding company's name as an
    a.k.a.)."""
    rows = ofac_cmic_rows(lists)
    held: dict[str, dict[str, date]] = {}
    for ent_num, (name, _, dates) in rows.items():
        for ent in holders(wl, [name]):
            assert ent.id not in held, f"{ent.id} holds two NS-CMIC rows (one is {ent_num})"
            held[ent.id] = dates
    for _, akas, dates in rows.values():
        for ent in holders(wl, akas):
            held.setdefault(ent.id, dates)
    des = designated(wl, "us-ofac-ns-cmic")
    assert_same_entities(dict(held), des, "OFAC NS-CMIC")
    for entity_id, dates in held.items():
        got = (des[entity_id].listed, des[entity_id].in_force)
        assert got == (dates["Listing"], dates["Effective"]), entity_id


# --- DoD 1260H ------------------------------------------------------------------------------


def test_dod_1260h_names_and_dates_match_the_dod_file(wl: Watchlist, lists: Path) -> None:
    """First listed: the earliest edition naming the company; ended: only when no edition
    after its end date names it again."""
    spans: dict[str, list[tuple[date, date | None]]] = {}
    with (lists / "dod_1260h_chinese_military_companies.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            start = date.fromisoformat(row["Start date"])
            end = date.fromisoformat(row["End date"]) if row["End date"] else None
            for ent in holders(wl, [row["Clean Name"], row["Previous Name"]]):
                spans.setdefault(ent.id, []).append((start, end))
    des = designated(wl, "us-dod-1260h")
    assert_same_entities(dict(spans), des, "DoD 1260H")
    for entity_id, rows in spans.items():
        ends = [end for _, end in rows]
        ended = None if None in ends else max(e for e in ends if e is not None)
        got = (des[entity_id].start, des[entity_id].ended)
        assert got == (min(start for start, _ in rows), ended), entity_id


# --- FCC Covered List -----------------------------------------------------------------------


def fcc_day(text: str) -> date | None:
    """A "March 12, 2021" date; None for the entries whose date cell holds several dates."""
    try:
        return datetime.strptime(text.strip(), "%B %d, %Y").date()
    except ValueError:
        return None


def fcc_mentions(ent: Entity, text: str) -> bool:
    """Whether the entry text names ``ent`` by one of its names of two words or more."""
    padded = f" {norm(text)} "
    names = {norm(n.value) for n in ent.names if not n.weak} | {norm(ent.caption)}
    return any(f" {name} " in padded for name in names if " " in name)


def test_fcc_covered_list_names_and_dates_match_the_fcc_files(wl: Watchlist, lists: Path) -> None:
    """Both snapshots of the FCC page: the 2024 one names each entity in its own column, the
    2026 one only in the entry text. The designation starts on the first date of inclusion."""
    dates: dict[str, list[date]] = {}
    data_2024 = lists / "fcc_covered_list_data_2024.csv"
    with data_2024.open(encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            day = fcc_day(row["Date of Inclusion on Covered List"])
            assert day is not None, row
            names = [row["Entity Name"], *row["Subsidiary Names"].split(",")]
            for ent in holders(wl, names):
                dates.setdefault(ent.id, []).append(day)
    with (lists / "fcc_covered_list_table.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            day = fcc_day(row["date_of_inclusion_on_covered_list"])
            if day is None:  # classes of foreign products (drones, routers), no company
                continue
            for ent in wl.entities.values():
                if fcc_mentions(ent, row["covered_equipment_or_services"]):
                    dates.setdefault(ent.id, []).append(day)
    des = designated(wl, "us-fcc-covered-list")
    assert_same_entities(dict(dates), des, "FCC Covered List")
    for entity_id, days in dates.items():
        assert des[entity_id].start == min(days), entity_id


# --- NDAA section 889 -----------------------------------------------------------------------


def test_ndaa_889_names_and_dates_match_the_statute_file(wl: Watchlist, lists: Path) -> None:
    """The five companies as the statute spells them. The file has no dates; it links the
    law, so the check is that the designations cite that law and follow its rule: enacted
    (listed) on the law's date, (a)(1)(A) in force a year later, (a)(1)(B) two years later."""
    with (lists / "ndaa_section_889.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 5
    held: dict[str, str] = {}
    for row in rows:
        found = holders(wl, [row["name"]])
        assert len(found) == 1, f"{row['name']!r} is held by {[e.id for e in found]}"
        held[found[0].id] = row["source_url"]
    for list_id, years in (("us-ndaa-889-a1a", 1), ("us-ndaa-889-a1b", 2)):
        des = designated(wl, list_id)
        assert_same_entities(dict(held), des, f"NDAA 889 ({list_id})")
        for entity_id, url in held.items():
            source = wl.sources[des[entity_id].source]
            assert source.url == url and source.date is not None, entity_id
            enacted = date.fromisoformat(source.date)
            assert des[entity_id].listed == enacted, entity_id
            assert des[entity_id].in_force == enacted.replace(year=enacted.year + years)
