"""Synthetic unified social credit codes (GB 32100-2015) for sample enterprises.

The check characters come from ``laser_policy.contracts.uscc.make_uscc`` (the one
implementation); this module only invents organisation bodies and division codes.
"""

from __future__ import annotations

import numpy as np

from laser_policy.contracts.uscc import CHARSET, make_uscc

#: GB/T 2260 division codes used as positions 3-8 (Hubei divisions, and the provinces
#: out-of-province suppliers come from, by their main laser city)
DIVISION_CODES: dict[str, str] = {
    "武汉市": "420100", "黄石市": "420200", "十堰市": "420300", "宜昌市": "420500",
    "襄阳市": "420600", "鄂州市": "420700", "荆门市": "420800", "孝感市": "420900",
    "荆州市": "421000", "黄冈市": "421100", "咸宁市": "421200", "随州市": "421300",
    "恩施土家族苗族自治州": "422800", "仙桃市": "429004", "潜江市": "429005",
    "天门市": "429006", "神农架林区": "429021",
    "深圳市": "440300", "广州市": "440100", "东莞市": "441900", "佛山市": "440600",
    "苏州市": "320500", "南京市": "320100", "无锡市": "320200", "上海市": "310000",
    "北京市": "110000", "杭州市": "330100", "宁波市": "330200", "济南市": "370100",
    "青岛市": "370200", "福州市": "350100", "成都市": "510100", "西安市": "610100",
    "合肥市": "340100", "长春市": "220100", "天津市": "120000",
}


def random_codes(rng: np.random.Generator, cities: list[str], taken: set[str]) -> list[str]:
    """One new, unique enterprise code (authority 9, type 1) per city given."""
    alphabet = np.array(list(CHARSET))
    bodies = alphabet[rng.integers(0, len(CHARSET), (len(cities), 6))]
    out: list[str] = []
    for city, chars in zip(cities, bodies, strict=True):
        body = "MA" + "".join(chars)
        code = make_uscc("91" + DIVISION_CODES[city] + body)
        while code in taken:  # a clash: draw a new body
            body = "MA" + "".join(alphabet[rng.integers(0, len(CHARSET), 6)])
            code = make_uscc("91" + DIVISION_CODES[city] + body)
        taken.add(code)
        out.append(code)
    return out
