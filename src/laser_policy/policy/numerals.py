"""Chinese numerals as the policy text numbers its chapters and measures (一 … 九十九)."""

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
