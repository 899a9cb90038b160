"""The report's section on funds and guarantees: its tables hold the monitoring's figures
as of the report's year, laid out like every table of the 公文; no data, one sentence."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from fund_packages import fund_tables
from laser_policy.cli import cli
from laser_policy.io import read_package
from laser_policy.policy.model import load_policy
from laser_policy.reports.funds_section import FUND_HEADER, GUARANTEE_HEADER, build_section

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fundrep") / "pkg"
    out.mkdir()
    for name, frame in fund_tables().items():
        frame.to_csv(out / f"{name}.csv", index=False, encoding="utf-8-sig")
    return out


def test_section_figures_are_those_known_at_the_end_of_the_year(folder: Path) -> None:
    pkg, model = read_package(folder), load_policy()
    s2024 = build_section(pkg, model, 2024)
    # 2024: only FI-1 (光谷, 30000) and the guarantees G-1, G-2 (one 代偿)
    assert [r[0] for r in s2024.funds] == [f.name_zh for f in model.funds]
    assert s2024.funds[2][1:4] == ["1", "1", "30,000"]
    assert s2024.funds[2][5] == "3.00%"
    assert s2024.funds[0][4:] == ["—", "原文未写"]
    assert s2024.guarantees[-1] == ["合计", "2", "2", "800", "1", "50.0%"]
    s2025 = build_section(pkg, model, 2025)
    assert s2025.funds[2][3] == "50,000"
    assert s2025.guarantees[-1] == ["合计", "4", "3", "1,100", "1", "25.0%"]
    assert any("技术创新" in f for f in s2025.findings)


def test_docx_has_the_section_with_tables_that_fit(folder: Path, tmp_path: Path) -> None:
    from docx import Document

    out = tmp_path / "r.docx"
    result = CliRunner().invoke(cli, ["report", str(folder), "--year", "2025", "--format",
                                      "docx", "--output", str(out)])
    assert result.exit_code == 0, result.output
    doc = Document(str(out))
    paragraphs = [(p.text, p.style.name if p.style else "") for p in doc.paragraphs]
    assert ("九、基金投放与融资担保", "Heading 1") in paragraphs
    assert ("（一）基金投放", "Heading 2") in paragraphs
    assert ("（二）政府性融资担保", "Heading 2") in paragraphs
    # header cells may break before their unit: compared without line breaks
    headers = {tuple(c.text.replace("\n", "") for c in t.rows[0].cells): t for t in doc.tables}
    assert tuple(FUND_HEADER) in headers
    assert tuple(GUARANTEE_HEADER) in headers
    fund_table = headers[tuple(FUND_HEADER)]
    assert [c.text for c in fund_table.rows[3].cells][3] == "50,000"
    for table in (fund_table, headers[tuple(GUARANTEE_HEADER)]):
        widths = [int(g.get(f"{W}w")) / 1440 * 25.4 for g in table._tbl.tblGrid]
        assert sum(widths) == pytest.approx(156, abs=0.5)
        assert min(widths) > 2.5 * 12 / 72 * 25.4


def test_without_fund_data_the_section_says_so(folder: Path) -> None:
    from laser_policy.io import Package

    pkg = read_package(folder)
    bare = Package(source=folder, tables={n: pkg.get(n) for n in ("enterprises", "financials")})
    section = build_section(bare, load_policy(), 2025)
    assert section.reason == "数据包中暂无基金投资和融资担保数据。"
    assert not section.funds
