"""Reading documents: encodings, bad files, script, pinyin, page and web furniture."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from laser_policy.errors import DocumentError
from laser_policy.policy.text import (
    clean_lines,
    comparison_key,
    decode_document,
    join_lines,
    load_paragraphs,
    normalise_display,
    normalise_text,
    strip_pinyin,
    to_simplified,
)

DATA = Path(__file__).parent / "data"
OFFICIAL = DATA / "hubei-laser-2024-official.txt"
REPRINT = DATA / "hubei-laser-2024-reprint-traditional.txt"
SAMPLE = "关于推动示例产业高质量发展的意见\n一、总体要求\n（一）加强组织领导。各地要高度重视。\n"


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gb18030", b""), ("gbk", b""), ("utf-16", b"")],
)
def test_supported_encodings_decode_to_the_same_text(encoding: str, prefix: bytes) -> None:
    data = prefix + SAMPLE.encode(encoding)
    assert decode_document(data, "x.txt") == SAMPLE


def test_big5_traditional_text_is_read() -> None:
    text = (
        "關於推動示例產業高質量發展的意見\n一、總體要求\n"
        "（一）加強組織領導。各地要高度重視，認真落實。\n"
    )
    assert decode_document(text.encode("big5"), "big5.txt") == text


def test_official_text_in_gb18030_parses_like_utf8() -> None:
    data = OFFICIAL.read_text("utf-8").encode("gb18030")
    assert load_paragraphs(data, "gb.txt") == load_paragraphs(OFFICIAL)


def test_trailing_binary_garbage_is_cut_off() -> None:
    rng = random.Random(7)
    garbage = bytes(rng.randrange(256) for _ in range(2000))
    data = OFFICIAL.read_bytes() + garbage
    assert load_paragraphs(data, "garbage.txt") == load_paragraphs(OFFICIAL)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件为空"),
        (b"  \n\r\n\t ", "文件为空"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "Word"),
        (bytes(range(32)) * 50, "二进制"),
        (bytes(range(0x80, 0x100)) * 20, "编码"),
    ],
    ids=["empty", "blank", "pdf", "docx", "binary", "undecodable"],
)
def test_bad_bytes_raise_a_document_error(data: bytes, message: str) -> None:
    with pytest.raises(DocumentError, match=message) as info:
        decode_document(data, "bad.txt")
    assert "bad.txt" in str(info.value)


def test_utf8_with_a_corrupt_middle_is_not_silently_truncated() -> None:
    good = OFFICIAL.read_bytes()
    data = good[:3000] + b"\xff\xfe\xfa" + good[3000:]
    with pytest.raises(DocumentError, match="编码"):
        decode_document(data, "corrupt.txt")


# --------------------------------------------------------------------------- script, pinyin


def test_pinyin_glosses_are_removed_but_other_brackets_stay() -> None:
    text = (
        "產(chan) 業(ye) 高質量、關（guan）於、"
        "華工激光CNAS(中國合格評定)、增材製造(3D打印)、激光雷達(lidar)"
    )
    assert (
        strip_pinyin(text)
        == "產業高質量、關於、華工激光CNAS(中國合格評定)、增材製造(3D打印)、激光雷達(lidar)"
    )


def test_pinyin_split_by_a_line_break_or_with_tone_marks_is_removed() -> None:
    assert strip_pinyin("激光產(ch\nan) 業(yè) 發展") == "激光產業發展"


def test_traditional_becomes_standard_simplified() -> None:
    assert (
        to_simplified("著力推動激光產業高質量發展，顯著提升")
        == "着力推动激光产业高质量发展，显著提升"
    )


def test_display_form_uses_full_width_chinese_punctuation_and_no_stray_spaces() -> None:
    assert normalise_display("力争 2024 年达到 280 亿元,增速 15％(左右); CNAS 实验室") == (
        "力争2024年达到280亿元，增速15%（左右）；CNAS实验室"
    )


def test_comparison_key_folds_script_width_space_and_quotes() -> None:
    assert comparison_key("著力推動“兩新”政策, 力爭 (2024) 年") == comparison_key(
        "着力推动「两新」政策，力争（2024）年"
    )


# --------------------------------------------------------------------------- furniture


def test_page_header_number_and_stamp_residue_are_removed_mid_sentence() -> None:
    text = (
        "（十七）强化支持。对项目投入的10%予以一次性补助，单个项\n\n\n"
        "湖北省经济和信息化厅规范性文件\n\n湖\n\n湖北省经济和信息化厅发布\n\n- 12 -\n\n"
        "目不超过1000万元。\n"
    )
    assert "".join(clean_lines(text)) == (
        "（十七）强化支持。对项目投入的10%予以一次性补助，单个项目不超过1000万元。"
    )


def test_web_furniture_ends_the_document() -> None:
    text = "\n".join(
        [
            "关于示例的意见",
            "来源：示例网",
            "一、总体要求",
            "（一）加强领导。要重视。",
            "（二）抓好落实。要落实。",
            "转载请注明出处。",
            "相关文章",
            "其他新闻标题一",
            "热门资讯",
            "关注我们",
        ]
    )
    lines = [ln for ln in clean_lines(text) if ln]
    assert lines == [
        "关于示例的意见",
        "一、总体要求",
        "（一）加强领导。要重视。",
        "（二）抓好落实。要落实。",
    ]


def test_title_repeated_as_a_footer_is_removed() -> None:
    paragraphs = load_paragraphs(OFFICIAL)
    title = "省人民政府办公厅关于推动激光产业高质量发展的实施意见"
    assert paragraphs[0] == title
    assert title not in paragraphs[1:]


def test_hard_wrapped_lines_are_joined_into_paragraphs() -> None:
    paragraphs = load_paragraphs(OFFICIAL)
    assert "一、总体要求" in paragraphs
    measure = next(p for p in paragraphs if p.startswith("（十七）"))
    assert "单个项目不超过1000万元。（牵头单位：省科技厅；" in measure
    assert "湖北省经济和信息化厅" not in measure


def test_a_web_reprint_keeps_one_paragraph_per_line() -> None:
    lines = ["一、总体要求", "以创新为主线，推动发展。", "（一）加强领导。要重视。"] * 4
    assert join_lines(lines) == lines


def test_both_texts_normalise_to_simplified_chinese() -> None:
    reprint = normalise_text(REPRINT.read_text("utf-8"))
    assert reprint[0] == "省人民政府办公厅关于推动激光产业高质量发展的实施意见"
    assert all("產" not in p and "(ye)" not in p for p in reprint)
