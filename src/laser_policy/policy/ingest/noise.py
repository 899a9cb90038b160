"""Noise that web copies of policy documents carry, found by its shape.

- GBK mojibake: a run decoded one byte off (``?。ㄒ唬┩晟剖袌`` for ``（一）完善市場``);
  the run is re-encoded and decoded again shifted by a byte, and kept only when the
  result decodes cleanly and holds no mojibake signs.
- Sharing-site banners (``…由会员分享，可在线阅读…请在…上搜索``).
- gov.cn information tables (索引号： / 主题分类： / 发文机关： … each followed by its value).
- Page markers ``2、`` at the start of a line that continues a sentence.
"""

from __future__ import annotations

import re

#: characters that in running Chinese text betray a GBK decode one byte off
_MOJIBAKE_SIGN_RE = re.compile("[\u3105-\u3129\u2500-\u257f\ue000-\uf8ff]")
_BANNER_RE = re.compile(r"由会员分享|可在线阅读|上搜索。?$|文档分享|VIP专享|下载后可编辑|本文档由")
_SHARED_FILE_RE = re.compile(r"《(.+?)\.(?:docx?|pdf|wps|txt|ppt)》")
_INFO_LABEL_RE = re.compile(
    r"^(?:索\s*引\s*号|主题分类|发文机关|成文日期|标\s*题|发文字号|发布日期|主\s*题\s*词|"
    r"信息来源|公开方式|有效性|统一编号)\s*[:：]\s*$"
)
_PAGE_MARKER_RE = re.compile(r"^(\d{1,3})、(?=\S)")
_RUNNING_TEXT = 60  # a line this long is running text (a heading is shorter)
_ENDS_CLAUSE_RE = re.compile(r"[。！？；：!?;:）)\]】”]\s*$")


def repair_mojibake(line: str) -> str:
    """Undo a one-byte-shifted GBK decode at the start of a mojibake run."""
    if len(_MOJIBAKE_SIGN_RE.findall(line)) < 2:
        return line
    first = _MOJIBAKE_SIGN_RE.search(line)
    assert first is not None
    start = first.start()
    while start > 0 and not line[start - 1].isspace() and line[start - 1] not in "?？":
        start -= 1
    prefix = line[:start].rstrip(" ?？\u3000")
    best: str | None = None
    for end in range(len(line), start, -1):
        chunk = line[start:end]
        if _MOJIBAKE_SIGN_RE.search(line, end) and end < len(line):
            break
        try:
            raw = chunk.encode("gbk")
        except UnicodeEncodeError:
            continue
        for shifted in (b"\xa1" + raw, raw[1:]):
            try:
                fixed = shifted.decode("gbk")
            except UnicodeDecodeError:
                continue
            if not _MOJIBAKE_SIGN_RE.search(fixed):
                best = fixed.strip("\u3000 ") + line[end:]
                break
        if best is not None:
            break
    return prefix + best if best is not None else line


def repair_text(text: str) -> str:
    """``repair_mojibake`` on every line (before any script conversion)."""
    return "\n".join(repair_mojibake(line) for line in text.split("\n"))


def drop_web_noise(lines: list[str]) -> list[str]:
    """Lines without banners, information tables and page markers."""
    out: list[str] = []
    skip_value = False
    for line in lines:
        if skip_value and line:
            skip_value = False
            if not _INFO_LABEL_RE.match(line):
                continue
        if _INFO_LABEL_RE.match(line):
            skip_value = not line.startswith("主")  # 主题词 is most often left empty
            continue
        if line and _BANNER_RE.search(line) and len(line) < 300:
            named = _SHARED_FILE_RE.search(line)
            if named:  # the banner names the shared file: the document's title
                out.append(named.group(1))
            continue
        out.append(line)
    return _join_page_markers(out)


def _join_page_markers(lines: list[str]) -> list[str]:
    """Lines ``N、…`` that continue a sentence cut by a page break, joined back;
    the earlier markers of the same run (1、 … N-1、) are removed too."""
    text_idx = [i for i, ln in enumerate(lines) if ln]
    cut: dict[int, int] = {}
    for k, i in enumerate(text_idx):
        m = _PAGE_MARKER_RE.match(lines[i])
        previous = lines[text_idx[k - 1]] if k > 0 else ""
        if m and len(previous) >= _RUNNING_TEXT and not _ENDS_CLAUSE_RE.search(previous):
            cut[i] = int(m.group(1))  # a page break inside running text, not a heading
    if not cut:
        return lines
    numbers = set(cut.values())
    for i in text_idx:
        m = _PAGE_MARKER_RE.match(lines[i])
        if m and i not in cut and int(m.group(1)) + 1 in numbers:
            cut[i] = 0
    out: list[str] = []
    for i, line in enumerate(lines):
        if i in cut:
            rest = line[_PAGE_MARKER_RE.match(line).end() :]  # type: ignore[union-attr]
            if cut[i] and out:
                j = len(out) - 1
                while j > 0 and not out[j]:
                    j -= 1
                out[j] += rest
                continue
            out.append(rest)
            continue
        out.append(line)
    return out
