"""What the firms did that the policy rewards: qualifications, catalogued products,
service platforms, projects, and the ledger of awards already paid for the policy
window's first year (2024).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from laser_policy.rules.formulas import side_cents, to_cents
from laser_policy.sample.enterprises import LAST_YEAR, LEADERS, YEARS, Enterprises
from laser_policy.sample.financials import Financials
from laser_policy.sample.names import mark
from laser_policy.sample.policy_inputs import PolicyInputs
from laser_policy.sample.vocabulary import FAMILIES

#: the major projects named in measures 十四 and 十九, each given to the scripted
#: leader (index into ``LEADERS``) loosely modelled on its real operator
NAMED_MAJOR_PROJECTS: tuple[tuple[str, int, str], ...] = (
    ("半导体晶圆超精密激光加工检测装备研发及产业化项目", 0, "十四"),
    ("光纤激光器产研能力提升项目", 1, "十四"),
    ("研发生产基地二期项目", 2, "十四"),
    ("锂电激光智造装备三期项目", 3, "十四"),
    ("武汉光谷激光科技园二期项目", 4, "十四、十九"),
    ("研发生产基地三期项目", 2, "十九"),
)
PROJECT_STAGES = ("签约", "开工", "投产", "达效")


@dataclass
class Activities:
    qualifications: pd.DataFrame
    products: pd.DataFrame
    platforms: pd.DataFrame
    projects: pd.DataFrame
    awards: pd.DataFrame
    facts: dict[str, Any]


def _pick(rng: np.random.Generator, pool: np.ndarray, k: int, weight: np.ndarray | None = None
          ) -> np.ndarray:
    k = min(k, len(pool))
    p = None if weight is None else weight / weight.sum()
    return np.asarray(rng.choice(pool, k, replace=False, p=p))


def _size_weight(fin: Financials, ent: Enterprises) -> np.ndarray:
    last = fin.frame.groupby("uscc", sort=False)["revenue_wan"].max()
    return np.sqrt(last.reindex(ent.uscc).fillna(1.0).to_numpy() + 1.0)


def qualifications(rng: np.random.Generator, ent: Enterprises, weight: np.ndarray
                   ) -> pd.DataFrame:
    laser = np.flatnonzero(ent.is_laser)
    rows: list[tuple[str, str, str, int]] = []
    for i in _pick(rng, laser, int(len(laser) * 0.35), weight[laser]):
        first = int(rng.integers(2016, 2025))
        rows += [(ent.uscc[i], "高新技术企业", "国家级", y) for y in range(first, LAST_YEAR + 1, 3)
                 if y >= YEARS[0]]
    later = np.array([1.0, 1.2, 1.5, 1.8, 2.2, 2.6, 3.0, 3.4])
    for kind, level, share in (
        ("专精特新小巨人", "国家级", 0.04), ("专精特新小巨人", "省级", 0.09),
        ("制造业单项冠军", "国家级", 0.004), ("制造业单项冠军", "省级", 0.01),
    ):
        k = max(2, int(len(laser) * share))
        for i in _pick(rng, laser, k, weight[laser]):
            year = int(rng.choice(np.array(YEARS), p=later / later.sum()))
            rows.append((ent.uscc[i], kind, level, year))
    frame = pd.DataFrame(rows, columns=["uscc", "kind", "level", "year"])
    return frame.drop_duplicates(["uscc", "kind", "level", "year"]).reset_index(drop=True)


def products(rng: np.random.Generator, ent: Enterprises, weight: np.ndarray,
             inputs: PolicyInputs) -> pd.DataFrame:
    n = int(np.clip(len(ent.frame) // 40, 15, 400))
    eqp = np.flatnonzero(ent.is_laser & np.isin(ent.stage, ["EQP", "LSR", "CMP", "APP"]))
    mat = np.flatnonzero(ent.is_laser & (ent.stage == "MAT"))
    n_mat = max(2, n // 5) if len(mat) else 0
    devs = np.concatenate([
        rng.choice(eqp, n - n_mat, p=weight[eqp] / weight[eqp].sum()),
        rng.choice(mat, n_mat) if n_mat else np.array([], int),
    ])
    catalog = ["first_set_equipment"] * (n - n_mat) + ["first_batch_material"] * n_mat
    users_pool = np.arange(len(ent.frame))
    user = rng.choice(users_pool, n)
    user = np.where(user == devs, (user + 1) % len(ent.frame), user)
    no_user = rng.random(n) < 0.2
    price = np.round(rng.lognormal(np.log(900.0), 0.9, n), 1)
    no_price = rng.random(n) < 0.2
    rd_cost = np.round(rng.lognormal(np.log(1500.0), 0.8, n), 1)
    cap_base = inputs.first_set_cap_wan / inputs.first_set_rate
    big = rng.choice(np.flatnonzero(~no_price), 2, replace=False)
    price[big] = np.round(cap_base * np.array([1.3, 1.9]), -2)
    no_price[big] = False
    both = rng.random(n) < 0.3
    names = []
    for i in range(n):
        seg = ent.primary[devs[i]]
        fams = FAMILIES.get(seg) or FAMILIES["EQP-CUT"]
        names.append(mark(fams[int(rng.integers(0, len(fams)))].product_name))
    return pd.DataFrame({
        "product_id": [f"P{i + 1:05d}" for i in range(n)],
        "developer_uscc": ent.uscc[devs],
        "user_uscc": np.where(no_user, None, ent.uscc[user]),
        "catalog": catalog,
        "catalog_level": np.where(rng.random(n) < 0.3, "national", "provincial"),
        "year": rng.integers(2022, LAST_YEAR + 1, n),
        "unit_price_wan": np.where(no_price, np.nan, price),
        "rd_cost_wan": np.where(no_price | both, rd_cost, np.nan),
        "name": names,
    })


def platforms(rng: np.random.Generator, ent: Enterprises, weight: np.ndarray,
              inputs: PolicyInputs) -> pd.DataFrame:
    n = int(np.clip(len(ent.frame) // 150, 6, 60))
    laser = np.flatnonzero(ent.is_laser)
    ops = _pick(rng, laser, n, weight[laser] ** 2)
    topics = ("激光加工工艺", "激光器检测认证", "光电子芯片中试", "激光智能制造", "超快激光应用",
              "激光医疗器械", "激光雷达测试", "特种光纤检测")
    rows: list[dict[str, Any]] = []
    for k, i in enumerate(ops):
        start = int(rng.integers(2022, 2025))
        level = "national" if rng.random() < 0.25 else "provincial"
        base = rng.lognormal(np.log(1500.0), 0.8)
        for year in range(start, LAST_YEAR + 1):
            rows.append({
                "platform_id": f"PF{k + 1:04d}", "operator_uscc": ent.uscc[i], "level": level,
                "year": year,
                "external_service_revenue_wan": round(base * 1.12 ** (year - start), 1),
                "name": mark(f"湖北省{topics[k % len(topics)]}公共服务平台{k + 1}号"),
            })
    frame = pd.DataFrame(rows)
    at_cap = inputs.platform_cap_wan / inputs.platform_rate
    col = "external_service_revenue_wan"
    frame.loc[frame.index[frame["year"] == LAST_YEAR - 1][0], col] = at_cap  # exactly at the cap
    frame.loc[frame.index[frame["year"] == LAST_YEAR][-1], col] = round(at_cap * 1.5, 1)
    return frame


def projects(rng: np.random.Generator, ent: Enterprises, weight: np.ndarray,
             inputs: PolicyInputs) -> pd.DataFrame:
    laser = np.flatnonzero(ent.is_laser)
    rows: list[dict[str, Any]] = []

    def add(name: str, i: int, kind: str, *, channel: str | None, year: int, inv: float
            ) -> None:
        stage = PROJECT_STAGES[min(3, int(rng.integers(0, 2)) + max(0, LAST_YEAR - year))]
        done = {"签约": 0.0, "开工": 0.35, "投产": 0.85, "达效": 1.0}[stage]
        finish = dt.date(year + int(rng.integers(1, 4)), int(rng.integers(1, 13)), 28)
        rows.append({
            "project_id": f"PJ{len(rows) + 1:05d}", "name": mark(name), "uscc": ent.uscc[i],
            "kind": kind, "channel": channel, "year": year, "investment_wan": round(inv, -1),
            "completed_investment_wan": round(inv * done, -1), "stage": stage,
            "planned_completion": str(finish), "city": ent.frame["city"].iat[i],
        })

    for title, leader, _clause in NAMED_MAJOR_PROJECTS:
        add(title, leader, "major", channel=None, year=int(rng.integers(2023, 2026)),
            inv=rng.uniform(80_000, 500_000))
    for k in range(int(np.clip(len(ent.frame) // 250, 4, 40))):
        i = int(_pick(rng, laser, 1, weight[laser])[0])
        add(f"激光产业重大项目{k + 1}号", i, "major", channel=None,
            year=int(rng.integers(2023, LAST_YEAR + 1)), inv=rng.lognormal(np.log(60_000.0), 0.6))
    cap_base = inputs.innovation_cap_wan / inputs.innovation_rate
    window = range(inputs.milestone_window[0], inputs.milestone_window[1] + 1)
    for year in window:
        for k in range(int(rng.integers(2, 4))):
            i = int(_pick(rng, laser[: max(30, len(laser) // 20)], 1)[0])
            inv = (cap_base * 1.5 if (year, k) == (window[1], 0)
                   else rng.lognormal(np.log(5000.0), 0.5))
            add(f"国家原始创新策源地激光前沿技术项目{year}-{k + 1}", i, "innovation_source",
                channel=None, year=year, inv=inv)
    themes = ("高功率光纤激光器", "超快激光精密加工", "激光芯片", "激光清洗装备", "激光增材制造",
              "激光雷达", "激光诊疗设备", "特种光纤")
    per_year = inputs.projects_per_channel_per_year  # about this many: one fewer to one more
    for channel in inputs.special_fund_channels:
        for year in window:
            for k in range(int(rng.integers(max(1, per_year - 1), per_year + 2))):
                i = int(_pick(rng, laser, 1, weight[laser])[0])
                add(f"{themes[int(rng.integers(0, len(themes)))]}技术攻关及产业化项目"
                    f"（{channel}{year}-{k + 1}）", i, "special_fund", channel=channel,
                    year=year, inv=rng.lognormal(np.log(3000.0), 0.6))
    return pd.DataFrame(rows)


def awards(fin: Financials, *, prods: pd.DataFrame, plats: pd.DataFrame, projs: pd.DataFrame,
           rng: np.random.Generator, inputs: PolicyInputs) -> pd.DataFrame:
    """What was already paid for the window's first year (some of its products left unpaid)."""
    paid_year = inputs.milestone_window[0]
    rows: list[dict[str, Any]] = []
    first_years: dict[str, list[tuple[float, int]]] = {}
    for m in fin.milestones:
        first_years.setdefault(m["uscc"], []).append((m["threshold_wan"], m["first_year"]))
    tiers = inputs.milestone_thresholds_wan
    for uscc, reached in first_years.items():
        now = [t for t, y in reached if y == paid_year]
        before = [t for t, y in reached if y < paid_year]
        if now and not before:
            top = max(now)
            rows.append({"uscc": uscc, "incentive": "revenue_milestone", "year": paid_year,
                         "amount_wan": inputs.milestone_amounts_wan[tiers.index(top)],
                         "tier": str(int(top)), "ref": f"RM-{paid_year}-{int(top)}"})
    dev_share = inputs.first_set_developer_share
    paid = prods[(prods["year"] == paid_year) & prods["user_uscc"].notna()]
    paid = paid[rng.random(len(paid)) < 0.7]
    for p in paid.to_dict("records"):
        price = p["unit_price_wan"]
        base = float(price if pd.notna(price) else p["rd_cost_wan"])
        amount = min(inputs.first_set_rate * base, inputs.first_set_cap_wan)
        sides = side_cents([amount], [dev_share])  # rounded as the engine rounds
        for uscc, cents, role in ((p["developer_uscc"], sides[0][0], "developer"),
                                  (p["user_uscc"], sides[1][0], "user")):
            rows.append({"uscc": uscc, "incentive": "first_set", "year": paid_year,
                         "amount_wan": _wan(cents), "tier": role,
                         "ref": p["product_id"]})
    for q in plats[plats["year"] == paid_year].to_dict("records"):
        amount = min(inputs.platform_rate * float(q["external_service_revenue_wan"]),
                     inputs.platform_cap_wan)
        rows.append({"uscc": q["operator_uscc"], "incentive": "service_platform",
                     "year": paid_year, "amount_wan": _wan(to_cents([amount])[0]),
                     "tier": None, "ref": q["platform_id"]})
    src = projs[(projs["kind"] == "innovation_source") & (projs["year"] == paid_year)]
    for r in src.to_dict("records"):
        amount = min(inputs.innovation_rate * float(r["investment_wan"]), inputs.innovation_cap_wan)
        rows.append({"uscc": r["uscc"], "incentive": "innovation_source", "year": paid_year,
                     "amount_wan": _wan(to_cents([amount])[0]),
                     "tier": None, "ref": r["project_id"]})
    return pd.DataFrame(rows, columns=["uscc", "incentive", "year", "amount_wan", "tier", "ref"])


