"""``laser-policy tasks``: submit, list, flags, form, import, projects through the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from laser_policy.cli import main
from laser_policy.policy.model import PolicyModel


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(["tasks", *args])
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out, out.err


def test_submit_list_and_flags(capsys: pytest.CaptureFixture[str], db_url: str,
                               sample_dir: Path, model: PolicyModel) -> None:
    code, out, _ = run(capsys, "submit", "--measure", "十八", "--unit", "省经信厅",
                       "--period", "2025Q4", "--status", "done", "--narrative", "奖励已兑现",
                       "--figure", "兑现企业数=1", "--user", "经信厅", "--db", db_url)
    assert code == 0
    assert "新增 1 份" in out

    code, out, _ = run(capsys, "list", "--period", "2025Q4", "--format", "json", "--db", db_url)
    [row] = json.loads(out)
    assert (row["numeral"], row["unit"], row["status"], row["figures"]) == (
        "十八", "省经信厅", "done", {"兑现企业数": 1})

    code, out, _ = run(capsys, "flags", "--as-of", "2026-02-01", "--format", "json",
                       "--db", db_url)
    assert code == 0
    flags: list[dict[str, Any]] = json.loads(out)
    assert {f["period"] for f in flags} == {"2025Q4"}  # the last quarter ended by then
    # the report was submitted today (the CLI's clock), so on that day it was missing
    assert {f["colour"] for f in flags} == {"red"}
    assert all("逾期未报" in f["reason"] for f in flags)

    today = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
    code, out, _ = run(capsys, "flags", "--period", "2025Q4", "--as-of", today.isoformat(),
                       "--data", str(sample_dir), "--format", "json", "--db", db_url)
    mine = next(f for f in json.loads(out) if f["numeral"] == "十八" and f["unit"] == "省经信厅")
    assert mine["colour"] == "red"  # the sample still owes 2025's milestone rewards
    assert "营收突破" in mine["reason"]
    assert "迟报" in mine["reason"]  # submitted long after 2026-01-15

    code, out, _ = run(capsys, "flags", "--as-of", "2026-02-01", "--summary", "--db", db_url)
    assert code == 0
    assert "措施" in out


def test_a_unit_reporting_on_another_units_measure_exits_1(
        capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    code, _, err = run(capsys, "submit", "--measure", "十八", "--unit", "省科技厅",
                       "--period", "2025Q3", "--status", "已完成", "--narrative", "x",
                       "--db", db_url)
    assert code == 1
    assert "unit_not_responsible" in err
    assert "省科技厅不是措施（十八）" in err


def test_bad_figure_option_is_a_usage_error(capsys: pytest.CaptureFixture[str],
                                            db_url: str) -> None:
    code, _, err = run(capsys, "submit", "--measure", "十八", "--unit", "省经信厅",
                       "--period", "2025Q3", "--status", "done", "--narrative", "x",
                       "--figure", "没有等号", "--db", db_url)
    assert code == 2
    assert "--figure" in err


def test_form_then_import(capsys: pytest.CaptureFixture[str], db_url: str,
                          tmp_path: Path) -> None:
    out_file = tmp_path / "省科技厅-2025Q3.xlsx"
    code, out, _ = run(capsys, "form", str(out_file), "--unit", "省科技厅",
                       "--period", "2025Q3")
    assert code == 0
    wb = load_workbook(out_file)
    ws = wb.worksheets[0]
    ws["D2"], ws["E2"] = "推进中", "研发机构建设推进中"
    wb.save(out_file)
    code, out, _ = run(capsys, "import", str(out_file), "--db", db_url)
    assert code == 0
    assert "新增 1 份" in out


def test_projects_json(capsys: pytest.CaptureFixture[str], sample_dir: Path,
                       model: PolicyModel) -> None:
    code, out, _ = run(capsys, "projects", str(sample_dir), "--as-of", "2026-06-30",
                       "--format", "json")
    assert code == 0
    rows = json.loads(out)
    named = [r["policy_project"] for r in rows if r["policy_project"]]
    assert named == [p.id for p in model.projects]
    assert {r["status"] for r in rows} <= {"delayed", "on_track", "in_production",
                                           "at_capacity", "unknown", "no_data"}
