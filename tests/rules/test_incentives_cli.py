"""``laser-policy incentives compute``: formats, year filter, exit status, no output on error."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from laser_policy.cli import main
from laser_policy.contracts.tables import ENTITLEMENT_COLUMNS

from .incentive_packages import make_uscc, write_package

WUHAN, HUANGSHI = make_uscc(1), make_uscc(2)


@dataclass
class Result:
    returncode: int
    stdout: bytes
    stderr: bytes


@pytest.fixture
def run(capsysbinary: pytest.CaptureFixture[bytes]) -> Callable[..., Result]:
    """Runs the CLI's entry point in-process (exit status and streams as a user sees them)."""

    def invoke(*args: str) -> Result:
        try:
            main(["incentives", "compute", *args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        else:  # pragma: no cover - main always exits
            code = 0
        captured = capsysbinary.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_package(
        tmp_path_factory.mktemp("pkg"),
        {
            "enterprises": [
                {"统一社会信用代码": WUHAN, "企业名称": "武汉光谷激光（示例）", "市州": "武汉市"},
                {"统一社会信用代码": HUANGSHI, "企业名称": "黄石光电（示例）", "市州": "黄石市"},
            ],
            "financials": [
                {"uscc": WUHAN, "year": 2024, "revenue_wan": 600000, "laser_revenue_wan": 500000},
                {"uscc": WUHAN, "year": 2025, "revenue_wan": 1100000, "laser_revenue_wan": 900000},
                {
                    "uscc": HUANGSHI,
                    "year": 2025,
                    "revenue_wan": 520000,
                    "laser_revenue_wan": 400000,
                },
            ],
            "products": [
                {
                    "product_id": "P1",
                    "developer_uscc": WUHAN,
                    "user_uscc": HUANGSHI,
                    "catalog": "first_set_equipment",
                    "catalog_level": "national",
                    "year": 2025,
                    "unit_price_wan": 8000,
                    "rd_cost_wan": None,
                },
            ],
            "awards": [
                {"uscc": WUHAN, "incentive": "revenue_milestone", "year": 2024, "amount_wan": 200},
            ],
        },
    )


def test_csv_lists_money_still_due_with_the_contract_columns(
    run: Callable[..., Result], package: Path
) -> None:
    result = run(str(package))
    assert result.returncode == 0, result.stderr.decode()
    table = pd.read_csv(io.BytesIO(result.stdout), dtype={"uscc": str})
    assert tuple(table.columns[: len(ENTITLEMENT_COLUMNS)]) == ENTITLEMENT_COLUMNS
    assert list(table.columns[len(ENTITLEMENT_COLUMNS) :]) == ["ref", "rules_version"]
    rows = {(r.uscc, r.incentive, r.year): r for r in table.itertuples()}
    assert set(rows) == {
        (WUHAN, "revenue_milestone", 2025),
        (HUANGSHI, "revenue_milestone", 2025),
        (WUHAN, "first_set", 2025),
        (HUANGSHI, "first_set", 2025),
    }
    assert rows[(WUHAN, "revenue_milestone", 2025)].amount_wan == 300  # 500 less the 200 paid
    assert rows[(HUANGSHI, "revenue_milestone", 2025)].city_wan == 100
    assert "黄石市100万元" in rows[(HUANGSHI, "revenue_milestone", 2025)].explanation
    assert (table.province_wan + table.city_wan == table.amount_wan).all()


def test_json_carries_the_structured_steps(run: Callable[..., Result], package: Path) -> None:
    result = run(str(package), "--format", "json", "--year", "2025")
    assert result.returncode == 0, result.stderr.decode()
    rows = json.loads(result.stdout)
    assert {r["year"] for r in rows} == {2025}
    milestone = next(
        r for r in rows if r["uscc"] == WUHAN and r["incentive"] == "revenue_milestone"
    )
    steps = {s["step"]: s["value"] for s in milestone["steps"]}
    assert steps["entitled"] == 500
    assert steps["ledger"] == 200
    assert steps["due"] == milestone["amount_wan"] == 300
    assert milestone["rules_version"]


def test_xlsx_is_written_to_the_output_file(
    run: Callable[..., Result], package: Path, tmp_path: Path
) -> None:
    target = tmp_path / "entitlements.xlsx"
    result = run(str(package), "--format", "xlsx", "--output", str(target))
    assert result.returncode == 0, result.stderr.decode()
    table = pd.read_excel(target, sheet_name="entitlements", dtype={"uscc": str})
    assert len(table) == 4
    assert "合计" in result.stderr.decode()


def test_a_year_with_nothing_due_gives_just_the_header(
    run: Callable[..., Result], package: Path
) -> None:
    result = run(str(package), "--year", "2026")
    assert result.returncode == 0
    assert result.stdout.decode().strip() == ",".join(
        (*ENTITLEMENT_COLUMNS, "ref", "rules_version")
    )


def test_xlsx_without_an_output_file_is_bad_usage(
    run: Callable[..., Result], package: Path
) -> None:
    result = run(str(package), "--format", "xlsx")
    assert result.returncode == 2
    assert "--output" in result.stderr.decode()


def test_bad_numbers_are_reported_by_file_row_and_column_and_nothing_is_written(
    run: Callable[..., Result],
    tmp_path: Path,
) -> None:
    bad = write_package(
        tmp_path / "bad",
        {
            "enterprises": [{"uscc": WUHAN, "name": "甲（示例）", "city": "武汉市"}],
            "financials": [
                {"uscc": WUHAN, "year": 2025, "revenue_wan": "六十亿", "laser_revenue_wan": 1},
                {"uscc": WUHAN, "year": "二〇二六", "revenue_wan": 1, "laser_revenue_wan": 1},
            ],
        },
    )
    target = tmp_path / "out.csv"
    result = run(str(bad), "--output", str(target))
    assert result.returncode == 1
    message = result.stderr.decode()
    assert "financials" in message
    assert "revenue_wan" in message or "营业收入" in message
    assert "year" in message or "年度" in message
    assert not target.exists()


def test_a_missing_package_is_bad_input(run: Callable[..., Result], tmp_path: Path) -> None:
    result = run(str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert "nowhere" in result.stderr.decode()


@pytest.mark.spark
def test_spark_engine_gives_the_same_csv(run: Callable[..., Result], package: Path) -> None:
    duck = run(str(package))
    spark = run(str(package), "--engine", "spark")
    assert spark.returncode == 0, spark.stderr.decode()[-2000:]
    assert spark.stdout == duck.stdout
