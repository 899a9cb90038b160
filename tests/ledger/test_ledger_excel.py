"""The finance bureau's workbook: one sheet per payer, Chinese headers, totals equal the ledger."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from laser_policy.errors import LedgerError, UsageError
from laser_policy.ledger.budget import ledger_frame
from laser_policy.ledger.excel import SHEET_COLUMNS, TOTAL_ZH, export_approved
from laser_policy.ledger.records import PROVINCE_ZH
from laser_policy.ledger.service import RunResult, approve, review


def test_one_sheet_per_payer_with_totals_equal_to_the_ledger(
        ledger: tuple[str, RunResult], tmp_path: Path) -> None:
    url, run = ledger
    with pytest.raises(LedgerError, match="没有已批准"):
        export_approved(url, tmp_path / "none.xlsx")
    review(url, run.inserted_ids, "张审核（示例）")
    approve(url, run.inserted_ids, "李批准（示例）")
    out = tmp_path / "approved.xlsx"
    summary = export_approved(url, out)
    frame = ledger_frame(url, ("approved",))
    expected = {PROVINCE_ZH: round(frame["province_wan"].sum(), 2)}
    for city, part in frame[frame["city_wan"] > 0].groupby("payer_city"):
        expected[str(city)] = round(part["city_wan"].sum(), 2)
    wb = load_workbook(out)
    assert wb.sheetnames[0] == PROVINCE_ZH
    assert set(wb.sheetnames) == set(expected)
    assert len(wb.sheetnames) >= 2
    payer_col = [c for c, _, _ in SHEET_COLUMNS].index("payer_wan")
    for name in wb.sheetnames:
        rows = list(wb[name].iter_rows(values_only=True))
        assert list(rows[0]) == [zh for _, zh, _ in SHEET_COLUMNS]
        body, total = rows[1:-1], rows[-1]
        assert total[0] == TOTAL_ZH
        assert total[payer_col] == pytest.approx(expected[name])
        assert sum(r[payer_col] for r in body) == pytest.approx(expected[name])
        assert summary[name] == (len(body), pytest.approx(expected[name]))


def test_the_cli_writes_the_workbook(ledger: tuple[str, RunResult], tmp_path: Path) -> None:
    from laser_policy.cli.ledger import export_approved_command

    url, run = ledger
    review(url, run.inserted_ids[:3], "张审核（示例）")
    approve(url, run.inserted_ids[:3], "李批准（示例）")
    out = tmp_path / "finance.xlsx"
    result = CliRunner().invoke(export_approved_command, [str(out), "--db", url])
    assert result.exit_code == 0, result.output
    assert out.exists()
    assert PROVINCE_ZH in result.output
    bad = CliRunner().invoke(export_approved_command, [str(tmp_path / "x.csv"), "--db", url])
    assert isinstance(bad.exception, UsageError)
