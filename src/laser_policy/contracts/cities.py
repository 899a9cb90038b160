"""Hubei's 17 prefecture-level divisions (13 地级市, 1 自治州, 3 省直管县级行政单位 and 神农架林区).

Short forms are normalised to the full name (``武汉`` → ``武汉市``).
"""

from __future__ import annotations

HUBEI = "湖北省"

HUBEI_DIVISIONS: tuple[str, ...] = (
    "武汉市", "黄石市", "十堰市", "宜昌市", "襄阳市", "鄂州市", "荆门市", "孝感市",
    "荆州市", "黄冈市", "咸宁市", "随州市", "恩施土家族苗族自治州", "仙桃市", "潜江市",
    "天门市", "神农架林区",
)

_SHORT: dict[str, str] = {}
for _full in HUBEI_DIVISIONS:
    _SHORT[_full] = _full
    for _suffix in ("土家族苗族自治州", "林区", "市"):
        if _full.endswith(_suffix):
            _SHORT[_full[: -len(_suffix)]] = _full
            break
_SHORT["恩施州"] = "恩施土家族苗族自治州"
_SHORT["恩施自治州"] = "恩施土家族苗族自治州"


def normalise_city(value: str) -> str | None:
    """The full name of a Hubei division, or None when it is not one.

    >>> normalise_city("武汉")
    '武汉市'
    >>> normalise_city("恩施州")
    '恩施土家族苗族自治州'
    >>> normalise_city("长沙市") is None
    True
    """
    return _SHORT.get(value.strip())
