"""Unified social credit codes (统一社会信用代码), GB 32100-2015.

Layout of the 18 characters::

    1      registration authority (登记管理部门代码)        e.g. 9 = 市场监管（工商）
    2      organisation type (机构类别代码)                 e.g. 1 = 企业
    3-8    administrative division (登记管理机关行政区划码)  6 digits, GB/T 2260
    9-17   organisation code (主体标识码), GB 11714: 8 characters + its check character
    18     check character (校验码)

The charset is ``0-9A-HJ-NPQRTUWXY`` (31 characters: no I, O, S, V, Z). Position 17
is the GB 11714 check (weights 3,7,9,10,5,8,4,2, modulus 11, ``X`` for 10);
position 18 the GB 32100 check (weights 3^(i-1) mod 31, modulus 31).

``check_uscc`` returns rule ids (``uscc.*``); ``laser_policy.contracts.messages``
holds their Chinese and English texts.

>>> make_uscc("91420100MA4K0000")
'91420100MA4K00002Y'
>>> is_valid_uscc("91350100M000100Y43")   # the example of GB 32100-2015
True
>>> check_uscc("91350100M000100Y44")
['uscc.check_character']
"""

from __future__ import annotations

import math
import re

import numpy as np
import numpy.typing as npt

#: the 31 characters of GB 32100-2015, in the order of their values 0..30
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(CHARSET)}
#: GB 32100 weights for positions 1..17: 3^(i-1) mod 31
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
#: GB 11714 weights for the 8 characters of the organisation code body
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

#: organisation types allowed for each registration authority (GB 32100-2015 table 1
#: and its later additions); an authority mapped to ``None`` accepts any type 1-9.
AUTHORITY_TYPES: dict[str, str | None] = {
    "1": "1239",     # 机构编制: 机关, 事业单位, 编办直管群众团体, 其他
    "2": "19",       # 外交: 外国常驻新闻机构, 其他
    "3": "1234569",  # 司法行政: 律师事务所, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
    "4": "19",       # 文化: 外国在华文化中心, 其他
    "5": "1239",     # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": "129",      # 旅游: 外国旅游部门常驻代表机构, 港澳台地区旅游部门常驻内地代表机构, 其他
    "7": "129",      # 宗教: 宗教活动场所, 宗教院校, 其他
    "8": "19",       # 工会: 基层工会, 其他
    "9": "123",      # 工商（市场监管）: 企业, 个体工商户, 农民专业合作社
    "A": "19",       # 中央军委改革和编制办公室: 军队事业单位, 其他
    "N": "12349",    # 农业: 组级/村级/乡镇级/县级集体经济组织, 其他
    "Y": "1",        # 其他
}

_CODE_RE = re.compile(f"[{CHARSET}]{{18}}")
_FULLWIDTH_RE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000]")


def _org_check(body8: str) -> str:
    """GB 11714 check character for the 8-character organisation code body.

    >>> _org_check("M000100Y")
    '4'
    """
    total = sum(_char36(c) * w for c, w in zip(body8, ORG_WEIGHTS, strict=True))
    c9 = 11 - total % 11
    if c9 == 10:
        return "X"
    if c9 == 11:
        return "0"
    return str(c9)


def _char36(c: str) -> int:
    return int(c) if c.isdigit() else ord(c) - ord("A") + 10


