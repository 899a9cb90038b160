"""Small synthetic chain packages with known answers (synthetic data, not real firms)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from laser_policy.contracts.uscc import make_uscc


def uscc(n: int, region: str = "420100") -> str:
    """A credit code valid under GB 32100-2015 and GB 11714, number ``n``."""
    return make_uscc(f"91{region}MA{n:06d}")


B1, B2, B3, B4 = uscc(1), uscc(2, "420500"), uscc(3), uscc(4)  # B4: not a laser firm
L1, L2, L3 = uscc(11), uscc(12, "420500"), uscc(13)
OUT_A, OUT_B, OUT_C = uscc(21, "320500"), uscc(22, "440300"), uscc(23, "310100")

ENTERPRISES = pd.DataFrame(
    [
        (B1, "武汉光谷激光装备有限公司（示例）", "湖北省", "武汉", "EQP-CUT", "是"),
        (B2, "宜昌激光设备股份有限公司（示例）", "湖北省", "宜昌市", "EQP-WELD", "是"),
        (B3, "武汉激光雷达科技有限公司（示例）", "", "武汉市", "APP-LIDAR", "true"),
        (B4, "武汉某贸易有限公司（示例）", "湖北省", "武汉市", "", "否"),
        (L1, "武汉晶体材料有限公司（示例）", "湖北省", "武汉市", "MAT-CRYSTAL;LSR-FIBER", "是"),
        (L2, "宜昌光纤激光器有限公司（示例）", "湖北省", "宜昌市", "光纤激光器", "是"),
        (L3, "武汉加工头有限公司（示例）", "湖北省", "武汉市", "CMP-HEAD", "是"),
        (OUT_A, "苏州晶体科技有限公司（示例）", "江苏省", "苏州市", "MAT-CRYSTAL", "是"),
    ],
    columns=["uscc", "name", "province", "city", "segments", "is_laser"],
)

# buyer, supplier_uscc, supplier_name, province, city, segment, year, amount
TRANSACTIONS = pd.DataFrame(
    [
        (B1, OUT_A, "苏州晶体科技有限公司（示例）", "江苏省", "苏州市", "MAT-CRYSTAL", 2024, 300.0),
        (B1, L1, "武汉晶体材料有限公司（示例）", "湖北省", "武汉市", "MAT-CRYSTAL", 2024, 100.0),
        (B2, OUT_A, "苏州晶体科技有限公司（示例）", "江苏省", "苏州市", "MAT-CRYSTAL", 2024, 200.0),
        (B2, None, "深圳晶体股份有限公司（示例）", "广东省", "深圳市", "MAT-CRYSTAL", 2024, 150.0),
        (B1, L2, "宜昌光纤激光器有限公司（示例）", "湖北", "宜昌", "LSR-FIBER", 2024, 500.0),
        (B2, L2, "宜昌光纤激光器有限公司（示例）", "湖北省", "宜昌市", "LSR-FIBER", 2024, 400.0),
        (B3, OUT_C, "上海激光器有限公司（示例）", "上海市", "上海市", "LSR-FIBER", 2024, 100.0),
        (B1, L3, "武汉加工头有限公司（示例）", "湖北省", "武汉市", "CMP-HEAD", 2025, 80.0),
        (B1, OUT_B, "深圳加工头有限公司（示例）", "广东省", "深圳市", "CMP-HEAD", 2025, 320.0),
        (B3, OUT_B, "深圳加工头有限公司（示例）", "广东省", "深圳市", "CMP-HEAD", 2025, 100.0),
        (B2, L2, "宜昌光纤激光器有限公司（示例）", "湖北省", "宜昌市", "LSR-FIBER", 2025, 600.0),
        (B4, OUT_B, "深圳加工头有限公司（示例）", "广东省", "深圳市", "CMP-HEAD", 2025, 9999.0),
        (uscc(99), OUT_B, "深圳加工头有限公司（示例）", "广东省", "深圳市", "CMP-HEAD", 2025,
         777.0),
    ],
    columns=["buyer_uscc", "supplier_uscc", "supplier_name", "supplier_province",
             "supplier_city", "segment", "year", "amount_wan"],
)


def write_package(root: Path, layout: str = "hive") -> Path:
    """Write the fixture package in ``layout``: hive (Parquet by year), parquet, csv."""
    root.mkdir(parents=True, exist_ok=True)
    ENTERPRISES.to_csv(root / "enterprises.csv", index=False, encoding="utf-8-sig")
    tx = TRANSACTIONS
    if layout == "hive":
        for year, part in tx.groupby("year"):
            folder = root / "transactions" / f"year={year}"
            folder.mkdir(parents=True, exist_ok=True)
            table = pa.Table.from_pandas(part.drop(columns="year"), preserve_index=False)
            pq.write_table(table, folder / "part-0.parquet")
    elif layout == "parquet":
        tx.to_parquet(root / "transactions.parquet", index=False)
    elif layout == "csv":
        tx.to_csv(root / "transactions.csv", index=False, encoding="utf-8-sig")
    else:
        raise ValueError(layout)
    return root


def expected_supply(enterprises: pd.DataFrame, tx: pd.DataFrame) -> pd.DataFrame:
    """An independent pandas computation of the detail rows (segment, city, year)."""
    from laser_policy.contracts.cities import normalise_city

    e = enterprises.copy()
    e["province"] = e["province"].fillna("湖北省").replace({"": "湖北省", "湖北": "湖北省"})
    laser = e["is_laser"].astype(str).str.lower().isin(["是", "true", "1"])
    buyers = e[laser & (e["province"] == "湖北省")][["uscc", "city"]]
    buyers = buyers.assign(city=buyers["city"].map(lambda c: normalise_city(str(c))))
    t = tx.merge(buyers, left_on="buyer_uscc", right_on="uscc")
    prov = t["supplier_province"].replace({"湖北": "湖北省"})
    scity = t["supplier_city"].map(lambda c: normalise_city(str(c)) or c)
    t = t.assign(
        local=t["amount_wan"].where(prov == "湖北省", 0.0),
        same=t["amount_wan"].where((prov == "湖北省") & (scity == t["city"]), 0.0),
    )
    g = t.groupby(["segment", "city", "year"], as_index=False).agg(
        purchases_wan=("amount_wan", "sum"), local_wan=("local", "sum"),
        same_city_wan=("same", "sum"),
    )
    g["local_rate"] = g["local_wan"] / g["purchases_wan"]
    g["same_city_rate"] = g["same_city_wan"] / g["purchases_wan"]
    return g
