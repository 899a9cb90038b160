"""A document's numbered outline: chapters, groups and items under every numbering.

Marker styles (一、 （一） 1. （1） 1、 第一条 …) are nested in the order the
document opens them: a style already open closes back to its level (a sibling),
a new one opens a level below (a child). A marker is taken only when its number
follows: a sibling is the previous number plus one, a child starts at 1 or runs
on from the last number of its style (numbering continuous across groups).
Anything else (a cross-reference, a page marker) stays text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from laser_policy.policy.numerals import cn_to_int

_CN = "一二三四五六七八九十百零〇两"
#: marker styles, most senior first: (name, pattern); the number is group 1
STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("part", re.compile(rf"^第([{_CN}\d]+)[章部分]+\s*")),
    ("cn", re.compile(rf"^([{_CN}]+)\s*[、．.]\s*")),
    ("paren_cn", re.compile(rf"^[（(]\s*([{_CN}]+)\s*[)）]\s*")),
    ("article", re.compile(rf"^第([{_CN}\d]+)条\s*")),
    ("dot", re.compile(r"^(\d{1,3})\s*[.．](?!\d)\s*")),
    ("dun", re.compile(r"^(\d{1,3})\s*、\s*")),
    ("paren_num", re.compile(r"^[（(]\s*(\d{1,3})\s*[)）]\s*")),
    ("circled", re.compile(r"^([①-⑳])\s*")),
)
#: inline markers that may start a heading in running text (after a full stop or a bracket)
_INLINE_RE = re.compile(
    rf"(?<=[。！？；）)])\s*(?=[{_CN}]{{1,3}}、|[（(][{_CN}]{{1,3}}[)）]|\d{{1,2}}[.．](?!\d))"
    rf"|(?<=[\u4e00-\u9fff])(?<!第)(?=[（(][{_CN}]{{1,3}}[)）][\u4e00-\u9fff][^。，；：]{{1,40}}。)"
)


def numeral_value(text: str) -> int | None:
    """The value of a marker's number: Arabic, Chinese (一 … 九十九) or circled."""
    if text.isdigit():
        return int(text)
    if len(text) == 1 and "①" <= text <= "⑳":
        return ord(text) - ord("①") + 1
    try:
        return cn_to_int(text) or None
    except ValueError:
        return None


@dataclass(frozen=True)
class Marker:
    style: str
    number: int
    printed: str  # the marker as printed, e.g. "（三）", "12."
    rest: str


def marker(paragraph: str) -> Marker | None:
    """The numbering marker a paragraph starts with, if any."""
    for name, pattern in STYLES:
        m = pattern.match(paragraph)
        if m:
            number = numeral_value(m.group(1))
            if number is None:
                continue
            return Marker(name, number, m.group(0).strip(), paragraph[m.end() :])
    return None


def split_inline(paragraphs: list[str], min_length: int = 200) -> list[str]:
    """Split long run-on paragraphs before headings printed inline
    (``…制定本方案。一、加强支持（一）强化保障。…``)."""
    out: list[str] = []
    for paragraph in paragraphs:
        if len(paragraph) < min_length:
            out.append(paragraph)
            continue
        cuts = [m.start() for m in _INLINE_RE.finditer(paragraph) if m.start() > 0]
        pos = 0
        for cut in cuts:
            out.append(paragraph[pos:cut].strip())
            pos = cut
        out.append(paragraph[pos:].strip())
    return [p for p in out if p]


@dataclass
class Node:
    """A numbered item and everything under it until the next item."""

    marker: Marker
    parent: Node | None
    paragraphs: list[str] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)

    @property
    def depth(self) -> int:
        return 0 if self.parent is None else self.parent.depth + 1

    def path(self) -> list[str]:
        node: Node | None = self
        out: list[str] = []
        while node is not None:
            out.append(node.marker.printed)
            node = node.parent
        return out[::-1]

    def walk(self) -> list[Node]:
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out

    def full_text(self) -> list[str]:
        """Its own paragraphs, then its children's (marker included), in order."""
        out = list(self.paragraphs)
        for child in self.children:
            sub = child.full_text()
            if sub:
                sub[0] = child.marker.printed + sub[0]
            else:
                sub = [child.marker.printed]
            out.extend(sub)
        return out


@dataclass
class Outline:
    before: list[str]  # paragraphs before the first item
    roots: list[Node]

    def nodes(self) -> list[Node]:
        return [n for root in self.roots for n in root.walk()]


#: a line whose ideographic-space indent and bracketed number a one-byte-shifted GBK
#: decode garbled beyond repair (``?。ǘ┩…`` for ``　（二）…``)
GARBLED_MARKER_RE = re.compile(
    "^[?？]\\s*。.{0,3}?[\u3105-\u3129\u2500-\u257f\ufe50-\ufe6f\u01cd-\u01dc]"
    "[^\u2500-\u257f]{0,2}?[\u2500-\u257f]?"
)


def _garbled_marker(paragraph: str, stack: list[Node]) -> Marker | None:
    m = GARBLED_MARKER_RE.match(paragraph)
    if m is None or not stack or stack[-1].children:
        return None
    last = stack[-1].marker
    return Marker(last.style, last.number + 1, f"[{last.number + 1}?]", paragraph[m.end() :])


def build_outlines(paragraphs: list[str]) -> list[Outline]:
    """The outlines of a document's paragraphs: one per part.

    A new part starts where the most senior numbering starts again at 1 (a notice
    with its own 一、二、三、 and then the plan it issues, or an annex). Each part's
    ``before`` holds everything before it. A line whose number a broken encoding
    garbled is taken as the next item of the one before it; its ``printed`` number
    is ``[N?]`` to say it was guessed.
    """
    parts: list[Outline] = []
    before: list[str] = []
    roots: list[Node] = []
    stack: list[Node] = []
    last_of_style: dict[str, int] = {}
    for paragraph in paragraphs:
        m = marker(paragraph) or _garbled_marker(paragraph, stack)
        if m and roots and m.number == 1 and m.style == roots[0].marker.style:
            parts.append(Outline(before, roots))
            before = before + [p for root in roots for p in _flatten(root)]
            roots, stack, last_of_style = [], [], {}
        node = _place(m, stack, roots, last_of_style) if m else None
        if node is None:
            if stack:
                stack[-1].paragraphs.append(paragraph)
            else:
                before.append(paragraph)
            continue
        assert m is not None
        last_of_style[m.style] = m.number
        if m.rest:
            node.paragraphs.append(m.rest)
    parts.append(Outline(before, roots))
    return parts


def build_outline(paragraphs: list[str]) -> Outline:
    """The last part's outline (see :func:`build_outlines`)."""
    return build_outlines(paragraphs)[-1]


def _flatten(node: Node) -> list[str]:
    text = node.full_text()
    if text:
        text[0] = node.marker.printed + text[0]
    return text or [node.marker.printed]


def _place(
    m: Marker, stack: list[Node], roots: list[Node], last: dict[str, int]
) -> Node | None:
    styles = [n.marker.style for n in stack]
    if m.style in styles:
        level = styles.index(m.style)
        previous = stack[level]
        if m.number != previous.marker.number + 1:
            return None
        del stack[level:]
        parent = stack[-1] if stack else None
    else:
        if not roots and not stack and m.number != 1:
            return None
        if stack and m.number not in (1, last.get(m.style, 0) + 1):
            return None
        if not stack and roots and m.number != 1:
            return None
        parent = stack[-1] if stack else None
    node = Node(m, parent)
    (parent.children if parent else roots).append(node)
    stack.append(node)
    return node
