"""``export`` then ``import`` is lossless (Hypothesis), on SQLite and PostgreSQL, csv and xlsx."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_packages import enterprises, make_uscc, write_package

from formula_names import NAMES as FORMULA_NAMES
from laser_policy.cli.store import export
from laser_policy.contracts import TABLES
from laser_policy.contracts.cities import HUBEI_DIVISIONS
from laser_policy.errors import InputError
from laser_policy.store.exporter import export_package, read_tables
from laser_policy.store.importer import import_package
from laser_policy.store.values import to_frame

SEGMENTS = ("MAT-CRYSTAL", "CMP-CHIP", "LSR-FIBER", "EQP-CUT", "EQP-CLEAN", "APP-LIDAR")
YEARS = st.integers(2020, 2026)
MONEY = st.floats(0, 1e7, allow_nan=False, allow_infinity=False)
WORDS = st.text(alphabet="激光器切割焊接设备芯片材料示范项目平台湖北武汉光谷创新", min_size=1,
                max_size=12)
#: firm names, some of which a spreadsheet would run as formulas (issue 17)
NAMES = WORDS | st.sampled_from(FORMULA_NAMES)
DATES = st.dates(date(2015, 1, 1), date(2026, 12, 31))


def _maybe(s: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | s


@st.composite
def packages(draw: st.DrawFn) -> dict[str, list[dict[str, Any]]]:
    """A small valid data package (synthetic: names end with （示例）)."""
    ids = draw(st.lists(st.integers(0, 10**6), min_size=1, max_size=4, unique=True))
    codes = [make_uscc(i) for i in ids]
    pick = st.sampled_from(codes)
    ents = [{"uscc": u, "name": draw(NAMES) + "（示例）", "province": "湖北省",
             "city": draw(st.sampled_from(HUBEI_DIVISIONS)),
             "segments": draw(_maybe(st.lists(st.sampled_from(SEGMENTS), min_size=1, max_size=3,
                                              unique=True).map(";".join))),
             "listed_on": draw(_maybe(DATES)), "is_laser": draw(st.booleans())} for u in codes]
    fin_keys = draw(st.lists(st.tuples(pick, YEARS), max_size=6, unique=True))
    fin = []
    for u, y in fin_keys:
        revenue = draw(MONEY)
        fin.append({"uscc": u, "year": y, "revenue_wan": revenue,
                    "laser_revenue_wan": revenue * draw(st.sampled_from([0.0, 0.25, 0.5, 1.0])),
                    "rd_expense_wan": draw(_maybe(MONEY)),
                    "invention_patents": draw(_maybe(st.integers(0, 5000))),
                    "has_rd_institution": draw(_maybe(st.booleans())),
                    "above_scale": draw(_maybe(st.booleans()))})
    quals = [{"uscc": u, "kind": k, "level": lv, "year": y} for u, k, lv, y in draw(st.lists(
        st.tuples(pick, st.sampled_from(["专精特新小巨人", "高新技术企业"]),
                  st.sampled_from([None, "国家级", "省级"]), YEARS), max_size=3, unique=True))]
    products = [{"product_id": f"P{i:04d}", "developer_uscc": draw(pick),
                 "user_uscc": draw(_maybe(pick)),
                 "catalog": draw(st.sampled_from(["first_set_equipment", "first_batch_material"])),
                 "catalog_level": draw(st.sampled_from(["national", "provincial"])),
                 "year": draw(YEARS), "unit_price_wan": draw(_maybe(MONEY)),
                 "rd_cost_wan": draw(_maybe(MONEY)), "name": draw(_maybe(WORDS))}
                for i in range(draw(st.integers(0, 2)))]
    projects = [{"project_id": f"X{i:03d}", "name": draw(WORDS), "uscc": draw(pick),
                 "kind": "special_fund", "channel": "省科技专项", "year": draw(YEARS),
                 "investment_wan": draw(MONEY), "planned_completion": draw(_maybe(DATES)),
                 "city": draw(_maybe(st.sampled_from(HUBEI_DIVISIONS)))}
                for i in range(draw(st.integers(0, 2)))]
    awards = [{"uscc": u, "incentive": "revenue_milestone", "year": y, "amount_wan": 200.0,
               "tier": draw(_maybe(st.sampled_from(["50亿", "100亿"]))), "ref": ref}
              for u, y, ref in draw(st.lists(st.tuples(pick, YEARS, st.sampled_from(
                  [None, "R1"])), max_size=2, unique=True))]
    demands = [{"id": f"D{i:03d}", "uscc": draw(pick), "title": draw(NAMES), "text": draw(WORDS),
                "segment": draw(_maybe(st.sampled_from(SEGMENTS))), "posted_on": draw(DATES)}
               for i in range(draw(st.integers(0, 2)))]
    tx = [{"buyer_uscc": draw(pick), "supplier_uscc": draw(_maybe(st.just(make_uscc(4242)))),
           "supplier_name": draw(WORDS.map(lambda w: w + "（示例）")),
           "supplier_province": draw(st.sampled_from(["湖北省", "广东省", "江苏省"])),
           "segment": draw(st.sampled_from(SEGMENTS)), "year": draw(YEARS),
           "amount_wan": draw(MONEY)} for _ in range(draw(st.integers(0, 4)))]
    tables = {"enterprises": ents, "financials": fin, "qualifications": quals,
              "products": products, "projects": projects, "awards": awards,
              "demands": demands, "transactions": tx}
    return {n: rows for n, rows in tables.items() if rows}


def _expected(tables: dict[str, list[dict[str, Any]]]) -> dict[str, pd.DataFrame]:
    out = {}
    for name, rows in tables.items():
        spec = TABLES[name]
        df = pd.DataFrame(rows).reindex(columns=list(spec.column_names))
        df = df.astype(object).where(df.notna(), None)
        if spec.key:
            df = df.sort_values(list(spec.key), key=lambda s: s.fillna("").astype(str))
        out[name] = to_frame(spec, df.reset_index(drop=True))
    return out


def _assert_same(got: dict[str, pd.DataFrame], want: dict[str, pd.DataFrame]) -> None:
    assert sorted(got) == sorted(want)
    for name, expected in want.items():
        g, w = got[name], expected
        if name == "transactions":  # no key: compare as multisets
            cols = list(w.columns)
            g = g.sort_values(cols, key=lambda s: s.astype(str))
            w = w.sort_values(cols, key=lambda s: s.astype(str))
        pd.testing.assert_frame_equal(g.reset_index(drop=True), w.reset_index(drop=True),
                                      obj=name)


def _writes_transactions_folder_readable() -> bool:
    """Until the data branch's reader is merged, ``transactions/`` Parquet may be unread."""
    from laser_policy.io import read_package

    with tempfile.TemporaryDirectory() as d:
        folder = Path(d) / "transactions" / "year=2024"
        folder.mkdir(parents=True)
        pd.DataFrame({"buyer_uscc": [make_uscc(1)], "supplier_name": ["某供应商（示例）"],
                      "supplier_province": ["湖北省"],
                      "segment": ["EQP-CUT"], "amount_wan": [1.0]}).to_parquet(
            folder / "part-0.parquet")
        write_package(Path(d), {"enterprises": enterprises(2)})
        try:
            return "transactions" in read_package(d)
        except Exception:
            return False


