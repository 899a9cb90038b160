"""Reading a policy document: bytes → clean paragraphs of simplified Chinese.

The genre is government policy text as it is found in the wild: the official
PDF turned into text (hard-wrapped lines, page headers and numbers in the middle
of a sentence), or a web reprint (one paragraph per line, traditional script,
pinyin glosses after characters, half-width punctuation, web furniture at the
end). Everything here works from patterns of that genre, never from the lines
of one particular file.

Pipeline (each step is a public function, so tests and the diff can use it):

``decode_document`` (bytes → str; UTF-8, UTF-8 with BOM, UTF-16 with BOM,
GB18030/GBK, Big5; trailing binary garbage cut off) → ``strip_pinyin`` →
``to_simplified`` (OpenCC ``t2s``) → ``clean_lines`` (page and web furniture
out) → ``join_lines`` (hard-wrapped lines back into paragraphs) →
``normalise_display`` (one punctuation and spacing convention).
``comparison_key`` folds what is not a change (script, width, spacing).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from laser_policy.errors import DocumentError
from laser_policy.policy.ingest.noise import drop_web_noise, repair_text

# --------------------------------------------------------------------------- decoding

_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP/Word（.docx）"),
    (b"\xd0\xcf\x11\xe0", "Word/Excel（.doc/.xls）"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"{\\rtf", "RTF"),
)
#: encodings tried in order after the byte-order marks; the first that reads is kept
CANDIDATE_ENCODINGS: tuple[str, ...] = ("utf-8", "gb18030", "big5")
_MIN_CJK_FOR_CONTENT = 20  # a text head shorter than this is not a document
_GARBAGE_TEXT_RUN = 10  # a tail holding a run of this many CJK characters is real text
_PLAUSIBLE_COMMON_SHARE = 0.6  # share of common characters in genuinely decoded Chinese

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{_CJK}]")
_CJK_RUN_RE = re.compile(f"[{_CJK}\u3000-\u303f\uff00-\uffef]{{{_GARBAGE_TEXT_RUN},}}")
_BAD_CHAR_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd\ue000-\uf8ff]")


def _name(name: str | None) -> str:
    return name or "<输入>"


def decode_document(data: bytes, name: str | None = None) -> str:
    """Decode the bytes of a text document, detecting its encoding.

    Raises ``DocumentError`` for an empty file, a binary file (PDF, Word, image…)
    or bytes that no supported encoding reads.
    """
    where = _name(name)
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise DocumentError(f"文件为空：{where} / empty file: {where}")
    for magic, kind in _BINARY_MAGIC:
        if data.startswith(magic):
            raise DocumentError(
                f"{where} 不是纯文本文件（看起来是 {kind}），请先另存为 UTF-8 文本 / "
                f"{where} is not a plain-text file (looks like {kind}); save it as UTF-8 text first"
            )
    text: str | None = None
    if data.startswith(b"\xef\xbb\xbf"):
        text = _decode_with_tail(data[3:], "utf-8")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decode_with_tail(data, "utf-16")
    else:
        for encoding in CANDIDATE_ENCODINGS:
            candidate = _decode_with_tail(data, encoding)
            if candidate is not None and (encoding == "utf-8" or _plausible_chinese(candidate)):
                text = candidate
                break
    if text is None:
        if b"\x00" in data[:4096] or _binary_share(data[:4096]) > 0.3:
            raise DocumentError(
                f"{where} 是二进制文件，不是文本 / {where} is a binary file, not text"
            )
        raise DocumentError(
            f"无法识别 {where} 的编码（支持 UTF-8、带 BOM 的 UTF-8、GB18030/GBK、Big5），"
            f"请另存为 UTF-8 / cannot detect the encoding of {where} "
            "(supported: UTF-8, UTF-8 with BOM, GB18030/GBK, Big5); re-save it as UTF-8"
        )
    if not text.strip():
        raise DocumentError(f"文件为空：{where} / empty file: {where}")
    return text


def _binary_share(chunk: bytes) -> float:
    if not chunk:
        return 0.0
    control = sum(1 for b in chunk if b < 9 or 13 < b < 32)
    return control / len(chunk)


def _decode_with_tail(data: bytes, encoding: str) -> str | None:
    """Decode strictly; a binary tail after real text is cut off, anything else fails."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        head = data[: exc.start].decode(encoding, errors="replace")
        tail = data[exc.start :].decode(encoding, errors="replace")
        text = head + tail
        cut = len(head)
    else:
        cut = len(text)
    bad = _BAD_CHAR_RE.search(text, 0)
    if bad is not None:
        cut = min(cut, bad.start())
    if cut == len(text):
        return text
    head, tail = text[:cut], text[cut:]
    if len(_CJK_RE.findall(head)) >= _MIN_CJK_FOR_CONTENT and not _CJK_RUN_RE.search(tail):
        return head
    return None


