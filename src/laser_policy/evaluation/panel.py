"""The firm-year panel an evaluation runs on: log outcome, cohort and pre-treatment covariates.

* **Outcome**: ``ln(1 + value)`` of a financials column, so an effect of 0.095 reads
  "about +10 %" (``exp(0.095) - 1``); the ``1 +`` keeps firms with no patents or no
  R&D in the sample and changes nothing for amounts in 万元.
* **Cohort**: the first year of support (:mod:`laser_policy.evaluation.treatment`);
  missing for firms never supported in the years of the panel (support after the
  last year of data is, within the panel, no support yet).
* **Covariates**, fixed per firm and measured before any support: the log revenue of
  the firm's first year in the data (level) and its change to the second (growth),
  the chain stage of its first listed segment and its city (cities with few firms
  pooled).
* **Matching years kept out**: the two years the level and growth are measured in are
  not part of the estimation panel. Were they in it, some pre-support comparisons
  would be the covariates themselves (``y_2019 - y_2020`` is minus the growth), fitted
  exactly by the outcome regression; their near-zero variance made the pre-trend test
  reject far too often (measured: 4–7 of 20 correctly specified panels at the 5 %
  level, ``bench/evaluation_coverage.py``). A supported firm therefore needs three
  years before its first support — two to match on, one as the reference year —; one
  without them is left out and counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from laser_policy.contracts.tables import TABLES
from laser_policy.errors import InputError

#: outcomes an evaluation can look at: financials columns that are amounts or counts
OUTCOMES: tuple[str, ...] = ("revenue_wan", "laser_revenue_wan", "rd_expense_wan",
                             "invention_patents")

#: two years to measure level and growth, a reference year before support, one to see an effect
MIN_YEARS = 4

#: cities with fewer firms than this are pooled as one category (a matching cell needs firms)
MIN_FIRMS_PER_CITY = 10

OTHER_ZH = "其他"
UNKNOWN_ZH = "未知"


def outcome_label(outcome: str) -> str:
    """The outcome's Chinese name from the data contract (``revenue_wan`` -> 营业收入)."""
    return TABLES["financials"].column(outcome).zh


@dataclass(frozen=True)
class Panel:
    """The estimation panel and what was left out of it."""

    #: one row per firm and year: firm (int), year, y, cohort (NaN: not supported), covariates
    frame: pd.DataFrame
    #: covariate columns; categorical ones wrapped for the formula in :attr:`formula_terms`
    numeric: tuple[str, ...]
    categorical: tuple[str, ...]
    years: tuple[int, ...]
    #: supported firms with too little history before support (left out)
    excluded_treated: int

    @property
    def formula_terms(self) -> tuple[str, ...]:
        return (*self.numeric, *(f"C({c})" for c in self.categorical))

    @property
    def treated(self) -> int:
        firms = self.frame.drop_duplicates("firm")
        return int(firms["cohort"].notna().sum())

    @property
    def firms(self) -> int:
        return int(self.frame["firm"].nunique())


def build_panel(
    tables: Mapping[str, pd.DataFrame],
    cohorts: pd.Series,
    outcome: str,
    stage_of: Mapping[str, str],
) -> Panel:
    """The panel for ``outcome`` with firms' first support years ``cohorts`` (uscc -> year).

    ``stage_of`` maps a segment code to its chain stage. Raises :class:`InputError`
    (Chinese first) when the data cannot carry an evaluation at all.
    """
    fin = _check_financials(tables.get("financials"), outcome)
    data = fin[["uscc", "year", "revenue_wan", outcome]].copy() if outcome != "revenue_wan" \
        else fin[["uscc", "year", "revenue_wan"]].copy()
    data = data.dropna(subset=["uscc", "year", outcome])
    data["year"] = data["year"].astype("int64")
    data = data.sort_values(["uscc", "year"], kind="stable").reset_index(drop=True)
    years = tuple(int(y) for y in sorted(data["year"].unique()))
    data["y"] = np.log1p(data[outcome].astype("float64"))

    base = _baseline(data)
    data = data.merge(base, on="uscc", how="inner")
    last = years[-1]
    cohort = data["uscc"].map(cohorts).astype("float64")
    cohort = cohort.where(cohort <= last)  # support after the data ends: not yet, here
    data["cohort"] = cohort
    too_early = data["cohort"].notna() & (data["cohort"] <= data["second_year"] + 1)
    excluded = int(data.loc[too_early, "uscc"].nunique())
    data = data.loc[~too_early & (data["year"] > data["second_year"])]

    ent = tables.get("enterprises")
    data = data.merge(_categories(ent, stage_of), on="uscc", how="left")
    data["stage"] = data["stage"].fillna(UNKNOWN_ZH)
    data["city_group"] = _pooled(data, "city")
    categorical = tuple(c for c in ("stage", "city_group") if data[c].nunique() > 1)
    data["firm"] = pd.factorize(data["uscc"])[0]
    columns = ["firm", "uscc", "year", "y", "cohort", "base_level", "base_growth",
               "second_year", "stage", "city_group"]
    return Panel(
        frame=data[columns].reset_index(drop=True),
        numeric=("base_level", "base_growth"),
        categorical=categorical,
        years=years,
        excluded_treated=excluded,
    )


