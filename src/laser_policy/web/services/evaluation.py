"""政策效果评估 Evaluation: one incentive's effect on one outcome, as the page shows it.

The estimate (:func:`laser_policy.evaluation.evaluate`) runs over the whole package —
it compares firms across the province, so only roles that see every enterprise see
it (``Scope.can_see_evaluation``). It is computed once per data snapshot, incentive
and outcome (the caller caches); the words are added per language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from laser_policy.errors import InputError
from laser_policy.evaluation import (
    INCENTIVES,
    OUTCOMES,
    Evaluation,
    evaluate,
    outcome_label,
    percent,
)
from laser_policy.evaluation.treatment import RULE_TABLES
from laser_policy.evaluation.wording import (
    OUTCOMES_EN,
    SUBJECTS,
    assumptions,
    pre_trend_text,
    summary,
    warning_texts,
)
from laser_policy.web.data import WebData

if TYPE_CHECKING:
    from laser_policy.policy.model import PolicyModel



def check_choice(incentive: str, outcome: str) -> None:
    """Raise :class:`InputError` (HTTP 400) for an incentive or outcome the page does not offer."""
    if incentive not in INCENTIVES:
        raise InputError(f"未知的奖补项目 / unknown incentive: {incentive}")
    if outcome not in OUTCOMES:
        raise InputError(f"不支持的评估指标 / unsupported outcome: {outcome}")


def compute(data: WebData, incentive: str, outcome: str,
            model: PolicyModel) -> Evaluation | str:
    """The evaluation, or the reason (Chinese first) why the data cannot carry one."""
    tables = {name: data.extra[name] for name in RULE_TABLES if name in data.extra}
    try:
        return evaluate(tables, incentive, outcome, model=model)
    except InputError as exc:
        return str(exc)


def choices(lang: str) -> dict[str, list[dict[str, str]]]:
    i = 1 if lang == "en" else 0
    return {
        "incentives": [{"id": k, "label": SUBJECTS[k][i]} for k in INCENTIVES],
        "outcomes": [{"id": k, "label": outcome_label(k) if i == 0 else OUTCOMES_EN[k]}
                     for k in OUTCOMES],
    }


def view(result: Evaluation | str, incentive: str, outcome: str, lang: str) -> dict[str, Any]:
    """The page's (and the JSON twin's) content: figures, sentences, caveats, assumptions."""
    base: dict[str, Any] = {"incentive": incentive, "outcome": outcome,
                            "assumptions": assumptions(lang), **choices(lang)}
    if isinstance(result, str):
        return {**base, "error": result, "result": None, "events": []}
    return {
        **base,
        "error": None,
        "result": result.to_dict(),
        "summary": summary(result, lang),
        "pre_trend": pre_trend_text(result, lang),
        "warnings": warning_texts(result, lang),
        "thin": result.thin,
        "events": [
            {"relative_year": e.relative_year, "estimate_pct": percent(e.estimate),
             "ci_low_pct": percent(e.ci_low), "ci_high_pct": percent(e.ci_high)}
            for e in result.by_year
        ],
    }
