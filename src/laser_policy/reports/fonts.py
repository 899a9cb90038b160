"""The fonts of a 公文 (GB/T 9704-2012) and the free fonts that stand in for them in the PDF.

The Word file names the fonts offices have installed (方正小标宋简体, 仿宋_GB2312, 黑体,
楷体_GB2312, 宋体), so Word and WPS show the report as offices file it. This machine has
none of them: when LibreOffice converts the Word file to PDF, a fontconfig file
written for that conversion (:func:`fontconfig_file`) maps each name to a free font
from Debian, which LibreOffice then embeds — Noto Serif CJK (fonts-noto-cjk) for
宋体 and 仿宋, its bold for 小标宋, Noto Sans CJK for 黑体, AR PL UKai (fonts-arphic-ukai)
for 楷体.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Face:
    """A font as the Word file names it, and the free font the PDF embeds instead."""

    office: str
    free: str
    weight: str | None = None  # fontconfig weight of the free face (None: as asked)
    aliases: tuple[str, ...] = ()  # other names offices use for the same face


#: 2号 title (GB/T 9704-2012 7.3.3)
TITLE = Face("方正小标宋简体", "Noto Serif CJK SC", "bold", ("小标宋", "方正小标宋_GBK"))
#: 3号 body text (7.3.4 正文)
BODY = Face("仿宋_GB2312", "Noto Serif CJK SC", aliases=("仿宋", "FangSong"))
#: first-level headings 一、 (7.3.4)
HEADING_1 = Face("黑体", "Noto Sans CJK SC", aliases=("SimHei",))
#: second-level headings （一） (7.3.4)
HEADING_2 = Face("楷体_GB2312", "AR PL UKai CN", aliases=("楷体", "KaiTi"))
#: page numbers, 4号 half-width (7.5)
PAGE_NUMBER = Face("宋体", "Noto Serif CJK SC", aliases=("SimSun",))
FACES = (TITLE, BODY, HEADING_1, HEADING_2, PAGE_NUMBER)

_HEAD = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<!-- The fonts of the Word report (GB/T 9704-2012) replaced by free ones for the PDF. -->
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
"""
_MATCH = """  <match target="pattern">
    <test name="family"><string>{name}</string></test>
    <edit name="family" mode="assign" binding="strong"><string>{free}</string></edit>
{weight}  </match>
"""
_WEIGHT = """    <edit name="weight" mode="assign" binding="strong"><const>{}</const></edit>
"""


def fontconfig_xml() -> str:
    """The fontconfig file: the system's configuration plus one rule per office name.

    >>> xml = fontconfig_xml()
    >>> "<string>楷体_GB2312</string>" in xml and "<string>AR PL UKai CN</string>" in xml
    True
    """
    rules = [
        _MATCH.format(name=escape(name), free=escape(face.free),
                      weight=_WEIGHT.format(face.weight) if face.weight else "")
        for face in FACES for name in (face.office, *face.aliases)
    ]
    return _HEAD + "".join(rules) + "</fontconfig>\n"


def fontconfig_file(folder: Path) -> Path:
    """Write the fontconfig file into ``folder``; point ``FONTCONFIG_FILE`` at it."""
    path = folder / "fonts.conf"
    path.write_text(fontconfig_xml(), encoding="utf-8")
    return path
