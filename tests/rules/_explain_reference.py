"""FROZEN reference copy of ``laser_policy.rules.explain`` before the column-wise rewrite.

The oracle of ``test_explain_vectorised.py`` (one dict and one f-string per row);
do not edit, do not import from ``src``.

Money rounded once, split exactly, and explained: a Chinese sentence and structured steps.

The engine hands back raw amounts; here they are rounded to cents of 万元
(half up) at the very end, split between province and city so the two parts
add up exactly, and each row gets one sentence a clerk can check by hand (base,
rate, tier, cap, already paid, this payment, clause) and the same figures as
JSON steps. This works on the executed result only (one row per payment due),
never on the panel.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from laser_policy.contracts.tables import ENTITLEMENT_COLUMNS, INCENTIVE_IDS
from laser_policy.rules.formulas import cents_to_wan, split_cents, to_cents
from laser_policy.rules.parameters import IncentiveParameters

#: columns after the contract's fixed ones
EXTRA_COLUMNS = ("ref", "rules_version")
OUTPUT_COLUMNS = (*ENTITLEMENT_COLUMNS, *EXTRA_COLUMNS)

CATALOG_ZH = {"first_set_equipment": "首台套", "first_batch_material": "首批次"}
LEVEL_ZH = {"national": "国家级", "provincial": "省级"}
BASE_ZH = {
    "revenue": "营业收入",
    "unit_price": "购置单价",
    "rd_cost": "研发费用（无购置单价）",
    "external_service_revenue": "对外技术服务收入",
    "investment": "项目投入",
}


def number(value: float, decimals: int = 2) -> str:
    """A number as a clerk writes it: no trailing zeros, no thousands separator.

    >>> number(200.0), number(62.30), number(0.125, 4), number(-0.0)
    ('200', '62.3', '0.125', '0')
    """
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def revenue_text(revenue_wan: float) -> str:
    """Revenue in 亿元 when exact to the 万元, otherwise in 万元 (so 49.99999亿 never reads 50亿).

    >>> revenue_text(623000.0), revenue_text(499999.0), revenue_text(499999.99)
    ('62.3亿元', '49.9999亿元', '499999.99万元')
    """
    if float(revenue_wan).is_integer():
        return f"{number(revenue_wan / 10000.0, 4)}亿元"
    return f"{number(revenue_wan)}万元"


def money(cents: int) -> str:
    """Whole cents of 万元 as a clerk writes the amount.

    >>> money(20000), money(18518), money(49995), money(0)
    ('200万元', '185.18万元', '499.95万元', '0万元')
    """
    whole, part = divmod(int(cents), 100)
    return f"{whole}万元" if part == 0 else f"{whole}.{part:02d}".rstrip("0") + "万元"


_INT_FIELDS = ("year", "tier", "jumped_tiers")


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of plain Python values: missing as None, counts as int."""
    clean = df.astype(object).where(df.notna(), None)
    for column in _INT_FIELDS:
        ints = [None if v is None else int(v) for v in clean[column]]
        clean[column] = pd.Series(ints, index=clean.index, dtype="object")  # no float inference
    return [{str(k): v for k, v in r.items()} for r in clean.to_dict("records")]


def _split_text(province: int, city: int, city_name: Any) -> str:
    parts = []
    if province or not city:
        parts.append(f"省级{money(province)}")
    if city:
        parts.append(f"{city_name or '所在市州'}{money(city)}")
    return "、".join(parts)


def _cap_text(row: dict[str, Any], scope: str) -> str:
    cap = money(row["cap_cents"])
    if row["capped"]:
        return f"，超过{scope}最高{cap}，按{cap}计"
    return f"，未超过{scope}最高{cap}"


def _item(row: dict[str, Any], noun: str) -> str:
    name = row.get("item_name")
    return f"{noun}「{name}」（编号{row['ref']}）" if name else f"{noun}{row['ref']}"