def check_character(body17: str) -> str:
    """GB 32100 check character (position 18) for the first 17 characters.

    >>> check_character("91350100M000100Y4")
    '3'
    """
    total = sum(_VALUE[c] * w for c, w in zip(body17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def make_uscc(body: str) -> str:
    """A valid code from its first 16 characters (both check characters added).

    ``body`` is authority + type + 6-digit division + 8-character organisation code
    body, all from ``CHARSET``. 17 characters are accepted too when the 17th is the
    correct GB 11714 check character. Raises ``ValueError`` otherwise.

    >>> make_uscc("91420100MA4K0000")
    '91420100MA4K00002Y'
    >>> is_valid_uscc(make_uscc("Y1420100MA4K0000"))
    True
    """
    if len(body) not in (16, 17) or any(c not in _VALUE for c in body):
        raise ValueError(f"body must be 16 characters of {CHARSET}: {body!r}")
    org = _org_check(body[8:16])
    if len(body) == 17 and body[16] != org:
        raise ValueError(f"position 17 must be the GB 11714 check character {org!r}: {body!r}")
    head = body[:16] + org
    code = head + check_character(head)
    problems = check_uscc(code)
    if problems:
        raise ValueError(f"not a valid code body ({', '.join(problems)}): {body!r}")
    return code


def check_uscc(value: object) -> list[str]:
    """Rule ids of everything wrong with ``value`` as a credit code; empty when valid.

    Spaces, lower case and full-width characters are reported by their own rules,
    then the rest is checked on the code with those fixed, so that a code whose
    only fault is a trailing space says exactly that.

    >>> check_uscc("91420100MA4K00002Y")
    []
    >>> check_uscc(" 91420100ma4k00002Y")
    ['uscc.space', 'uscc.lowercase']
    >>> check_uscc("9142010")
    ['uscc.length']
    >>> check_uscc("91420100MA4K00001Y")
    ['uscc.org_check', 'uscc.check_character']
    >>> check_uscc("X1420100MA4K00002Y")
    ['uscc.authority', 'uscc.check_character']
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ["uscc.missing"]
    text = str(value)
    problems: list[str] = []
    if any(c.isspace() for c in text):
        problems.append("uscc.space")
    if _FULLWIDTH_RE.search(text):
        problems.append("uscc.fullwidth")
        text = "".join(
            chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c for c in text
        )
    if any(c.islower() for c in text):
        problems.append("uscc.lowercase")
    code = "".join(text.split()).upper()
    if not code:
        return ["uscc.missing"]
    if len(code) != 18:
        problems.append("uscc.length")
        return problems
    if not _CODE_RE.fullmatch(code):
        problems.append("uscc.charset")
        return problems
    return problems + _structure(code)


def _structure(code: str) -> list[str]:
    problems: list[str] = []
    authority, kind = code[0], code[1]
    if authority not in AUTHORITY_TYPES:
        problems.append("uscc.authority")
    else:
        kinds = AUTHORITY_TYPES[authority]
        if kinds is not None and kind not in kinds:
            problems.append("uscc.type")
    if not code[2:8].isdigit():
        problems.append("uscc.division")
    if _org_check(code[8:16]) != code[16]:
        problems.append("uscc.org_check")
    if check_character(code[:17]) != code[17]:
        problems.append("uscc.check_character")
    return problems


def is_valid_uscc(value: object) -> bool:
    """True when ``value`` is exactly a valid code (upper case, no spaces).

    >>> is_valid_uscc("91420100MA4K00002Y"), is_valid_uscc("91420100ma4k00002y")
    (True, False)
    """
    return not check_uscc(value)


def canonical_uscc(value: str) -> str:
    """The code with spaces removed, full-width folded and upper-cased (not validated).

    >>> canonical_uscc(" 91420100ma4k00002y ")
    '91420100MA4K00002Y'
    """
    text = "".join(chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c for c in value)
    return "".join(text.split()).upper()


_LUT = np.full(256, -1, dtype=np.int64)
for _i, _c in enumerate(CHARSET):
    _LUT[ord(_c)] = _i
_W32100 = np.array(WEIGHTS, dtype=np.int64)
_W11714 = np.array(ORG_WEIGHTS, dtype=np.int64)
_ORG_CHECK = np.frombuffer(b"0123456789X0", dtype=np.uint8)  # index 11 - sum % 11


def valid_mask(values: npt.NDArray[np.object_]) -> npt.NDArray[np.bool_]:
    """Vectorised ``is_valid_uscc`` for an array of strings (a million codes in ~1 s).

    >>> valid_mask(np.array(["91350100M000100Y43", "91350100M000100Y44", "x"], dtype=object))
    array([ True, False, False])
    """
    out = np.zeros(len(values), dtype=bool)
    if len(values) == 0:
        return out
    lengths = np.fromiter((len(v) if isinstance(v, str) else 0 for v in values), np.int64,
                          count=len(values))
    idx = np.flatnonzero(lengths == 18)
    if len(idx) == 0:
        return out
    raw = np.array([v.encode("utf-8", "replace")[:18].ljust(18, b"\0") for v in values[idx]],
                   dtype="S18")
    codes = raw.view(np.uint8).reshape(-1, 18)
    vals = _LUT[codes]
    ok = (vals >= 0).all(axis=1)
    ok &= np.isin(codes[:, 0], np.frombuffer("".join(AUTHORITY_TYPES).encode(), np.uint8))
    for authority, kinds in AUTHORITY_TYPES.items():
        if kinds is not None:
            rows = codes[:, 0] == ord(authority)
            ok[rows] &= np.isin(codes[rows, 1], np.frombuffer(kinds.encode(), np.uint8))
    ok &= ((codes[:, 2:8] >= ord("0")) & (codes[:, 2:8] <= ord("9"))).all(axis=1)
    org = codes[:, 8:16].astype(np.int64)
    org36 = np.where(org <= ord("9"), org - ord("0"), org - ord("A") + 10)
    org_check = _ORG_CHECK[11 - (org36 @ _W11714) % 11]
    ok &= org_check == codes[:, 16]
    final = (31 - (np.where(vals[:, :17] < 0, 0, vals[:, :17]) @ _W32100) % 31) % 31
    ok &= final == vals[:, 17]
    out[idx] = ok
    return out
