"""An optional column absent from the package (misspelt or left out) never wipes stored values."""

from __future__ import annotations

import json
from pathlib import Path

from store_packages import enterprises, financials, scalar, write_package

from laser_policy.store.exporter import read_tables
from laser_policy.store.importer import import_package


def test_a_misspelt_optional_column_leaves_stored_values_alone(db_url: str,
                                                               tmp_path: Path) -> None:
    ents = enterprises(3)
    codes = [e["uscc"] for e in ents]
    first = [dict(r, rd_expense_wan=50.0 + i) for i, r in
             enumerate(financials(codes, range(2023, 2025)))]
    import_package(write_package(tmp_path / "v1", {"enterprises": ents, "financials": first}),
                   db_url)
    # the same rows, one figure changed, the rd column misspelt; and one new firm-year
    second = [{("rd_expnse_wan" if k == "rd_expense_wan" else k): v for k, v in r.items()}
              for r in first]
    second[0]["revenue_wan"] = 9999.0
    second.append({**second[1], "year": 2025, "rd_expnse_wan": 7.0})
    result = import_package(
        write_package(tmp_path / "v2", {"enterprises": ents, "financials": second}), db_url)
    assert result.counts["financials"].updated == 1
    assert result.counts["financials"].inserted == 1
    stored = read_tables(db_url)["financials"].set_index(["uscc", "year"])
    for i, row in enumerate(first):
        assert stored.loc[(row["uscc"], row["year"]), "rd_expense_wan"] == 50.0 + i
    assert stored.loc[(second[0]["uscc"], second[0]["year"]), "revenue_wan"] == 9999.0
    assert stored["rd_expense_wan"].isna().sum() == 1  # only the new row has none
    audit = scalar(db_url, "SELECT after FROM audit_log WHERE action = 'update'")
    after = audit if isinstance(audit, dict) else json.loads(audit)
    assert after["rd_expense_wan"] == 50.0  # the audit shows the row as it now is
    assert after["revenue_wan"] == 9999.0


def test_an_optional_column_left_out_of_enterprises_keeps_its_values(db_url: str,
                                                                     tmp_path: Path) -> None:
    ents = enterprises(2)
    import_package(write_package(tmp_path / "v1", {"enterprises": ents}), db_url)
    slim = [{"uscc": e["uscc"], "name": e["name"] + "改"} for e in ents]
    result = import_package(write_package(tmp_path / "v2", {"enterprises": slim}), db_url)
    assert result.counts["enterprises"].updated == 2
    stored = read_tables(db_url)["enterprises"]
    assert list(stored["city"]) == ["武汉市", "武汉市"]
    assert list(stored["segments"]) == [e["segments"] for e in ents]
    assert all(n.endswith("改") for n in stored["name"])