def _revenue_sentence(row: dict[str, Any], params: IncentiveParameters) -> str:
    p = params.revenue_milestone
    compare = "≥" if p.threshold_inclusive else ">"
    threshold = revenue_text(row["threshold_wan"])
    jumps = int(row["jumped_tiers"])  # engines may hand back a float
    jumped = f"，一年跨越{jumps}档，按最高档奖励一次" if jumps > 1 else ""
    covered = [
        (row["baseline_cents"], f"{p.window_start_year}年以前已达档视同已奖"),
        (row["ledger_cents"], "奖补台账已兑现"),
        (row["before_cents"], "本次计算中以前年度应付"),
    ]
    detail = "；".join(f"{label}{money(c)}" for c, label in covered if c)
    detail = f"（{detail}）" if detail else ""
    return (
        f"{row['year']}年营业收入{revenue_text(row['base_wan'])}，首次达到{threshold}档"
        f"（{compare}{threshold}）{jumped}，应奖{money(row['entitled_cents'])}，"
        f"已兑现{money(row['covered_cents'])}{detail}，"
    )


def _first_set_sentence(row: dict[str, Any], params: IncentiveParameters) -> str:
    catalog = CATALOG_ZH.get(row["item_kind"], row["item_kind"] or "首台套/首批次")
    level = LEVEL_ZH.get(row["level"], row["level"])
    if row["role"] == "user":
        side = f"示范应用方按{number(row['side_share'] * 100)}%分得"
    elif row["side_share"] < 1:
        side = f"研制方按{number(row['side_share'] * 100)}%分得"
    else:
        side = "无示范应用方，研制方全额享受"
    return (
        f"{row['year']}年{_item(row, '产品')}列入{level}{catalog}目录，"
        f"{BASE_ZH[row['base_kind']]}{money(row['base_cents'])}，按{number(row['rate'] * 100)}%计"
        f"{money(row['gross_cents'])}{_cap_text(row, '研制方与示范应用方合计')}，"
        f"{side}{money(row['entitled_cents'])}，已兑现{money(row['covered_cents'])}，"
    )


def _platform_sentence(row: dict[str, Any], params: IncentiveParameters) -> str:
    level = LEVEL_ZH.get(row["level"], row["level"])
    return (
        f"{row['year']}年{level}公共服务平台{_item(row, '')}"
        f"对外技术服务收入{money(row['base_cents'])}，按{number(row['rate'] * 100)}%计"
        f"{money(row['gross_cents'])}{_cap_text(row, '每年')}，"
        f"应补{money(row['entitled_cents'])}，已兑现{money(row['covered_cents'])}，"
    )


def _innovation_sentence(row: dict[str, Any], params: IncentiveParameters) -> str:
    return (
        f"{row['year']}年国家原始创新策源地建设{_item(row, '项目')}投入{money(row['base_cents'])}，"
        f"按{number(row['rate'] * 100)}%一次性补助{money(row['gross_cents'])}"
        f"{_cap_text(row, '单个项目')}，应补{money(row['entitled_cents'])}，"
        f"已兑现{money(row['covered_cents'])}，"
    )


_SENTENCES = {
    "revenue_milestone": _revenue_sentence,
    "first_set": _first_set_sentence,
    "service_platform": _platform_sentence,
    "innovation_source": _innovation_sentence,
}

_STEP_FIELDS = (
    ("base_wan", "计算基数", "万元"),
    ("rate", "比例", "/1"),
    ("gross_wan", "按比例计算", "万元"),
    ("cap_wan", "封顶", "万元"),
    ("capped", "是否封顶", ""),
    ("tier", "达到档位", "档"),
    ("threshold_wan", "档位门槛", "万元"),
    ("jumped_tiers", "本年跨越档数", "档"),
    ("total_wan", "合计应奖（双方合计/本档）", "万元"),
    ("side_share", "本方分配比例", "/1"),
    ("entitled", "应奖", "万元"),
    ("baseline", "政策期前已达档视同已奖", "万元"),
    ("ledger", "台账已兑现", "万元"),
    ("before", "本次计算以前年度应付", "万元"),
    ("covered", "已兑现合计", "万元"),
    ("due", "本次应付", "万元"),
    ("province", "省级承担", "万元"),
    ("city", "市州承担", "万元"),
)


