"""An evaluation in words a non-statistician reads, Chinese and English (CLI, page, report).

The numbers come from :class:`~laser_policy.evaluation.result.Evaluation`; this module
only words them, so the page, its report section and the CLI table say the same thing.
"""

from __future__ import annotations

from laser_policy.evaluation.panel import outcome_label
from laser_policy.evaluation.result import ALPHA, FEW_TREATED, Evaluation, percent

#: who was supported, as the subject of the summary sentence
SUBJECTS: dict[str, tuple[str, str]] = {
    "revenue_milestone": ("获得营收跨档奖励（第十八条）的企业",
                          "Firms paid the revenue-milestone reward (XVIII)"),
    "first_set": ("获得首台套首批次奖补（第十九条）的企业",
                  "Firms paid the first-set / first-batch subsidy (XIX)"),
    "service_platform": ("获得公共服务平台奖补（第十七条）的企业",
                         "Firms paid the public-service-platform subsidy (XVII)"),
    "innovation_source": ("获得原始创新策源地项目支持（第十七条）的企业",
                          "Firms given original-innovation project support (XVII)"),
}

OUTCOMES_EN: dict[str, str] = {
    "revenue_wan": "operating revenue", "laser_revenue_wan": "laser revenue",
    "rd_expense_wan": "R&D expense", "invention_patents": "invention patents",
}

WARNINGS_TEXT: dict[str, tuple[str, str]] = {
    "no_treated": ("没有具备支持前三年数据的受支持企业，无法评估。",
                   ("No supported firm has three years of data before its support: nothing to "
                   "estimate.")),
    "not_estimable": ("受支持企业与可比企业无法配对比较（各年份、各批次企业过少），无法评估。",
                      ("Supported and comparable firms could not be compared (too few firms in "
                      "each year and cohort).")),
    "few_treated": ((f"证据薄弱：受支持企业少于{FEW_TREATED}家，个别企业的波动即可左右结果，"
                    "请谨慎引用。"),
                    (f"Thin evidence: fewer than {FEW_TREATED} supported firms; one firm's year "
                    "can move the result.")),
    "pre_trend_failed": (("证据存疑：受支持企业在获得支持之前就已与可比企业走势不同"
                         "（支持前差异检验未通过），结果可能高估或低估效果。"),
                         ("Doubtful: supported firms already moved differently from comparable "
                         "firms before support (pre-trend test failed); the effect may be "
                         "biased.")),
    "no_pre_trend_test": ("支持前年份不足，无法检验支持前走势是否一致。",
                          "Too few years before support to test for pre-trends."),
    "regression_only": ("受支持企业较少，未做倾向得分加权，仅以回归调整可比企业差异。",
                        ("Too few supported firms for propensity reweighting: regression "
                        "adjustment only.")),
    "outcome_drives_support": (("该奖励由营业收入跨档触发，受支持企业正是收入大增的企业，"
                               "此结果反映的是触发条件而非奖励本身的作用。"),
                               ("The reward is triggered by revenue crossing a tier: the result "
                               "reflects the trigger, not the money.")),
    "placebo": ("安慰剂检验：支持被随机改给未受支持的企业，效果应接近0。",
                ("Placebo: the support was given to random unsupported firms; the effect "
                "should be about zero.")),
}

ASSUMPTIONS: tuple[tuple[str, str], ...] = (
    (("受支持年份：以企业首次应享（规则引擎按政策计算）或首次兑现（奖补台账）该奖补的年份为准，"
     "此后各年均视为受支持。"),
     ("Year of support: the first year a firm was entitled to (engine) or paid (ledger) the "
     "incentive; every later year counts as supported.")),
    ("可比企业：从未获得该奖补的企业，以及当年尚未获得、此后才获得的企业；已获支持的企业不作对照。",
     ("Comparison firms: firms never supported and firms not yet supported that year; "
     "firms already supported are never used as controls.")),
    (("平行趋势：在支持前营业收入规模与增速、产业链环节和所在市州相同的条件下，若没有该奖补，"
     "受支持企业的指标本会与可比企业同样变化。"),
     ("Parallel trends: given pre-support revenue level and growth, chain stage and city, "
     "supported firms' outcome would have moved like the comparison firms' without support.")),
    ("无提前反应、无溢出：企业在获得支持前不因预期而改变，奖补也不影响未受支持企业。",
     ("No anticipation, no spill-over: firms do not change before support, and the support "
     "does not affect unsupported firms.")),
    ("效果按指标的对数计算（ln(1+值)），换算为百分比；95%置信区间按企业聚类。",
     ("Effects are on the log of the outcome (ln(1+value)), shown as percentages; 95% "
     "intervals are clustered by firm.")),
)


