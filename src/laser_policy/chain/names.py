"""Firm names matched robustly: legal forms, place prefixes and brackets removed.

Two records name the same firm when their unified social credit codes agree;
only when a code is missing does the normalised name decide.
"""

from __future__ import annotations

import re
import unicodedata

from laser_policy.contracts.cities import HUBEI_DIVISIONS

#: longest first, so 股份有限公司 is removed before 有限公司
LEGAL_FORMS: tuple[str, ...] = (
    "集团股份有限公司", "集团有限责任公司", "集团有限公司", "股份有限公司", "有限责任公司",
    "股份公司", "有限公司", "集团公司", "集团", "公司",
)

PROVINCES: tuple[str, ...] = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江",
    "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州",
    "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港",
    "澳门",
)

#: cities often written before a firm's name (Hubei's divisions and large cities elsewhere)
CITIES: tuple[str, ...] = (
    *(d.removesuffix("市").removesuffix("土家族苗族自治州").removesuffix("林区")
      for d in HUBEI_DIVISIONS),
    "恩施州", "深圳", "广州", "苏州", "南京", "杭州", "宁波", "无锡", "长沙", "成都", "西安",
    "合肥", "济南", "青岛", "郑州", "福州", "厦门", "东莞", "佛山", "长春", "沈阳", "大连",
    "哈尔滨", "昆明", "南昌", "石家庄", "太原", "南宁", "贵阳", "兰州", "烟台", "常州", "珠海",
)

_SUFFIX = ("省", "市", "自治区", "特别行政区", "壮族自治区", "回族自治区", "维吾尔自治区", "")
_PLACES = sorted(
    {p + s for p in PROVINCES for s in _SUFFIX} | {c + s for c in CITIES for s in ("市", "")},
    key=len,
    reverse=True,
)
_PLACE_RE = re.compile("^(?:" + "|".join(re.escape(p) for p in _PLACES if p) + ")")
_BRACKETS_RE = re.compile(r"[(\[【〔][^)\]】〕]*[)\]】〕]")
_SPACE_RE = re.compile(r"[\s·•.,\-_/]+")


def normalise_name(name: str) -> str:
    """The core of a firm's name, for matching.

    >>> normalise_name("湖北华光激光股份有限公司（示例）")
    '华光激光'
    >>> normalise_name("武汉市 华光激光有限责任公司")
    '华光激光'
    >>> normalise_name("华光激光(武汉)有限公司")
    '华光激光'
    """
    text = unicodedata.normalize("NFKC", name).strip()
    text = _BRACKETS_RE.sub("", text)
    text = _SPACE_RE.sub("", text)
    changed = True
    while changed:
        changed = False
        for form in LEGAL_FORMS:
            if text.endswith(form) and len(text) > len(form):
                text = text[: -len(form)]
                changed = True
                break
    # place prefixes may be stacked: 湖北省武汉市…
    for _ in range(3):
        stripped = _PLACE_RE.sub("", text)
        if stripped == text or not stripped:
            break
        text = stripped
    return text


def firm_key(name: object, uscc: object = None) -> str:
    """The identity of a firm: ``uscc:<code>`` when a code is present, else ``name:<core>``.

    >>> firm_key("湖北华光激光有限公司", "91420100MA4K0000X1")
    'uscc:91420100MA4K0000X1'
    >>> firm_key("湖北华光激光有限公司") == firm_key("华光激光股份有限公司（示例）")
    True
    """
    if isinstance(uscc, str) and uscc.strip():
        return "uscc:" + uscc.strip().upper()
    return "name:" + normalise_name(name if isinstance(name, str) else "")