FOLDER_TX = _writes_transactions_folder_readable()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_is_lossless(db_factory: Callable[[], str], fmt: str) -> None:
    @settings(max_examples=4, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(tables=packages())
    def round_trip(tables: dict[str, list[dict[str, Any]]]) -> None:
        if fmt == "csv" and not FOLDER_TX:
            tables.pop("transactions", None)
        with tempfile.TemporaryDirectory() as d:
            first, second = db_factory(), db_factory()
            import_package(write_package(Path(d) / "in", tables), first)
            stored = read_tables(first)
            _assert_same(stored, _expected(tables))  # the import itself is lossless
            out = Path(d) / ("out.xlsx" if fmt == "xlsx" else "out")
            export_package(out, first, fmt)  # type: ignore[arg-type]
            import_package(out, second)
            _assert_same(read_tables(second), stored)

    round_trip()


def test_csv_export_layout_bom_and_chinese_headers(db_url: str, tmp_path: Path) -> None:
    ents = enterprises(2)
    tx = [{"buyer_uscc": ents[0]["uscc"], "supplier_name": "某供应商（示例）",
           "supplier_province": "湖北省", "segment": "EQP-CUT",
           "year": 2025, "amount_wan": 3.0}]
    import_package(write_package(tmp_path / "in", {"enterprises": ents, "transactions": tx}),
                   db_url)
    out = tmp_path / "out"
    result = CliRunner().invoke(export, [str(out), "--db", db_url, "--headers", "zh"])
    assert result.exit_code == 0, result.output
    assert "已导出" in result.output
    raw = (out / "enterprises.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").splitlines()[0].startswith("统一社会信用代码,企业名称")
    assert "是" in raw.decode("utf-8-sig")
    assert (out / "transactions" / "year=2025" / "part-0.parquet").exists()


def test_xlsx_export_has_one_sheet_per_table(db_url: str, tmp_path: Path) -> None:
    ents = enterprises(2)
    import_package(write_package(tmp_path / "in", {"enterprises": ents}), db_url)
    out = tmp_path / "data.xlsx"
    export_package(out, db_url)
    sheets = pd.read_excel(out, sheet_name=None, dtype=object)
    assert list(sheets) == ["enterprises"]
    assert list(sheets["enterprises"].columns[:2]) == ["统一社会信用代码", "企业名称"]


def test_export_refuses_to_overwrite(db_url: str, tmp_path: Path) -> None:
    import_package(write_package(tmp_path / "in", {"enterprises": enterprises(1)}), db_url)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    with pytest.raises(InputError, match="已存在"):
        export_package(tmp_path / "out", db_url)
    assert (tmp_path / "out" / "keep.txt").read_text() == "mine"


def test_export_of_an_empty_database_is_refused(db_url: str, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="数据库为空"):
        export_package(tmp_path / "out", db_url)
    assert not (tmp_path / "out").exists()