def _pct(log_points: float | None) -> str:
    value = percent(log_points)
    return "—" if value is None else f"{value:.1f}%"


def summary(result: Evaluation, lang: str = "zh") -> str:
    """One sentence: the effect, its interval and what it rests on.

    e.g. 获得首台套首批次奖补（第十九条）的企业此后营业收入平均多增长约9.8%（95%置信区间
    4.1%–15.9%），依据312家受支持企业与1,204家可比企业（2019–2026年）。
    """
    subject_zh, subject_en = SUBJECTS.get(result.incentive, (result.incentive,) * 2)
    first, last = result.years
    if result.att is None:
        if lang == "en":
            return (f"{subject_en}: not enough supported firms to estimate an effect on "
                    f"{OUTCOMES_EN[result.outcome]} ({result.treated} supported, "
                    f"{first}–{last}).")
        return (f"{subject_zh}：受支持企业不足，无法估计对{outcome_label(result.outcome)}的效果"
                f"（受支持企业{result.treated:,}家，{first}–{last}年）。")
    size = abs(percent(result.att) or 0.0)
    low, high = _pct(result.ci_low), _pct(result.ci_high)
    if lang == "en":
        more = "more" if result.att >= 0 else "less"
        text = (f"{subject_en} afterwards grew their {OUTCOMES_EN[result.outcome]} by about "
                f"{size:.1f}% {more} on average (95% CI {low} to {high}), based on "
                f"{result.treated:,} supported and {result.controls:,} comparable firms "
                f"({first}–{last}).")
        if not result.significant:
            text += " The interval includes zero: no effect can be established."
        return text
    more = "多增长" if result.att >= 0 else "少增长"
    text = (f"{subject_zh}此后{outcome_label(result.outcome)}平均{more}约{size:.1f}%"
            f"（95%置信区间{low}–{high}），依据{result.treated:,}家受支持企业与"
            f"{result.controls:,}家可比企业（{first}–{last}年）。")
    if not result.significant:
        text += "区间包含0，尚不能认定有效果。"
    return text


def pre_trend_text(result: Evaluation, lang: str = "zh") -> str:
    """The pre-trend test in one sentence."""
    test = result.pre_trend
    if test is None:
        return WARNINGS_TEXT["no_pre_trend_test"][1 if lang == "en" else 0]
    if lang == "en":
        verdict = "no difference before support" if test.passed else \
            "supported firms already diverged before support"
        return (f"Pre-trend test (all pre-support effects zero): p = {test.p_value:.3f} "
                f"({test.df} comparisons): {verdict}.")
    verdict = "未发现支持前已有差异" if test.passed else \
        f"p<{ALPHA:g}，受支持企业在支持前已与可比企业走势不同"
    return (f"支持前走势检验（支持前各年差异均为0）：p={test.p_value:.3f}"
            f"（{test.df}项比较），{verdict}。")


def warning_texts(result: Evaluation, lang: str = "zh") -> list[str]:
    i = 1 if lang == "en" else 0
    return [WARNINGS_TEXT[w][i] for w in result.warnings if w in WARNINGS_TEXT]


def assumptions(lang: str = "zh") -> list[str]:
    i = 1 if lang == "en" else 0
    return [a[i] for a in ASSUMPTIONS]


def table_text(result: Evaluation) -> str:
    """The CLI's table: the summary, the figures, the caveats and the event study."""
    lines = [summary(result), ""]
    rows = [
        ("方法 / method", result.method),
        ("效果 / att (log)", "—" if result.att is None else f"{result.att:.4f}"),
        ("效果 / effect", _pct(result.att)),
        ("95%置信区间 / CI", f"{_pct(result.ci_low)} – {_pct(result.ci_high)}"),
        ("受支持企业 / treated", f"{result.treated:,}"),
        ("可比企业 / controls", f"{result.controls:,}"),
        ("年度 / years", f"{result.years[0]}–{result.years[1]}"),
        ("支持前走势 / pre-trend", pre_trend_text(result)),
    ]
    width = max(len(k) for k, _ in rows)
    lines += [f"{k.ljust(width)}  {v}" for k, v in rows]
    lines += [f"注意 / warning: {w}" for w in warning_texts(result)]
    if result.by_year:
        lines += ["", "相对支持年份  效果      95%置信区间 / relative year, effect, CI"]
        for e in result.by_year:
            lines.append(f"{e.relative_year:>+6d}        {_pct(e.estimate):>8}  "
                         f"{_pct(e.ci_low)} – {_pct(e.ci_high)}")
    return "\n".join(lines)
