"""Generate a large procurement CSV for benchmarks (composed, fixed seed).

    python3 bench/gen_procurement.py OUT.csv --rows 5000000

Columns: Check Date, Vendor Name, Department, Invoice Description, Amount. Vendors come from
a pool of 50,000 composed names; about 1% (``--listed-share``) of descriptions name a listed brand or carry a real
Hikvision/Dahua model number (examples from procurewatch's bundled product families), the
rest are ordinary purchases. Written by DuckDB in one pass (about 200 bytes a row).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from procurewatch.watchlist.bundled import load_bundled

ITEMS = [
    "Office supplies and toner",
    "Diesel fuel delivery",
    "Janitorial services March",
    "Axis P3245-LVE dome camera",
    "Bosch FLEXIDOME IP 5000i",
    "Motorola APX 6000 radio",
    "Road salt 40 tons",
    "Laptop Dell Latitude 5440",
    "Fire hose 50ft",
    "Legal services retainer",
    "Tree removal Elm St",
    "Water meter replacements",
    "Hanwha XNV-6080R camera",
    "Printing of ballots",
    "Uniview IPC2124LB-SF28KM-G",
    "Consulting hours Q3",
]
WORDS = [
    "Acme",
    "Summit",
    "Valley",
    "Metro",
    "Pioneer",
    "Liberty",
    "Eagle",
    "Harbor",
    "Granite",
    "Cedar",
    "Atlas",
    "Keystone",
    "Frontier",
    "Beacon",
    "Evergreen",
    "Union",
    "Capital",
]
KINDS = ["Supply", "Services", "Electric", "Systems", "Construction", "Solutions", "Partners"]
ENDINGS = ["Inc", "LLC", "Co", "Corp", "Ltd"]
DEPARTMENTS = ["Police", "Public Works", "Parks", "Finance", "Fire", "Water", "Schools", "IT"]


def listed_items() -> list[str]:
    """Descriptions that a screen must flag: brands and real model-number examples."""
    products = load_bundled().products
    models = [ex for p in products for ex in p.examples[:2]]
    brands = [
        "Hikvision 4MP turret camera",
        "Dahua NVR 16 channel",
        "HIKVISION DS-2CD2143G2-I",
        "EZVIZ C6N indoor camera",
        "Imou Ranger 2",
        "Hytera PD785 radio",
    ]
    return brands + [f"{m} network camera" for m in models]


def generate(out: Path, rows: int, seed: float = 0.42, listed_share: float = 0.01) -> None:
    """Write ``rows`` composed records to ``out``, ``listed_share`` of them naming a listed maker
    or model in their description."""
    con = duckdb.connect()
    con.execute(f"SELECT setseed({seed})")
    vendors = [f"{w} {k} {e} {n}" for w in WORDS for k in KINDS for e in ENDINGS for n in range(84)]
    lists = {"items": ITEMS, "listed": listed_items(), "depts": DEPARTMENTS, "vendors": vendors}
    pick = {
        name: f"(${name}::VARCHAR[])[1 + CAST({{}} * {len(values)} AS BIGINT) % {len(values)}]"
        for name, values in lists.items()
    }
    con.execute(
        f"""
        COPY (
          WITH r AS (SELECT random() AS a, random() AS b, random() AS c FROM range({rows}))
          SELECT strftime(DATE '2016-01-01' + CAST(a * 3600 AS INTEGER), '%m/%d/%Y') AS "Check Date",
                 {pick["vendors"].format("b")} AS "Vendor Name",
                 {pick["depts"].format("c")} AS "Department",
                 'PO ' || CAST(CAST(a * 900000 AS BIGINT) + 100000 AS VARCHAR) || ' - '
                   || CASE WHEN c < {listed_share} THEN {pick["listed"].format("a")} ELSE {pick["items"].format("b")} END
                   || ', qty ' || CAST(CAST(b * 40 AS INTEGER) + 1 AS VARCHAR)
                   || ', delivered to ' || {pick["depts"].format("a")} || ' main building, net 30 terms,'
                   || ' invoice approved by the department head and finance office' AS "Invoice Description",
                 printf('%.2f', a * b * 25000) AS "Amount"
          FROM r
        ) TO '{out}' (HEADER, DELIMITER ',')
        """,
        lists,
    )


def main() -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--listed-share", type=float, default=0.01)
    args = parser.parse_args()
    generate(args.out, args.rows, listed_share=args.listed_share)
    print(f"wrote {args.rows:,} rows to {args.out} ({args.out.stat().st_size / 1e6:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