def _wan(cents: Any) -> float:
    """Whole cents of 万元 as the 万元 amount the ledger records."""
    return round(int(cents) / 100.0, 2)


def build_activities(rng: np.random.Generator, ent: Enterprises, fin: Financials,
                     inputs: PolicyInputs) -> Activities:
    weight = _size_weight(fin, ent)
    quals = qualifications(rng, ent, weight)
    prods = products(rng, ent, weight, inputs)
    plats = platforms(rng, ent, weight, inputs)
    projs = projects(rng, ent, weight, inputs)
    paid = awards(fin, prods=prods, plats=plats, projs=projs, rng=rng, inputs=inputs)
    facts = {
        "named_major_projects": [
            {"name": mark(t), "operator": mark(LEADERS[i].name), "clause": c}
            for t, i, c in NAMED_MAJOR_PROJECTS
        ],
        "first_set_over_cap": prods.loc[
            prods["unit_price_wan"] * inputs.first_set_rate > inputs.first_set_cap_wan,
            "product_id"].tolist(),
        "platform_at_cap": plats.loc[
            plats["external_service_revenue_wan"] * inputs.platform_rate
            >= inputs.platform_cap_wan, ["platform_id", "year"]].to_dict("records"),
    }
    return Activities(quals, prods, plats, projs, paid, facts)
