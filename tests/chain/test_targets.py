"""精准招引: the out-of-province suppliers bought from most, their buyers, local substitutes."""

from __future__ import annotations

from pathlib import Path

from tests.chain.fixtures import B1, B2, B3, L1, L3, OUT_A, OUT_B

from laser_policy.chain.source import open_chain_data
from laser_policy.chain.targets import attraction_targets, targets_rows
from laser_policy.contracts.cities import PACKAGED_REGION as REGION


def test_suppliers_are_ranked_by_amount_with_their_buyers(package: Path) -> None:
    crystal, head = attraction_targets(open_chain_data(package, region=REGION),
                                       ["MAT-CRYSTAL", "CMP-HEAD"])
    assert crystal.segment == "MAT-CRYSTAL"
    assert crystal.name_zh == "激光晶体"
    assert [s.uscc for s in crystal.suppliers] == [OUT_A, None]
    first = crystal.suppliers[0]
    assert (first.amount_wan, first.province) == (500.0, "江苏省")
    assert [b.uscc for b in first.buyers] == [B1, B2]
    assert first.share_of_outside == 500.0 / 650.0
    assert crystal.suppliers[1].name == "深圳晶体股份有限公司（示例）"
    # only Hubei laser buyers: the trader and the unknown buyer are not in the list
    assert [b.uscc for b in head.suppliers[0].buyers] == [B1, B3]
    assert head.suppliers[0].uscc == OUT_B
    assert head.suppliers[0].amount_wan == 420.0


def test_local_substitutes_are_ranked_by_their_sales(package: Path) -> None:
    crystal, head = attraction_targets(open_chain_data(package, region=REGION),
                                       ["MAT-CRYSTAL", "CMP-HEAD"])
    assert [(s.uscc, s.sales_wan, s.listed) for s in crystal.substitutes] == [(L1, 100.0, True)]
    assert [s.uscc for s in head.substitutes] == [L3]


def test_a_record_without_a_code_joins_the_coded_supplier_of_the_same_name(tmp_path: Path) -> None:
    from tests.chain.fixtures import ENTERPRISES, TRANSACTIONS

    tx = TRANSACTIONS.copy()
    extra = tx.iloc[[0]].copy()
    extra["supplier_uscc"] = None
    extra["supplier_name"] = "江苏苏州晶体科技股份有限公司"
    extra["amount_wan"] = 50.0
    ENTERPRISES.to_csv(tmp_path / "enterprises.csv", index=False)
    tx = tx.astype(object)
    tx = tx.where(tx.notna(), None)
    import pandas as pd

    pd.concat([tx, extra]).to_csv(tmp_path / "transactions.csv", index=False)
    (crystal,) = attraction_targets(open_chain_data(tmp_path, region=REGION), ["MAT-CRYSTAL"])
    assert crystal.suppliers[0].uscc == OUT_A
    assert crystal.suppliers[0].amount_wan == 550.0


def test_rows_for_csv_name_buyers_and_substitutes(package: Path) -> None:
    rows = targets_rows(attraction_targets(open_chain_data(package, region=REGION),
                                           ["MAT-CRYSTAL"], top=1))
    assert len(rows) == 1
    assert rows.iloc[0]["buyers_count"] == 2
    assert "武汉晶体材料有限公司（示例）" in rows.iloc[0]["substitutes"]


def test_no_segments_no_targets(package: Path) -> None:
    assert attraction_targets(open_chain_data(package, region=REGION), []) == []
