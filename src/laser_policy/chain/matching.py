"""整零对接 — rank local suppliers' offers for a demand, or buyers' demands for an offer.

Text: jieba (search mode) with a laser-terms dictionary shipped in this package
(``laser_dict.txt``: 光纤激光器, 激光切割头, 非线性光学晶体 …), stop words removed.
Ranking: BM25 (``bm25s``) over each posting's title and text, normalised to the
best hit, plus boosts (``MatchWeights``) for the same chain segment (given, or
inferred from the query's keywords), the same city, and the poster's
transaction history in that segment (a supplier's sales, or a buyer's
purchases). ``strict`` turns the segment and city into filters. Every hit says
why: the shared terms, the segment, the city and the history.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from laser_policy.chain.mapping import infer_segment, keywords
from laser_policy.chain.source import ChainData, canonical_segment
from laser_policy.chain.taxonomy import by_code, resolve
from laser_policy.errors import InputError, UsageError
from laser_policy.policy.region import Region

STOP_WORDS = frozenset(
    [
        "的", "了", "和", "与", "及", "或", "等", "为", "对", "在",
        "是", "有", "用于", "用", "需", "需要", "需求", "要求", "采购", "寻求",
        "寻找", "提供", "供应", "供给", "我司", "公司", "企业", "本公司", "一批", "相关",
        "以及", "可", "能", "年", "月", "批量", "长期", "合作", "欢迎", "联系",
        "产品", "服务", "我们", "进行", "具有", "主要", "包括", "优质", "专业", "光器",
    ]
)
_WORD = re.compile(r"[\w\u4e00-\u9fff]")


@dataclass(frozen=True)
class MatchWeights:
    """How much each kind of evidence adds to the normalised BM25 score (which is ≤ 1)."""

    segment: float = 0.5
    inferred_segment: float = 0.25
    city: float = 0.15
    history: float = 0.2


@cache
def _tokenizer() -> Any:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    path = resources.files("laser_policy.chain").joinpath("laser_dict.txt")
    with resources.as_file(path) as p:
        tok.load_userdict(str(p))
    for words in keywords().values():
        for word in words:
            if " " not in word:
                tok.add_word(word, freq=20000 if len(word) > 2 else 5000)
    return tok


def tokenize(text: str) -> list[str]:
    """Search-mode tokens of ``text``, lower-cased, without stop words and one-character noise.

    >>> tokenize("采购高功率激光切割头")[:3]
    ['高', '功率', '激光']
    """
    out = []
    for token in _tokenizer().cut_for_search(text or ""):
        t = token.strip().lower()
        if not t or t in STOP_WORDS or not _WORD.search(t):
            continue
        if len(t) == 1 and not t.isascii() and t not in {"高"}:
            continue
        out.append(t)
    return out


@dataclass
class Query:
    text: str
    segment: str | None = None
    city: str | None = None
    strict: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Hit:
    rank: int
    id: str
    uscc: str
    name: str | None
    title: str
    segment: str | None
    city: str | None
    score: float
    bm25: float
    shared_terms: list[str] = field(default_factory=list)
    history_wan: float = 0.0
    reason_zh: str = ""

    def to_row(self) -> dict[str, Any]:
        row = asdict(self)
        row["shared_terms"] = "、".join(self.shared_terms)
        return row


class Matcher:
    """A BM25 index over postings (offers or demands) with the evidence to boost them."""

    def __init__(self, postings: pd.DataFrame, history: dict[tuple[str, str], float] | None = None,
                 weights: MatchWeights | None = None, side: str = "offers", *,
                 region: Region) -> None:
        import bm25s

        self.side = side
        self.region = region
        self.weights = weights or MatchWeights()
        self.postings = postings.reset_index(drop=True)
        docs = [f"{t} {x}" for t, x in zip(self.postings["title"].fillna(""),
                                           self.postings["text"].fillna(""), strict=True)]
        self.doc_tokens = [tokenize(d) for d in docs]
        self.retriever = bm25s.BM25()
        self.retriever.index([t or [""] for t in self.doc_tokens], show_progress=False)
        self.vocab: dict[str, int] = dict(self.retriever.vocab_dict)
        self.segments = self.postings["segment"].astype(object).to_numpy()
        self.cities = self.postings["city"].astype(object).to_numpy()
        hist = history or {}
        self.history = np.array(
            [hist.get((str(u), str(s)), 0.0) for u, s in zip(self.postings["uscc"],
                                                              self.segments, strict=True)],
            dtype=float,
        )
        top = float(self.history.max()) if len(self.history) else 0.0
        self.history_norm = np.log1p(self.history) / math.log1p(top) if top > 0 else \
            np.zeros(len(self.history))

    def __len__(self) -> int:
        return len(self.postings)

    def search(self, query: Query, top: int = 10) -> list[Hit]:
        """The best ``top`` postings for ``query``, each with its reason."""
        if top < 1:
            raise UsageError("--top 必须为正整数 / --top must be positive")
        seg = resolve(query.segment) if query.segment else None
        if query.segment and seg is None:
            raise UsageError(f"未知的产业链环节 / unknown segment {query.segment!r}")
        city = self.region.normalise_city(query.city) or query.city.strip() if query.city else None
        inferred = None if seg else infer_segment(query.text)
        q_tokens = [t for t in dict.fromkeys(tokenize(query.text)) if t in self.vocab]
        n = len(self.postings)
        if n == 0:
            return []
        bm = self.retriever.get_scores(q_tokens) if q_tokens else np.zeros(n)
        best = float(bm.max()) if n else 0.0
        text = bm / best if best > 0 else np.zeros(n)
        w = self.weights
        same_seg = self.segments == (seg or inferred or "\0")
        same_city = self.cities == (city or "\0")
        score = text + (w.segment if seg else w.inferred_segment) * same_seg + w.city * same_city
        relevant = (text > 0) | (same_seg if seg else np.zeros(n, dtype=bool))
        score = score + w.history * self.history_norm * relevant
        mask = relevant.copy()
        if query.strict:
            if seg:
                mask &= same_seg
            if city:
                mask &= same_city
        score = np.where(mask, score, -np.inf)
        k = min(top, int(mask.sum()))
        if k == 0:
            return []
        idx = np.argpartition(-score, k - 1)[:k]
        idx = idx[np.lexsort((idx, -score[idx]))]
        q_set = set(q_tokens)
        hits = []
        for rank, i in enumerate(idx, start=1):
            row = self.postings.iloc[int(i)]
            shared = sorted(q_set & set(self.doc_tokens[i]), key=lambda t: (-len(t), t))[:6]
            hits.append(Hit(
                rank=rank, id=str(row["id"]), uscc=str(row["uscc"]), name=_s(row.get("name")),
                title=str(row["title"]), segment=_s(row["segment"]), city=_s(row["city"]),
                score=round(float(score[i]), 6), bm25=round(float(bm[i]), 6),
                shared_terms=shared, history_wan=float(self.history[i]),
                reason_zh=self._reason(shared=shared, same_seg=bool(same_seg[i]),
                                       seg=seg or inferred, inferred=seg is None,
                                       same_city=bool(same_city[i]),
                                       history=float(self.history[i])),
            ))
        return hits

    def _reason(self, *, shared: list[str], same_seg: bool, seg: str | None, inferred: bool,
                same_city: bool, history: float) -> str:
        parts = []
        if shared:
            parts.append("共同关键词：" + "、".join(shared))
        if same_seg and seg:
            name = by_code().get(seg)
            label = f"{seg} {name.name_zh}" if name else seg
            parts.append(("同属环节（由需求文字推断）" if inferred else "同属环节") + label)
        if same_city:
            parts.append("同在本市州")
        if history > 0:
            verb = "历史供货" if self.side == "offers" else "历史采购"
            parts.append(f"该环节{verb}{history:,.0f}万元")
        return "；".join(parts) or "无"


def _s(value: object) -> str | None:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def postings_frame(data: ChainData, side: str) -> pd.DataFrame:
    """Offers of Hubei firms (side ``offers``) or demands (side ``demands``), with firm names."""
    if side not in ("offers", "demands"):
        raise UsageError(f"side must be offers or demands, got {side!r}")
    df = data.table(side)
    if df.empty:
        raise InputError(f"{data.source}: 缺少{('供给' if side == 'offers' else '需求')}表 / "
                         f"no {side} table ({side}.csv)")
    df = df.copy()
    for col in ("id", "uscc", "title", "text", "segment", "city"):
        if col not in df.columns:
            df[col] = None
    df["uscc"] = df["uscc"].astype("string").str.strip().str.upper()
    df["segment"] = [resolve(str(s)) if isinstance(s, str) else None for s in df["segment"]]
    e = data.enterprises.drop_duplicates("uscc").set_index("uscc")
    df["name"] = df["uscc"].map(e["name"])
    df["city"] = [data.region.normalise_city(str(c)) or str(c) if isinstance(c, str) and c.strip()
                  else None for c in df["city"]]
    df["city"] = df["city"].fillna(df["uscc"].map(e["city"]))
    if side == "offers":
        df = df[df["uscc"].map(e["province"]) == data.region.province]
    return df.reset_index(drop=True)


def history_by_firm(data: ChainData, side: str) -> dict[tuple[str, str], float]:
    """Sales (side offers: as supplier) or purchases (side demands: as buyer) by firm, segment."""
    t = data.transactions
    col = "supplier_uscc" if side == "offers" else "buyer_uscc"
    expr = t.filter(t[col].notnull()).group_by(col, "segment").aggregate(
        amount_wan=t.amount_wan.sum())
    df = data.execute(expr)
    out: dict[tuple[str, str], float] = {}
    for u, s, a in zip(df[col], df["segment"].map(canonical_segment), df["amount_wan"],
                       strict=True):
        out[(str(u), str(s))] = out.get((str(u), str(s)), 0.0) + float(a)
    return out


def build_matcher(data: ChainData, side: str = "offers",
                  weights: MatchWeights | None = None) -> Matcher:
    """A matcher over the package's offers (for a demand) or demands (for an offer)."""
    return Matcher(postings_frame(data, side), history_by_firm(data, side), weights, side,
                   region=data.region)
