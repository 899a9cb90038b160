"""A small package with the four tables of funds, guarantees, attracted firms and related
industries' output (all synthetic: names end with （示例）), and the figures it implies."""

from __future__ import annotations

import pandas as pd

from laser_policy.contracts.uscc import make_uscc

CODES = [make_uscc(f"91420100MA4F{i:04d}") for i in range(4)]
#: CODES[0], CODES[1] laser firms in Wuhan; CODES[2] a laser firm in Xiangyang;
#: CODES[3] not a laser firm (its guarantee is not one to a laser SME)
CITIES = ["武汉市", "武汉市", "襄阳市", "宜昌市"]


def enterprises() -> pd.DataFrame:
    return pd.DataFrame({
        "uscc": CODES,
        "name": [f"光谷基金示范{i}有限公司（示例）" for i in range(4)],
        "city": CITIES,
        "segments": ["LSR-FIBER", "EQP-CUT", "CMP-CHIP", ""],
        "is_laser": ["是", "是", "是", "否"],
    })


def financials() -> pd.DataFrame:
    return pd.DataFrame({
        "uscc": CODES * 2,
        "year": [2024] * 4 + [2025] * 4,
        "revenue_wan": [5000, 3000, 2000, 900, 6000, 3500, 2500, 1000],
        "laser_revenue_wan": [4000, 2000, 1500, 0, 5000, 2500, 2000, 0],
    })


def fund_investments() -> pd.DataFrame:
    """Chinese headers and Chinese spellings, as a clerk fills the template."""
    return pd.DataFrame({
        "投资编号": ["FI-1", "FI-2", "FI-3", "FI-4"],
        "基金": ["光谷激光产业发展基金", "optics_valley_laser_fund", "楚天凤鸣科创天使基金",
               "provincial_guidance_fund"],
        "统一社会信用代码": [CODES[0], CODES[1], CODES[2], CODES[0]],
        "投资金额": [30000, 20000, 5000, 10000],
        "投资日期": ["2024-05-10", "2025-03-01", "2025-06-30", "2025-09-01"],
        "投向": ["技术创新", "并购重组", "成果转化", "innovation"],
        "市州": ["武汉", "", "襄阳市", ""],
        "产业链环节": ["LSR-FIBER", "激光切割设备", "CMP-CHIP", ""],
    })


def guarantees() -> pd.DataFrame:
    return pd.DataFrame({
        "担保编号": ["G-1", "G-2", "G-3", "G-4", "G-5"],
        "统一社会信用代码": [CODES[0], CODES[1], CODES[2], CODES[2], CODES[3]],
        "担保机构": ["湖北省融资担保集团（示例）"] * 5,
        "贷款银行": ["示例银行"] * 5,
        "担保金额": [500, 300, 200, 100, 800],
        "起始日期": ["2024-03-01", "2024-06-01", "2025-01-15", "2025-02-01", "2025-01-01"],
        "到期日期": ["2025-03-01", "2025-06-01", "2026-01-15", "2026-02-01", "2026-01-01"],
        "担保结果": ["结清", "代偿", "在保", "", "正常"],
    })


def attracted_firms() -> pd.DataFrame:
    return pd.DataFrame({
        "企业名称": ["深圳某激光（示例）", "德国某光学（示例）", "苏州某芯片（示例）"],
        "统一社会信用代码": ["", "", ""],
        "产业链环节": ["EQP-CUT", "CMP-MIRROR", "CMP-CHIP"],
        "落户日期": ["2024-08-01", "2025-04-01", "2023-05-01"],
        "落户市州": ["武汉市", "鄂州", "武汉市"],
        "来源地": ["广东省", "德国", "江苏省"],
    })


def related_output() -> pd.DataFrame:
    """Province-wide totals for 2024; only city rows for 2025 (summed)."""
    return pd.DataFrame({
        "年度": [2024, 2024, 2025, 2025, 2025],
        "市州": ["", "", "武汉市", "武汉市", "襄阳市"],
        "相关产业": ["高端制造", "光伏锂电", "高端制造", "消费电子", "高端制造"],
        "产业规模": [3000, 1500, 2800, 900, 700],
    })


def fund_tables() -> dict[str, pd.DataFrame]:
    return {"enterprises": enterprises(), "financials": financials(),
            "fund_investments": fund_investments(), "guarantees": guarantees(),
            "attracted_firms": attracted_firms(), "related_output": related_output()}
