"""The 公文 layout of the Word report, after GB/T 9704-2012 (党政机关公文格式).

A4 with the standard margins and a 156 mm × 225 mm 版心 of 22 lines × 28 characters
(5.2.1, 5.2.2), a 2号 小标宋 title (7.3.3), 3号 仿宋 body (7.3.4), 黑体 first-level and 楷体
second-level headings (一、 and （一）, 7.3.4), black text throughout, and page numbers
"— 1 —" in 4号 宋体, on the outer side one character in (7.5). The numbers here are the
standard's, not the policy's.

python-docx styles carry theme fonts (``asciiTheme``, ``eastAsiaTheme``) and theme
colours from Word's default template; theme attributes win over named fonts, so
:func:`set_fonts` removes them and names the font for every script (``w:ascii``,
``w:hAnsi``, ``w:eastAsia``, ``w:cs``).
"""

from __future__ import annotations

import math
from typing import Any

from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from laser_policy.reports.fonts import BODY, HEADING_1, HEADING_2, PAGE_NUMBER, TITLE, Face

#: 字号 in points
SIZE_2, SIZE_3, SIZE_4, SIZE_S4 = 22.0, 16.0, 14.0, 12.0
#: paper and margins, mm (5.2.1: 天头 37 mm, 订口 28 mm; 版心 156 × 225 mm)
PAGE_W, PAGE_H = 210, 297
TOP, BOTTOM, LEFT, RIGHT = 37, 35, 28, 26
TEXT_W, TEXT_H = PAGE_W - LEFT - RIGHT, PAGE_H - TOP - BOTTOM
LINES, CHARS = 22, 28
#: page number: 一字线上距版心下边缘 7 mm (7.5); the footer's bottom sits that far
#: below the text, less half its 4号 line
FOOTER_DISTANCE_MM = BOTTOM - 7 - 3.5
BLACK = RGBColor(0, 0, 0)
TABLE_TEXT, TABLE_HEAD, FIGURE, NOTE = "Table Text", "Table Heading", "Figure", "Report Note"

_MM_PT = 72 / 25.4
#: line pitch of the 22-line grid, in points (225 mm / 22 = 28.95 pt)
LINE_PITCH_PT = TEXT_H * _MM_PT / LINES
#: body characters condensed so that 28 of 3号 fill the 156 mm line (-0.25 pt;
#: ``w:spacing`` counts twentieths of a point, rounded down so that 28 fit)
CHAR_SPACING_PT = math.floor((TEXT_W * _MM_PT / CHARS - SIZE_3) * 20) / 20


def page_setup(doc: Any) -> None:
    """A4, the standard margins, and the 22 × 28 document grid on every section."""
    doc.settings.odd_and_even_pages_header_footer = True
    for section in doc.sections:
        section.start_type = WD_SECTION.NEW_PAGE
        section.page_width, section.page_height = Mm(PAGE_W), Mm(PAGE_H)
        section.top_margin, section.bottom_margin = Mm(TOP), Mm(BOTTOM)
        section.left_margin, section.right_margin = Mm(LEFT), Mm(RIGHT)
        section.footer_distance = Mm(FOOTER_DISTANCE_MM)
        _grid(section._sectPr)
        page_numbers(section)


def _grid(sect_pr: Any) -> None:
    """``w:docGrid`` of 22 lines (the pitch of 225 mm / 22).

    The 28 characters come from the body's character spacing (:data:`CHAR_SPACING_PT`),
    not from a character grid: LibreOffice lays a ``linesAndChars`` grid out with every
    character doubled in width.
    """
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.attrib.pop(qn("w:charSpace"), None)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(int(LINE_PITCH_PT * 20)))


def set_fonts(element: Any, face: Face) -> None:
    """Name ``face`` for every script in the ``w:rFonts`` of a style or run element."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), face.office)


def _reset(style: Any) -> None:
    """Drop the template's run and paragraph properties (theme fonts, colours, borders)."""
    for tag in ("w:rPr", "w:pPr"):
        old = style.element.find(qn(tag))
        if old is not None:
            style.element.remove(old)


def _style(doc: Any, name: str, face: Face, size: float, *, base: str | None = "Normal",
           kind: Any = WD_STYLE_TYPE.PARAGRAPH) -> Any:
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, kind)
    if name != "Normal":
        _reset(style)
    if base:
        style.base_style = styles[base]
    set_fonts(style.element, face)
    style.font.size = Pt(size)
    style.font.bold = False
    style.font.italic = False
    style.font.color.rgb = BLACK
    return style


def _indent_chars(pf: Any, chars: int, size: float) -> None:
    """First-line indent of ``chars`` characters (``w:firstLineChars`` and its length)."""
    pf.first_line_indent = Pt(chars * size)
    ind = pf._element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(chars * 100))


def _outline(style: Any, level: int) -> None:
    ppr = style.element.get_or_add_pPr()
    node = OxmlElement("w:outlineLvl")
    node.set(qn("w:val"), str(level))
    ppr.insert_element_before(node, "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


#: the elements that follow ``w:snapToGrid`` in ``w:pPr`` (the schema's order; Word is strict)
_AFTER_SNAP = ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
               "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
               "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
               "w:sectPr", "w:pPrChange")


def _no_grid(style: Any) -> None:
    """Lines of this style do not snap to the 22-line grid (tables, figures, notes)."""
    node = OxmlElement("w:snapToGrid")
    node.set(qn("w:val"), "0")
    style.element.get_or_add_pPr().insert_element_before(node, *_AFTER_SNAP)


