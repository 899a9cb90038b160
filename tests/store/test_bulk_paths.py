"""The fast paths give the same store: Parquet transactions through Arrow as CSV ones, and
PostgreSQL's COPY of Arrow-written CSV keeps every text exactly (quotes, commas, newlines,
empty key parts)."""

from __future__ import annotations

from pathlib import Path

from store_packages import current_files, enterprises, write_package

from laser_policy.store.exporter import export_package, read_tables
from laser_policy.store.importer import import_package


def test_an_exported_store_reimports_as_unchanged_through_the_parquet_path(
        db_url: str, tmp_path: Path) -> None:
    ents = enterprises(3)
    tx = [{"buyer_uscc": e["uscc"], "supplier_name": f" 供应商{i}（示例）", "supplier_uscc": "",
           "supplier_province": "广东省", "segment": "LSR-FIBER", "year": 2023 + i % 2,
           "amount_wan": 1.5 + i} for i, e in enumerate(ents * 3)]
    import_package(write_package(tmp_path / "csv", {"enterprises": ents, "transactions": tx}),
                   db_url)
    files = current_files(db_url)
    out = export_package(tmp_path / "out", db_url).path
    assert (out / "transactions").is_dir()  # Parquet partitions, read by DuckDB
    again = import_package(out, db_url)
    assert not again.changed, again.summary_zh()
    assert {p.action for p in again.partitions} == {"unchanged"}
    assert current_files(db_url) == files


def test_awkward_text_survives_the_bulk_load(db_url: str, tmp_path: Path) -> None:
    ents = enterprises(2)
    ents[0]["name"] = '激光"精密",公司\n第二行（示例）'
    ents[1]["segments"] = ""
    quals = [{"uscc": ents[0]["uscc"], "kind": "高新技术企业", "year": 2024},
             {"uscc": ents[1]["uscc"], "kind": "专精特新小巨人", "level": "国家级", "year": 2024}]
    pkg = write_package(tmp_path / "p", {"enterprises": ents, "qualifications": quals})
    import_package(pkg, db_url)
    stored = read_tables(db_url)
    assert stored["enterprises"].loc[0, "name"] == ents[0]["name"]
    assert stored["enterprises"].loc[1, "segments"] is None
    levels = dict(zip(stored["qualifications"]["kind"], stored["qualifications"]["level"],
                      strict=True))
    assert levels == {"高新技术企业": None, "专精特新小巨人": "国家级"}
    assert not import_package(pkg, db_url).changed
