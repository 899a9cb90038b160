"""Synthetic Chinese company names, every one marked ``（示例）``.

Names follow the registered-name pattern 行政区划 + 字号 + 行业 + 组织形式 and are
drawn from made-up brand syllables, so they are not the names of real firms.
"""

from __future__ import annotations

import numpy as np

from laser_policy.contracts.cities import HUBEI_DIVISIONS

SYNTHETIC_MARK = "（示例）"

_SYLLABLES = (
    "华锐光睿德科创天宇恒泰源博信盛达聚芯微精迈拓瑞晶辰铭昊航远宏卓越凯杰嘉逸凌峰中楚"
    "鼎新腾昇弘诺领跃朗坤翔立帆启明谱曜炬旭炫致钧灏珑澜璟晟琪昱"
)

#: industry words by stage (the part of a name after the brand)
INDUSTRY_WORDS: dict[str, tuple[str, ...]] = {
    "MAT": ("光电材料", "晶体材料", "特种光纤", "新材料科技", "光子材料"),
    "CMP": ("光电器件", "精密光学", "光电子", "光子技术", "半导体科技", "光学科技"),
    "LSR": ("激光", "激光技术", "激光科技", "光子科技", "光电技术"),
    "EQP": ("激光装备", "智能装备", "激光智能制造", "激光设备", "精密机械", "数控科技"),
    "APP": ("医疗科技", "智能科技", "光电科技", "传感技术", "智能感知"),
    "USER": ("汽车零部件", "新能源科技", "重工机械", "船舶装备", "电池科技", "钢结构"),
}

_FORMS = ("有限公司", "有限公司", "有限公司", "有限责任公司", "科技有限公司")

#: short prefix used in names for each division / supplier city
_SHORT_PLACE = {
    "恩施土家族苗族自治州": "恩施", "神农架林区": "神农架",
}


def place_prefix(city: str) -> str:
    """``武汉市`` → ``武汉``; used as the 行政区划 part of a name."""
    if city in _SHORT_PLACE:
        return _SHORT_PLACE[city]
    return city[:-1] if city.endswith("市") else city


def mark(name: str) -> str:
    """Append the synthetic mark once."""
    return name if name.endswith(SYNTHETIC_MARK) else name + SYNTHETIC_MARK


def company_names(
    rng: np.random.Generator,
    cities: list[str],
    stages: list[str],
    taken: set[str],
    *,
    form: str | None = None,
) -> list[str]:
    """One unique synthetic name per (city, stage); ``taken`` is updated.

    Hubei firms are named after their city or, for one in five, after the province.
    """
    n = len(cities)
    syl = np.array(list(_SYLLABLES))
    picks = rng.integers(0, len(syl), (n, 3))
    use_place = rng.random(n) < 0.8
    word_pick = rng.integers(0, 1_000_000, n)
    form_pick = rng.integers(0, len(_FORMS), n)
    out: list[str] = []
    for i in range(n):
        words = INDUSTRY_WORDS[stages[i]]
        word = words[word_pick[i] % len(words)]
        end = form or _FORMS[form_pick[i]]
        in_hubei = cities[i] in HUBEI_DIVISIONS
        prefix = place_prefix(cities[i]) if use_place[i] or not in_hubei else "湖北"
        brand = syl[picks[i, 0]] + syl[picks[i, 1]]
        name = mark(prefix + brand + word + end)
        tries = 0
        while name in taken:  # a clash: a three-syllable brand, as registries require
            extra = syl[(picks[i, 2] + tries) % len(syl)]
            name = mark(prefix + brand + extra + word + end)
            tries += 1
            if tries >= len(syl):
                name = mark(f"{prefix}{brand}{word}{len(taken)}号{end}")
        taken.add(name)
        out.append(name)
    return out