def _steps(row: dict[str, Any]) -> list[dict[str, Any]]:
    steps = [{"step": "base_kind", "label": BASE_ZH.get(row["base_kind"], ""),
              "value": row["base_kind"], "unit": ""}]
    for field, label, unit in _STEP_FIELDS:
        key = f"{field}_cents" if f"{field}_cents" in row else field
        value = row.get(key)
        if value is None:
            continue
        if key.endswith("_cents"):
            value = value / 100
        elif isinstance(value, np.generic):
            value = value.item()
        if unit == "档" and not pd.isna(value):  # counts of tiers: engines may hand back floats
            value = int(value)
        steps.append({"step": field, "label": label, "value": value, "unit": unit})
    return steps


def _cents_frame(raw: pd.DataFrame) -> pd.DataFrame:
    """Round once: entitled, covered and due in whole cents, split province/city exactly."""
    df = raw.copy()
    entitled = to_cents(df["entitled_wan"])
    user = (df["role"] == "user").to_numpy()
    total = to_cents(df["total_wan"])
    # the user's side is the rounded total less the rounded developer's side: sides sum to the total
    entitled[user] = total[user] - to_cents(df["total_wan"] - df["entitled_wan"])[user]
    df["entitled_cents"] = entitled
    df["baseline_cents"] = to_cents(df["baseline_wan"])
    df["ledger_cents"] = to_cents(df["paid_ledger_wan"])
    df["before_cents"] = to_cents(df["paid_before_wan"])
    df["covered_cents"] = df["baseline_cents"] + df["ledger_cents"] + df["before_cents"]
    due = np.maximum(df["entitled_cents"].to_numpy() - df["covered_cents"].to_numpy(), 0)
    df["due_cents"] = due
    for column in ("base", "gross", "cap"):
        df[f"{column}_cents"] = to_cents(df[f"{column}_wan"].fillna(0.0))
    province, city = split_cents(due, df["province_share"].to_numpy(dtype=np.float64))
    df["province_cents"] = province
    df["city_cents"] = city
    return df[df["due_cents"] > 0].reset_index(drop=True)


def finalize(
    raw: pd.DataFrame, params: IncentiveParameters, *, with_steps: bool = True
) -> pd.DataFrame:
    """The entitlements table (OUTPUT_COLUMNS, and ``steps`` unless ``with_steps`` is false)."""
    df = _cents_frame(raw)
    records = _records(df)
    suffix = f"依据：{params.doc_number}第{{clause}}条。"
    sentences = [
        _SENTENCES[r["incentive"]](r, params)
        + f"本次应付{money(r['due_cents'])}"
        + f"（{_split_text(r['province_cents'], r['city_cents'], r['city'])}）。"
        + suffix.format(clause=r["clause"])
        for r in records
    ]
    out = pd.DataFrame({
        "uscc": df["uscc"].astype("object"),
        "name": df["name"].astype("object"),
        "incentive": df["incentive"].astype("object"),
        "year": df["year"].astype("int64"),
        "role": df["role"].astype("object"),
        "amount_wan": cents_to_wan(df["due_cents"]),
        "province_wan": cents_to_wan(df["province_cents"]),
        "city_wan": cents_to_wan(df["city_cents"]),
        "clause": df["clause"].astype("object"),
        "explanation": pd.Series(sentences, dtype="object"),
        "ref": df["ref"].astype("object"),
        "rules_version": params.rules_version,
    })
    if with_steps:
        out["steps"] = pd.Series([_steps(r) for r in records], dtype="object")
    out = out.where(out.notna(), None)
    order = {name: i for i, name in enumerate(INCENTIVE_IDS)}
    out["_order"] = out["incentive"].map(order)
    out = out.sort_values(
        ["_order", "uscc", "year", "ref", "role"], na_position="first", kind="mergesort"
    )
    return out.drop(columns="_order").reset_index(drop=True)
