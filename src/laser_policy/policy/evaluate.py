"""Scoring the parser against hand-read gold files (a development corpus of the genre).

A corpus folder holds ``NAME.txt`` documents with ``NAME.gold.json`` beside them:
``{"doc_number", "title", "measures": [{"number", "title", "lead_units",
"responsible_units", "uncertain"?}]}``. Parsed measures are compared with the gold
ones in document order. The score of a document is the share of gold measures not
marked ``uncertain`` whose lead and responsible units are exactly the gold lists,
whether the measure count is right, and whether number and title are the gold's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from laser_policy.errors import DocumentError
from laser_policy.policy.parse import parse_document


@dataclass(frozen=True)
class DocumentScore:
    name: str
    gold_measures: int
    parsed_measures: int
    certain: int
    exact: int
    misses: tuple[str, ...] = ()
    number_ok: bool = True
    title_ok: bool = True

    @property
    def count_ok(self) -> bool:
        return self.gold_measures == self.parsed_measures


def score_document(text: Path, gold: dict[str, Any]) -> DocumentScore:
    """The score of one document against its gold."""
    try:
        parsed = parse_document(text).to_dict()
    except DocumentError:
        parsed = {"doc_number": None, "title": None, "measures": []}
    measures = parsed["measures"]
    certain = exact = 0
    misses: list[str] = []
    for i, g in enumerate(gold["measures"]):
        if g.get("uncertain"):
            continue
        certain += 1
        got = measures[i] if i < len(measures) else None
        if (
            got is not None
            and got["lead_units"] == g["lead_units"]
            and got["responsible_units"] == g["responsible_units"]
        ):
            exact += 1
        else:
            lead = got["lead_units"] if got else None
            resp = got["responsible_units"] if got else None
            misses.append(
                f"{g['number']}: gold {g['lead_units']} / {g['responsible_units']}"
                f" — got {lead} / {resp}"
            )
    return DocumentScore(
        text.stem, len(gold["measures"]), len(measures), certain, exact, tuple(misses),
        number_ok=parsed["doc_number"] == gold.get("doc_number"),
        title_ok=parsed["title"] == gold.get("title"),
    )


def score_corpus(folder: Path) -> list[DocumentScore]:
    """Scores of every ``*.txt`` with a ``*.gold.json`` in ``folder``, by name."""
    scores = []
    for gold_path in sorted(folder.glob("*.gold.json")):
        text = gold_path.with_name(gold_path.name.removesuffix(".gold.json") + ".txt")
        gold = json.loads(gold_path.read_text("utf-8"))
        scores.append(score_document(text, gold))
    return scores


def render_scores(scores: list[DocumentScore], *, misses: bool = False) -> str:
    """A plain-text table of the scores and the corpus totals."""
    lines = [f"{'document':40} {'count':>11} {'exact units':>14}  number title"]
    for s in scores:
        count = f"{s.parsed_measures}/{s.gold_measures}" + ("" if s.count_ok else " ✗")
        lines.append(f"{s.name:40} {count:>11} {s.exact:>6}/{s.certain:<3} "
                     f"{(100 * s.exact / s.certain if s.certain else 100):5.1f}%  "
                     f"{'ok' if s.number_ok else '✗':>6} {'ok' if s.title_ok else '✗':>5}")
        if misses:
            lines += [f"    {m}" for m in s.misses]
    certain = sum(s.certain for s in scores)
    exact = sum(s.exact for s in scores)
    counts = sum(s.count_ok for s in scores)
    numbers = sum(s.number_ok for s in scores)
    titles = sum(s.title_ok for s in scores)
    lines.append(
        f"{'TOTAL':40} {counts:>5}/{len(scores)} ok {exact:>6}/{certain:<3} "
        f"{(100 * exact / certain if certain else 100):5.1f}%  {numbers:>3}/{len(scores)} "
        f"{titles:>2}/{len(scores)}"
    )
    return "\n".join(lines)
