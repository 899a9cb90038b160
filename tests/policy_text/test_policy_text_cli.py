"""The CLI: ``laser-policy policy parse`` and ``laser-policy policy diff``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from laser_policy.cli import main

DATA = Path(__file__).parent / "data"
OFFICIAL = DATA / "hubei-laser-2024-official.txt"
REPRINT = DATA / "hubei-laser-2024-reprint-traditional.txt"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out, err = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else 1), out, err


def test_parse_json_has_exactly_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "policy", "parse", str(REPRINT))
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["doc_number", "title", "chapters", "measures"]
    assert data["doc_number"] is None
    assert list(data["chapters"][0]) == ["number", "title"]
    assert len(data["measures"]) == 23
    assert list(data["measures"][0]) == [
        "number",
        "chapter",
        "title",
        "lead_units",
        "responsible_units",
        "text",
        "numbering",
        "path",
        "deadline",
        "confidence",
        "notes",
    ]
    first = data["measures"][0]
    assert first["numbering"] == "（一）"
    assert first["path"][0].startswith("二、")
    assert first["confidence"] == "high"
    assert data["measures"][7]["responsible_units"] == ["省商务厅", "有关市、州人民政府"]
    assert "省人民政府办公厅" in out  # ensure_ascii=False: Chinese, not \\u escapes


def test_parse_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "policy", "parse", str(OFFICIAL), "--format", "table")
    assert code == 0
    assert "鄂政办发〔2024〕35号" in out
    assert "（十七）" in out
    assert "强化技术创新及产业化支持" in out
    assert "共 23 条措施" in out


def test_diff_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "policy", "diff", str(OFFICIAL), str(REPRINT))
    assert code == 0
    changes = json.loads(out)["changes"]
    assert [c["measure"] for c in changes] == [None, None, 17, 19, 21, 22, 23]
    assert set(changes[0]) == {"measure", "section", "kind", "old", "new"}


def test_diff_markdown_is_readable_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "policy", "diff", str(OFFICIAL), str(REPRINT), "--format", "md")
    assert code == 0
    assert "共发现 7 处变化" in out
    assert "## 5. （二十一）强化多方协调联动（修改）" in out
    assert "- 原文：整合省直部门和地方的力量" in out
    assert "- 新文：整合各地各有关部门的力量" in out


def test_diff_of_identical_texts_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "policy", "diff", str(OFFICIAL), str(OFFICIAL), "--format", "md")
    assert code == 0
    assert "未发现实质性变化" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "文件为空"),
        (b"%PDF-1.4\n\x00\x01binary", "PDF"),
        (b"\x00\x01\x02\x03" * 100, "二进制"),
        (bytes(range(0x80, 0x100)) * 10, "编码"),
        ("这只是一段说明文字。没有编号的措施。".encode(), "不像政策文件"),
    ],
    ids=["empty", "pdf", "binary", "undecodable", "not-a-policy"],
)
def test_bad_input_exits_1_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    for args in (("policy", "parse", str(path)), ("policy", "diff", str(OFFICIAL), str(path))):
        code, out, err = run(capsys, *args)
        assert code == 1
        assert message in err
        assert "bad.txt" in err
        assert "Traceback" not in err
        assert out == ""


def test_missing_file_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "policy", "parse", str(tmp_path / "nope.txt"))
    assert code == 1
    assert "找不到文件" in err


def test_bad_format_is_bad_usage(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(capsys, "policy", "parse", str(OFFICIAL), "--format", "xml")
    assert code == 2


def test_installed_entry_point_runs_in_a_subprocess() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "laser_policy", "policy", "parse", str(DATA / "missing.txt")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "找不到文件" in result.stderr
    assert "Traceback" not in result.stderr
