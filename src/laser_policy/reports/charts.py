"""Charts for the report, drawn with matplotlib in a CJK font (Noto Sans CJK from Debian)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK TC", "WenQuanYi Zen Hei",
             "Droid Sans Fallback"]


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["font.sans-serif"] = [*CJK_FONTS, "DejaVu Sans"]
    plt.rcParams["font.family"] = "sans-serif"
    plt.rcParams["axes.unicode_minus"] = False
    return plt


def scale_chart(rows: pd.DataFrame, out: Path) -> Path:
    """Industry scale: actual, target and forecast with its interval (亿元)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 3.4), dpi=150)
    r = rows.sort_values("year")
    actual = r.dropna(subset=["actual"])
    ax.bar(actual["year"], actual["actual"], color="#2f6fb3", label="实际")
    target = r.dropna(subset=["target"])
    ax.plot(target["year"], target["target"], "o--", color="#c0392b", label="目标")
    fc = r.dropna(subset=["forecast"])
    if not fc.empty:
        ax.errorbar(fc["year"], fc["forecast"],
                    yerr=[fc["forecast"] - fc["forecast_lower"],
                          fc["forecast_upper"] - fc["forecast"]],
                    fmt="s", color="#27ae60", capsize=4, label="预测（80%区间）")
    ax.set_title("全省激光产业规模（亿元）")
    ax.set_xticks(list(r["year"]))
    ax.legend(loc="upper left", fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)
    return out


def city_chart(by_city: list[dict[str, object]], out: Path) -> Path:
    """Laser revenue by city (亿元), largest first."""
    plt = _pyplot()
    frame = pd.DataFrame(by_city).head(10)
    fig, ax = plt.subplots(figsize=(6.4, 3.2), dpi=150)
    ax.barh(frame["group"].astype(str)[::-1], frame["actual_yi"].astype(float)[::-1],
            color="#2f6fb3")
    ax.set_title("各市州激光业务收入（亿元）")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)
    return out