def styles(doc: Any) -> None:
    """The report's styles: Normal (body), Title, Subtitle, Heading 1/2, table text, figures,
    notes."""
    _defaults(doc)
    body = _style(doc, "Normal", BODY, SIZE_3, base=None)
    _char_spacing(body, CHAR_SPACING_PT)
    pf = body.paragraph_format
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(LINE_PITCH_PT)
    pf.space_before = pf.space_after = Pt(0)
    pf.widow_control = True
    _indent_chars(pf, 2, SIZE_3)

    title = _style(doc, "Title", TITLE, SIZE_2)
    tf = title.paragraph_format
    tf.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tf.first_line_indent = Pt(0)
    tf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    tf.line_spacing = Pt(LINE_PITCH_PT * 1.25)
    tf.space_after = Pt(LINE_PITCH_PT)
    tf.keep_with_next = True
    _no_grid(title)

    subtitle = _style(doc, "Subtitle", HEADING_2, SIZE_3)  # the period under the title
    _plain(subtitle.paragraph_format, WD_ALIGN_PARAGRAPH.CENTER)
    subtitle.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    subtitle.paragraph_format.line_spacing = Pt(LINE_PITCH_PT)

    for level, face in ((1, HEADING_1), (2, HEADING_2)):
        heading = _style(doc, f"Heading {level}", face, SIZE_3)
        heading.paragraph_format.keep_with_next = True
        heading.paragraph_format.space_before = heading.paragraph_format.space_after = Pt(0)
        _indent_chars(heading.paragraph_format, 2, SIZE_3)
        _outline(heading, level - 1)

    for name, face, align in ((TABLE_TEXT, BODY, WD_ALIGN_PARAGRAPH.LEFT),
                              (TABLE_HEAD, HEADING_1, WD_ALIGN_PARAGRAPH.CENTER)):
        cell = _style(doc, name, face, SIZE_S4)
        _plain(cell.paragraph_format, align)
        _no_grid(cell)

    figure = _style(doc, FIGURE, BODY, SIZE_3)
    _plain(figure.paragraph_format, WD_ALIGN_PARAGRAPH.CENTER)
    figure.paragraph_format.keep_with_next = False
    _no_grid(figure)

    for name in ("List Bullet", "List Number"):  # kept for sections written elsewhere
        listed = doc.styles[name]
        set_fonts(listed.element, BODY)
        listed.font.size = Pt(SIZE_3)
        listed.font.color.rgb = BLACK

    note = _style(doc, NOTE, BODY, SIZE_4)
    _plain(note.paragraph_format, WD_ALIGN_PARAGRAPH.LEFT)
    _no_grid(note)


def _char_spacing(style: Any, points: float) -> None:
    """``w:spacing`` of the style's runs (character spacing, twentieths of a point)."""
    node = OxmlElement("w:spacing")
    node.set(qn("w:val"), str(round(points * 20)))
    style.element.get_or_add_rPr().insert_element_before(node, "w:w", "w:kern", *_AFTER_KERN)


def _plain(pf: Any, align: Any) -> None:
    pf.alignment = align
    pf.first_line_indent = Pt(0)
    ind = pf._element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), "0")
    pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    pf.space_before = pf.space_after = Pt(0)


#: the elements that follow ``w:kern`` in ``w:rPr`` (``w:spacing`` comes before ``w:w``)
_AFTER_KERN = ("w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
               "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
               "w:eastAsianLayout", "w:specVanish", "w:oMath")
#: the elements that follow ``w:sz``/``w:szCs`` in ``w:rPr``
_AFTER_SZ = ("w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign",
             "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")


def _defaults(doc: Any) -> None:
    """Document defaults: the body font for every script, Chinese as the East Asian language."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), BODY.office)
    for tag in ("w:sz", "w:szCs"):  # the grid's character pitch is relative to this size
        size = rpr.find(qn(tag))
        if size is None:
            size = OxmlElement(tag)
            rpr.insert_element_before(size, *_AFTER_SZ)
        size.set(qn("w:val"), str(int(SIZE_3 * 2)))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def page_numbers(section: Any) -> None:
    """"— 1 —" in 4号 宋体: right on odd pages, left on even ones, one character in."""
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                          (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        for run in list(p.runs):
            run._element.getparent().remove(run._element)
        pf = p.paragraph_format
        _plain(pf, align)
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            pf.right_indent = Pt(SIZE_4)
        else:
            pf.left_indent = Pt(SIZE_4)
        _page_field(p)


def _page_field(p: Any) -> None:
    """``— PAGE —``: the dashes and a PAGE field, each run in 4号 宋体."""
    def run(text: str | None = None, field: str | None = None, instr: str | None = None) -> None:
        r = p.add_run(text or "")
        set_fonts(r._element, PAGE_NUMBER)
        r.font.size = Pt(SIZE_4)
        r.font.color.rgb = BLACK
        if field:
            node = OxmlElement("w:fldChar")
            node.set(qn("w:fldCharType"), field)
            r._element.append(node)
        if instr:
            node = OxmlElement("w:instrText")
            node.set(qn("xml:space"), "preserve")
            node.text = instr
            r._element.append(node)

    run("— ")
    run(field="begin")
    run(instr=" PAGE ")
    run(field="separate")
    run("1")
    run(field="end")
    run(" —")
