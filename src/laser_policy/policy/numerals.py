"""Chinese numerals as policy texts number their chapters and measures.

``to_numeral``/``from_numeral`` are the strict 一 … 九十九 of clause references;
``cn_to_int``/``int_to_cn`` read and write any numeral a document prints (to 999).
"""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"


def to_numeral(n: int) -> str:
    """The Chinese numeral of 1 ≤ n ≤ 99.

    >>> [to_numeral(n) for n in (1, 10, 11, 18, 20, 23)]
    ['一', '十', '十一', '十八', '二十', '二十三']
    """
    if not 1 <= n <= 99:
        raise ValueError(f"{n} is outside 1..99")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + ("" if ones == 0 else _DIGITS[ones])


_FROM = {to_numeral(n): n for n in range(1, 100)}


def from_numeral(text: str) -> int | None:
    """The number a Chinese numeral 一 … 九十九 stands for, or None.

    >>> from_numeral("十八"), from_numeral("二十三"), from_numeral("甲")
    (18, 23, None)
    """
    return _FROM.get(text.strip())


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100}


def cn_to_int(numeral: str) -> int:
    """A Chinese numeral (up to hundreds) or Arabic digits as an int.

    >>> cn_to_int("二十三"), cn_to_int("十七"), cn_to_int("一百零五"), cn_to_int("12")
    (23, 17, 105, 12)
    """
    if numeral.isdigit():
        return int(numeral)
    total, digit = 0, 0
    for char in numeral:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in _CN_UNITS:
            total += (digit or 1) * _CN_UNITS[char]
            digit = 0
        else:
            raise ValueError(f"not a Chinese numeral: {numeral!r}")
    return total + digit


def int_to_cn(number: int) -> str:
    """An int (1–999) as a Chinese numeral, the way documents write it.

    >>> int_to_cn(7), int_to_cn(10), int_to_cn(17), int_to_cn(23), int_to_cn(105)
    ('七', '十', '十七', '二十三', '一百零五')
    """
    hundreds, rest = divmod(number, 100)
    tens, ones = divmod(rest, 10)
    out = f"{_DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        out += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    elif hundreds and ones:
        out += "零"
    if ones:
        out += _DIGITS[ones]
    return out or "零"
