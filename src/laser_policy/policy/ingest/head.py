"""The head of a document: its number and title, among notices, web furniture and copies.

- The number is one printed on its own (a line that starts with it), not one cited in
  running text (``根据《…》（昆政发〔2016〕13号）``).
- The title is a short line without sentence punctuation ending with a word of the
  genre (意见, 措施, 方案, 要点, 通知…), perhaps printed over two lines. When a
  notice carries an attached plan (印发…的通知, then the plan's own title), the last
  such title before the first numbered item is the plan's: the document that holds
  the measures.
"""

from __future__ import annotations

import re

from laser_policy.policy.text import DOC_NUMBER_RE

GENRE_ENDINGS = (
    "意见", "措施", "举措", "方案", "要点", "通知", "办法", "规划", "计划", "清单", "细则",
    "决定", "分解", "事项", "规定", "纲要", "政策", "行动", "指引", "条例",
)
_ENDING_RE = re.compile(f"(?:{'|'.join(GENRE_ENDINGS)})(?:（[^（）]{{1,20}}）)*$")
_SENTENCE_RE = re.compile(r"[。，；：！？,;:!?]")
_BRACKET_ONLY_RE = re.compile(r"^[（(][^（）()]*[)）]$")


#: a web page's information table: 文号：X / 发文字号 X
_LABELLED_NUMBER_RE = re.compile(r"(?:发文字号|文\s*号|发文序号)\s*[:：]?\s*")


def find_doc_number(paragraphs: list[str]) -> str | None:
    """The first document number printed at the start of a line or after a 文号 label."""
    for paragraph in paragraphs:
        m = DOC_NUMBER_RE.match(paragraph.strip("（()） "))
        if m is None:
            label = _LABELLED_NUMBER_RE.search(paragraph)
            m = DOC_NUMBER_RE.match(paragraph, label.end()) if label else None
        if m:
            return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号"
    return None


_DATE_RE = re.compile(
    r"^(?:(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})\s*年.{1,3}月.{1,3}日$|^(?:19|20)\d{2}-\d{2}-\d{2}"
)


def _title_like(line: str) -> bool:
    return 6 <= len(line) <= 90 and not _SENTENCE_RE.search(line) and not _DATE_RE.match(line)


def find_title(paragraphs: list[str]) -> str | None:
    """The title of the document that carries the measures, or None."""
    found: str | None = None
    for i, line in enumerate(paragraphs):
        bare = DOC_NUMBER_RE.sub("", line).strip()
        if bare.startswith("《") and bare.endswith("》") and bare.count("《") == 1:
            bare = bare[1:-1]  # a web copy's title in book-title marks
        if not _title_like(bare) or _BRACKET_ONLY_RE.match(bare):
            continue
        if _ENDING_RE.search(bare):
            found = bare
            continue
        nxt = paragraphs[i + 1] if i + 1 < len(paragraphs) else ""
        if _title_like(nxt) and _ENDING_RE.search(nxt) and len(bare) + len(nxt) <= 90:
            found = bare + nxt  # a title printed over two lines
            paragraphs_after = paragraphs[i + 2 :]
            rest = find_title(paragraphs_after)
            return rest or found
    return found