def _check_financials(fin: pd.DataFrame | None, outcome: str) -> pd.DataFrame:
    if outcome not in OUTCOMES:
        raise InputError(
            f"不支持的评估指标「{outcome}」，可选：{'、'.join(OUTCOMES)} / "
            f"unsupported outcome {outcome!r}; one of {', '.join(OUTCOMES)}"
        )
    if fin is None or not len(fin):
        raise InputError(
            "数据包缺少年度指标表 financials（或为空），无法评估政策效果 / "
            "the package has no financials table (or it is empty): nothing to evaluate"
        )
    if outcome not in fin.columns or fin[outcome].isna().all():
        raise InputError(
            f"financials 表中没有「{outcome_label(outcome)}」（{outcome}）数据，无法评估 / "
            f"financials has no values in column {outcome}"
        )
    years = sorted(int(y) for y in fin.loc[fin[outcome].notna(), "year"].dropna().unique())
    if len(years) < MIN_YEARS:
        span = f"{years[0]}–{years[-1]}" if years else "无"
        raise InputError(
            f"financials 表的「{outcome_label(outcome)}」只有{len(years)}个年度（{span}），"
            f"政策效果评估至少需要{MIN_YEARS}个年度："
            "两年用于匹配可比企业、支持前一年作为基准、之后至少一年观察效果 / "
            f"financials column {outcome} covers {len(years)} year(s) ({span}); an evaluation "
            f"needs at least {MIN_YEARS}: two to match firms on, a reference year before "
            "support and one after it"
        )
    return fin


def _baseline(data: pd.DataFrame) -> pd.DataFrame:
    """Per firm: log revenue of its first year, growth to the second, and that second year."""
    rev = data.dropna(subset=["revenue_wan"])
    rank = rev.groupby("uscc").cumcount()
    first = rev.loc[rank == 0, ["uscc", "revenue_wan"]].set_index("uscc")["revenue_wan"]
    second = rev.loc[rank == 1, ["uscc", "year", "revenue_wan"]].set_index("uscc")
    level = np.log1p(first.astype("float64"))
    out = pd.DataFrame({
        "base_level": level,
        "base_growth": np.log1p(second["revenue_wan"].astype("float64")) - level,
        "second_year": second["year"],
    }).dropna()
    return out.rename_axis("uscc").reset_index()


def _categories(ent: pd.DataFrame | None, stage_of: Mapping[str, str]) -> pd.DataFrame:
    if ent is None or not len(ent):
        return pd.DataFrame({"uscc": pd.Series(dtype="object"),
                             "stage": pd.Series(dtype="object"),
                             "city": pd.Series(dtype="object")})
    segments = ent["segments"] if "segments" in ent.columns else pd.Series(None, index=ent.index)
    first = segments.astype("string").str.split(";").str[0].str.strip()
    stage = first.map(lambda code: stage_of.get(code) if isinstance(code, str) else None)
    city = ent["city"] if "city" in ent.columns else pd.Series(None, index=ent.index)
    return pd.DataFrame({"uscc": ent["uscc"], "stage": stage.astype("object"),
                         "city": city.astype("object")}).drop_duplicates("uscc")


def _pooled(data: pd.DataFrame, column: str) -> pd.Series:
    """``column`` with missing values as 未知 and rare values pooled as 其他."""
    values = data[column].fillna(UNKNOWN_ZH).astype("object")
    counts = data.drop_duplicates("uscc").assign(v=values).groupby("v")["uscc"].size()
    rare = set(counts[counts < MIN_FIRMS_PER_CITY].index)
    return values.where(~values.isin(rare), OTHER_ZH)