@lru_cache(maxsize=8192)
def _is_common_hanzi(char: str) -> bool:
    """A character of GB2312 level 1 (the 3755 most common hanzi)."""
    try:
        encoded = char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7


def _plausible_chinese(text: str) -> bool:
    """Whether decoded text reads as Chinese rather than mojibake of another encoding."""
    sample = to_simplified(text[:3000])
    hanzi = _CJK_RE.findall(sample)
    if len(hanzi) < _MIN_CJK_FOR_CONTENT:
        return False
    common = sum(1 for c in hanzi if _is_common_hanzi(c))
    return common / len(hanzi) >= _PLAUSIBLE_COMMON_SHARE


def read_document(source: str | Path | bytes, name: str | None = None) -> str:
    """The decoded text of a document given as a path or as bytes."""
    if isinstance(source, bytes):
        return decode_document(source, name)
    path = Path(source)
    where = name or str(path)
    if not path.exists():
        raise DocumentError(f"找不到文件：{where} / file not found: {where}")
    if not path.is_file():
        raise DocumentError(f"不是文件：{where} / not a file: {where}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"无法读取 {where}：{exc} / cannot read {where}: {exc}") from exc
    return decode_document(data, where)


# --------------------------------------------------------------------------- script

_PINYIN_SYLLABLE = (
    r"(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|er|in|un|ia"
    r"|ie|iu|ua|uo|ui|ue|ve|a|o|e|i|u|v|ü)[1-5]?"
)
_PINYIN_RE = re.compile(f"([{_CJK}])\\s*[(（]([a-zü1-5\\s]{{2,16}}?)[)）][ \\t\u3000]?")
_SYLLABLE_RE = re.compile(_PINYIN_SYLLABLE)
_TONE_MARKS = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ", "aaaaeeeeiiiioooouuuuüüüü")


def strip_pinyin(text: str) -> str:
    """Remove pinyin glosses after characters: ``產(chan) 業(ye)`` → ``產業``.

    Only a whole pinyin syllable in brackets right after a hanzi is removed (a
    line break or spaces inside it are tolerated), so ``CNAS(中国…)``,
    ``（3D打印）`` or ``激光雷达(lidar)`` stay.
    """
    folded = text.translate(_TONE_MARKS)  # same length: spans carry over to `text`
    pieces: list[str] = []
    pos = 0
    for m in _PINYIN_RE.finditer(folded):
        syllable = re.sub(r"\s+", "", m.group(2))
        if len(syllable) < 2 or not _SYLLABLE_RE.fullmatch(syllable):
            continue
        pieces.append(text[pos : m.start() + 1])
        pos = m.end()
    pieces.append(text[pos:])
    return "".join(pieces)


#: phrases OpenCC ``t2s`` leaves in a form that is not the standard simplified one
SIMPLIFIED_PHRASE_FIXES: dict[str, str] = {
    "著力": "着力", "著手": "着手", "著重": "着重", "著眼": "着眼", "著想": "着想",
    "著陆": "着陆", "著落": "着落", "沉著": "沉着", "著实": "着实", "随著": "随着",
    "意味著": "意味着", "冲著": "冲着", "接著": "接着", "围绕著": "围绕着", "本著": "本着",
}
_PHRASE_FIX_RE = re.compile("|".join(sorted(SIMPLIFIED_PHRASE_FIXES, key=len, reverse=True)))


@lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified (OpenCC ``t2s``), plus a few phrase fixes."""
    converted: str = _t2s().convert(text)
    return _PHRASE_FIX_RE.sub(lambda m: SIMPLIFIED_PHRASE_FIXES[m.group(0)], converted)


# --------------------------------------------------------------------------- furniture

_PUNCT_ANY = re.compile(r"[，。；：！？、,;:!?]")
_PAGE_NUMBER_RES = (
    re.compile(r"^[-—–－~～]\s*\d{1,4}\s*[-—–－~～]$"),
    re.compile(r"^第\s*\d{1,4}\s*页(\s*[/，,]?\s*共\s*\d{1,4}\s*页)?$"),
    re.compile(r"^\d{1,4}\s*/\s*\d{1,4}$"),
    re.compile(r"^[·•]?\s*\d{1,3}\s*[·•]?$"),
)
_PAGE_HEADER_RE = re.compile(
    r"^\S{2,40}?(?:厅|局|委|委员会|政府|办公厅|办公室|部|院|署|中心|网|站)"
    r"(?:规范性文件|文件|发布|印发|主办|公报)$"
)
#: web page furniture lines (in simplified Chinese); the text ends where they begin
WEB_TAIL_MARKERS: tuple[str, ...] = (
    "转载请注明出处", "转载请注明来源", "相关文章", "相关阅读", "相关新闻", "相关链接",
    "热门资讯", "热门文章", "精彩导读", "推荐阅读", "关注我们", "责任编辑", "分享到",
    "打印本页", "关闭窗口", "上一篇", "下一篇", "扫一扫", "网站地图", "版权所有",
)
_WEB_LINE_RE = re.compile(
    r"^(?:来源|发布时间|发布日期|发文时间|作者|浏览次数|阅读次数|点击数|字号|【?字体)[:：]"
    r"|^【?(?:打印|关闭|收藏|返回顶部)】?$"
)
_MARKER_STRIP = re.compile(r"[\s。.！!：:，,、【】\[\]>》«»|]+")


#: the first column of a table's header (its rows then start with bare numbers)
_TABLE_HEAD_RE = re.compile(r"^序\s*号(?:$|[\t|｜ ]{1,})")


def _display_width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in line)


def _is_page_number(line: str) -> bool:
    return any(p.match(line) for p in _PAGE_NUMBER_RES)


def _is_page_header(line: str) -> bool:
    return _PUNCT_ANY.search(line) is None and _PAGE_HEADER_RE.match(line) is not None


def _is_web_tail(line: str) -> bool:
    core = _MARKER_STRIP.sub("", line)
    return len(core) <= 12 and any(core.startswith(m) for m in WEB_TAIL_MARKERS)


def _is_lone_char(line: str) -> bool:
    return len(line) == 1 and _CJK_RE.match(line) is not None


def clean_lines(text: str) -> list[str]:
    """The document's lines with page and web furniture removed (blank lines kept).

    Removed: page numbers (``- 12 -``, ``第3页``), page headers (an organ's name
    followed by 规范性文件/发布/印发…), stamp residue (a lone character next to
    such furniture), headers and footers repeated on many pages, the title
    repeated as a footer, web furniture (来源：…, and everything from
    转载请注明出处/相关文章/关注我们… to the end).
    """
    lines = drop_web_noise([ln.strip(" \t\u3000\u00a0") for ln in _split_lines(text)])
    furniture = [False] * len(lines)
    table_from = next((i for i, ln in enumerate(lines) if _TABLE_HEAD_RE.match(ln)), len(lines))
    for i, line in enumerate(lines):
        if line and (_is_page_number(line) or _is_page_header(line) or _WEB_LINE_RE.match(line)):
            furniture[i] = not (i > table_from and line.isdigit())  # a table's row number
    # the page-furniture block sometimes holds a stray character (seal, watermark)
    for i, line in enumerate(lines):
        if _is_lone_char(line) and _near_furniture(lines, furniture, i):
            furniture[i] = True
    # running headers / footers: the same short line on many pages
    counts = Counter(ln for ln in lines if ln and len(ln) <= 40 and not _PUNCT_ANY.search(ln))
    for i, line in enumerate(lines):
        if line and counts[line] >= 3:
            furniture[i] = True
    kept = [ln for ln, f in zip(lines, furniture, strict=True) if not f]
    kept = _cut_web_tail(kept)
    return _drop_repeated_title(kept)


def _split_lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub("[\u2028\u2029\f\v]", "\n", text)
    text = re.sub("[\u200b\u200c\u200d\u2060\ufeff]", "", text)
    return text.split("\n")


def _near_furniture(
    lines: Sequence[str], furniture: Sequence[bool], i: int, reach: int = 3
) -> bool:
    for direction in (-1, 1):
        j, seen = i + direction, 0
        while 0 <= j < len(lines) and seen < reach:
            if lines[j]:
                if furniture[j]:
                    return True
                seen += 1
            j += direction
    return False


def _cut_web_tail(lines: list[str]) -> list[str]:
    non_blank = [i for i, ln in enumerate(lines) if ln]
    if not non_blank:
        return lines
    half = non_blank[len(non_blank) // 2]
    for i, line in enumerate(lines):
        if line and _is_web_tail(line):
            if i >= half:
                return lines[:i]
            lines[i] = ""
    return lines


def _drop_repeated_title(lines: list[str]) -> list[str]:
    """Drop later lines that repeat the title (a running header or footer)."""
    head: list[int] = []
    for i, line in enumerate(lines):
        if not line:
            continue
        if (
            _PUNCT_ANY.search(line)
            or DOC_NUMBER_RE.search(line)
            or HEADING_RE.match(line)
            or len(head) >= 4
        ):
            break
        head.append(i)
    if not head:
        return lines
    title_key = _fold("".join(lines[i] for i in head))
    if len(title_key) < 6:
        return lines
    return [
        line
        for i, line in enumerate(lines)
        if i <= head[-1] or not line or _fold(line) != title_key
    ]


# --------------------------------------------------------------------------- paragraphs

_CN_NUM = "一二三四五六七八九十百零〇两"
_CN_NUMERAL = f"[{_CN_NUM}](?:\\s*[{_CN_NUM}])*"
#: a structural marker at the start of a paragraph (chapter, measure, item, target)
HEADING_RE = re.compile(
    rf"^(?:第\s*[{_CN_NUM}\d]+\s*[章节条]|{_CN_NUMERAL}\s*[、．.]|[（(]\s*{_CN_NUMERAL}\s*[)）]"
    r"|\d{1,3}\s*[.．、](?!\d)|[（(]\s*\d{1,3}\s*[)）]|[①-⑳]|——)"
)
#: a document number such as 鄂政办发〔2024〕35号
DOC_NUMBER_RE = re.compile(
    rf"([{_CJK}]{{1,12}}?)\s*[〔\[［(（【]\s*((?:19|20)\d{{2}})\s*[〕\]］)）】]\s*(\d{{1,4}})\s*号"
)
#: a line or paragraph that finishes a clause (so what follows may start a new one)
ENDS_CLAUSE_RE = re.compile(r"[。！？；：!?;:][”’」』）)〕】]*$|[）)〕】]$")


def _is_hard_wrapped(lines: Sequence[str]) -> tuple[bool, int]:
    widths = [_display_width(ln) for ln in lines if ln]
    long_widths = [w for w in widths if w >= 30]
    if len(widths) < 8 or not long_widths:
        return False, 0
    mode = max(Counter(long_widths).items(), key=lambda kv: (kv[1], kv[0]))[0]
    near = sum(1 for w in widths if 0.85 * mode <= w <= mode + 6)
    return (mode <= 160 and near >= 0.4 * len(widths)), mode


def join_lines(lines: Sequence[str]) -> list[str]:
    """Join lines broken mid-sentence back into paragraphs.

    Hard-wrapped text (most lines of one width, as a PDF gives) continues a
    paragraph until a short line that finishes a clause or a heading, or a
    structural marker (一、 （一） 1. ——…) after a finished clause; otherwise
    every line is a paragraph.
    """
    wrapped, mode = _is_hard_wrapped(lines)
    text_lines = sum(1 for ln in lines if ln)
    blank_breaks = sum(1 for ln in lines if not ln) < 0.5 * text_lines
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if not line:
            if blank_breaks and current:
                paragraphs.append(current)
                current = ""
            continue
        if current and (
            not wrapped
            or (HEADING_RE.match(line) and ENDS_CLAUSE_RE.search(current))
            or DOC_NUMBER_RE.fullmatch(line.strip("（()）"))
        ):
            paragraphs.append(current)
            current = ""
        current = _join_pair(current, line)
        if (
            wrapped
            and _display_width(line) < 0.9 * mode
            and (ENDS_CLAUSE_RE.search(current) or _is_heading_only(current))
        ):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


def _is_heading_only(paragraph: str) -> bool:
    return HEADING_RE.match(paragraph) is not None and "。" not in paragraph


def _join_pair(left: str, right: str) -> str:
    if not left:
        return right
    if left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum():
        return f"{left} {right}"
    return left + right


# --------------------------------------------------------------------------- display form

_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_CJKISH = f"{_CJK}\u3000-\u303f\uff00-\uffef“”‘’—…"
_HALF_PUNCT_RE = re.compile(
    rf"(?<=[{_CJKISH}])\s*([,:;?!])\s*|\s*([,:;?!])\s*(?=[{_CJKISH}])"
)
_HALF_PARENS_RE = re.compile(r"\(([^()（）]*)\)")
#: spaces next to Chinese go; a tab stays (it separates the cells of a table)
_SPACE_NEAR_CJK_RE = re.compile(rf"[^\S\t]+(?=[{_CJKISH}])|(?<=[{_CJKISH}])[^\S\t]+")
_FULLWIDTH_ALNUM = str.maketrans(
    {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}
    | {chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)}
    | {chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)}
    | {"％": "%", "．": ".", "／": "/", "＋": "+", "＝": "=", "　": " "}
)


def _parens(m: re.Match[str]) -> str:
    inner = m.group(1)
    before = m.string[m.start() - 1] if m.start() > 0 else ""
    after = m.string[m.end()] if m.end() < len(m.string) else ""
    if _CJK_RE.search(inner) or _CJK_RE.match(before or " ") or _CJK_RE.match(after or " "):
        return f"（{inner}）"
    return m.group(0)


def normalise_display(text: str) -> str:
    """One display convention: full-width Chinese punctuation, half-width digits
    and letters, no spaces next to Chinese characters."""
    text = text.translate(_FULLWIDTH_ALNUM)
    text = _HALF_PARENS_RE.sub(_parens, text)
    text = _HALF_PUNCT_RE.sub(lambda m: _HALF_TO_FULL[m.group(1) or m.group(2)], text)
    text = _SPACE_NEAR_CJK_RE.sub("", text)
    return re.sub(r" {2,}", " ", text).strip()


def normalise_text(text: str) -> list[str]:
    """Decoded text → clean simplified paragraphs in the display convention."""
    simplified = to_simplified(strip_pinyin(repair_text(text)))
    return [p for p in (normalise_display(p) for p in join_lines(clean_lines(simplified))) if p]


def load_paragraphs(source: str | Path | bytes, name: str | None = None) -> list[str]:
    """Read a document (path or bytes) and return its clean paragraphs."""
    return normalise_text(read_document(source, name))


# --------------------------------------------------------------------------- comparison

#: characters a traditional→simplified conversion may leave in either of two forms
VARIANT_FOLD = str.maketrans(
    {"著": "着", "乾": "干", "於": "于", "藉": "借", "瞭": "了", "夥": "伙", "餘": "余",
     "徵": "征", "鬱": "郁", "甦": "苏", "衹": "只", "祇": "只", "隻": "只", "裏": "里",
     "裡": "里", "臺": "台", "檯": "台", "颱": "台", "钜": "巨", "甯": "宁"}
)
_QUOTES_FOLD = str.maketrans(
    {"“": '"', "”": '"', "「": '"', "」": '"', "『": '"', "』": '"', "‘": "'", "’": "'",
     "〔": "(", "〕": ")", "[": "(", "]": ")", "【": "(", "】": ")", "［": "(", "］": ")",
     "〈": "<", "〉": ">", "《": "<", "》": ">", "–": "-", "－": "-", "―": "—", "─": "—"}
)
_ALL_SPACE_RE = re.compile(r"\s+")


def comparison_key(text: str, *, simplified: bool = False) -> str:
    """What two texts must share to be the same text.

    Folds script (traditional/simplified and the variants a conversion leaves),
    character width (NFKC), quote and bracket styles, and removes all whitespace.
    ``simplified=True`` skips the script conversion for text already simplified.
    """
    return _fold(text if simplified else to_simplified(text))


def _fold(text: str) -> str:
    """``comparison_key`` for text already in simplified script."""
    folded = unicodedata.normalize("NFKC", text).translate(VARIANT_FOLD).translate(_QUOTES_FOLD)
    return _ALL_SPACE_RE.sub("", folded)
