"""How a target's status is judged: the rule, stated, with its settings.

These are settings of the monitoring method (not numbers of the policy), named
here once and printed with every status so that a reader can check the verdict.
"""

from __future__ import annotations

from dataclasses import dataclass

STATUS_ZH = {
    "met": "已达标",
    "missed": "未达标",
    "on_track": "进度正常",
    "at_risk": "存在风险",
    "off_track": "进度滞后",
    "monitored": "跟踪监测",
    "no_data": "暂无数据",
    "no_target": "无当年目标",
}


@dataclass(frozen=True)
class StatusRule:
    #: forecast probability of reaching the target at or above which it is on track
    on_track_probability: float = 0.6
    #: below on_track and at or above this: at risk; below: off track
    at_risk_probability: float = 0.3
    #: "approx" (左右) targets count as met within this relative tolerance below the value
    approx_tolerance: float = 0.05
    #: without a forecast, actual ≥ this share of the interim trajectory is on track
    trajectory_on_track_share: float = 0.95
    trajectory_at_risk_share: float = 0.85

    def describe_zh(self) -> str:
        return (
            f"已过目标年份：实际值达到目标（“左右”类目标允许低{self.approx_tolerance:.0%}）为已达标，否则未达标；"
            f"未到目标年份：预测达到目标的概率≥{self.on_track_probability:.0%}为进度正常，"
            f"≥{self.at_risk_probability:.0%}为存在风险，否则为进度滞后；无预测时按实际值与"
            f"进度轨迹之比（≥{self.trajectory_on_track_share:.0%}正常，"
            f"≥{self.trajectory_at_risk_share:.0%}风险）判断。"
        )

    def met(self, actual: float, target: float, comparison: str) -> bool:
        if comparison == "approx":
            return actual >= target * (1 - self.approx_tolerance)
        if comparison == "le":
            return actual <= target
        return actual >= target

    def from_probability(self, p: float) -> str:
        if p >= self.on_track_probability:
            return "on_track"
        if p >= self.at_risk_probability:
            return "at_risk"
        return "off_track"

    def from_trajectory(self, actual: float, trajectory: float) -> str:
        if trajectory <= 0:
            return "on_track"
        ratio = actual / trajectory
        if ratio >= self.trajectory_on_track_share:
            return "on_track"
        if ratio >= self.trajectory_at_risk_share:
            return "at_risk"
        return "off_track"
