"""``import``: upsert keyed on each table's key, audited, all or nothing (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from store_packages import (
    bulk_files,
    current_files,
    dump,
    enterprises,
    execute,
    financials,
    make_uscc,
    scalar,
    write_package,
)

from laser_policy.cli.store import import_
from laser_policy.errors import DataValidationError, InputError
from laser_policy.io import read_package
from laser_policy.io.fingerprint import content_fingerprint
from laser_policy.store.exporter import read_tables
from laser_policy.store.importer import import_package

YEARS = range(2019, 2027)


def _package(tmp: Path, n: int = 3, revenue: float = 1000.0, **extra: Any) -> Path:
    ents = enterprises(n)
    tables: dict[str, Any] = {
        "enterprises": ents,
        "financials": financials([e["uscc"] for e in ents], YEARS, revenue),
        **extra,
    }
    return write_package(tmp, tables)


def source_sha256(pkg: Path) -> str:
    """What an import records of its source: the content fingerprint of its tables."""
    return content_fingerprint(dict(read_package(pkg).tables))


def _audit(url: str) -> list[tuple[Any, ...]]:
    return dump(url)["audit_log"]


def test_first_import_inserts_every_row_and_audits_each(db_url: str, tmp_path: Path) -> None:
    pkg = _package(tmp_path / "pkg")
    result = import_package(pkg, db_url, user="审核员甲")
    assert result.counts["enterprises"].inserted == 3
    assert result.counts["financials"].inserted == 3 * len(YEARS)
    assert result.batch_id == 1
    tables = read_tables(db_url)
    assert list(tables["enterprises"]["uscc"]) == sorted(make_uscc(i) for i in range(3))
    assert len(_audit(db_url)) == 3 + 3 * len(YEARS)
    sql = ("SELECT count(*) FROM audit_log WHERE action = 'insert' "
           f"AND user_name = '审核员甲' AND source_sha256 = '{source_sha256(pkg)}'")
    assert scalar(db_url, sql) == 3 + 3 * len(YEARS)
    summary = result.summary_zh()
    assert "企业名录" in summary
    assert "新增" in summary


def test_reimporting_the_same_package_changes_nothing(db_url: str, tmp_path: Path) -> None:
    pkg = _package(tmp_path / "pkg")
    import_package(pkg, db_url)
    before = dump(db_url)
    again = import_package(pkg, db_url)
    assert not again.changed
    assert again.batch_id is None
    assert again.counts["financials"].unchanged == 3 * len(YEARS)
    assert "未作任何修改" in again.summary_zh()
    assert dump(db_url) == before  # not even an import-batch row


def test_a_newer_row_is_updated_and_audited_with_before_and_after(
        db_url: str, tmp_path: Path) -> None:
    import_package(_package(tmp_path / "v1", revenue=1000.0), db_url, user="a")
    ents = enterprises(3)
    fin = financials([e["uscc"] for e in ents], YEARS, 1000.0)
    fin[0]["revenue_wan"] = 500_000.0  # one enterprise-year corrected
    v2 = write_package(tmp_path / "v2", {"enterprises": ents, "financials": fin})
    result = import_package(v2, db_url, user="b")
    assert (result.counts["financials"].updated, result.counts["financials"].inserted) == (1, 0)
    assert result.counts["enterprises"].unchanged == 3
    rows = scalar(db_url, "SELECT count(*) FROM audit_log WHERE action = 'update'")
    assert rows == 1
    engine_rows = [r for r in _audit(db_url) if r[6] == "update"]
    (row,) = engine_rows
    _, batch, _, user, table, key, _, before, after, sha = row

    def decode(v: Any) -> Any:
        return v if isinstance(v, dict) else json.loads(v)

    assert (batch, user, table, sha) == (2, "b", "financials", source_sha256(v2))
    assert decode(key) == {"uscc": fin[0]["uscc"], "year": fin[0]["year"]}
    assert decode(before)["revenue_wan"] == 1000.0 + fin[0]["year"]
    assert decode(after)["revenue_wan"] == 500_000.0
    assert decode(after)["has_rd_institution"] is True
    stored = read_tables(db_url)["financials"]
    assert stored.loc[0, "revenue_wan"] == 500_000.0


def test_optional_key_parts_are_keys_too(db_url: str, tmp_path: Path) -> None:
    ents = enterprises(1)
    u = ents[0]["uscc"]
    quals = [{"uscc": u, "kind": "高新技术企业", "level": None, "year": 2024},
             {"uscc": u, "kind": "专精特新小巨人", "level": "国家级", "year": 2024}]
    pkg = write_package(tmp_path / "p", {"enterprises": ents, "qualifications": quals})
    import_package(pkg, db_url)
    assert not import_package(pkg, db_url).changed
    stored = read_tables(db_url)["qualifications"]
    assert stored["level"].isna().sum() == 1


def _inject_failure(url: str, project_id: str, at_commit: bool) -> None:
    """A real database failure on inserting one project: at once, or only at COMMIT."""
    pg = url.startswith("postgresql")
    action = ("INSERT INTO boom_child VALUES (42)" if at_commit
              else ("RAISE EXCEPTION 'injected failure'" if pg
                    else "SELECT RAISE(ABORT, 'injected failure')"))
    setup = ["CREATE TABLE boom_parent (id INTEGER PRIMARY KEY)",
             ("CREATE TABLE boom_child (parent_id INTEGER REFERENCES boom_parent (id) "
              "DEFERRABLE INITIALLY DEFERRED)")]
    if pg:
        setup += [
            ("CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
             f"IF NEW.project_id = '{project_id}' THEN {action}; END IF; RETURN NEW; END $$"),
            "CREATE TRIGGER boom AFTER INSERT ON projects FOR EACH ROW EXECUTE FUNCTION boom()",
        ]
    else:
        setup.append(f"CREATE TRIGGER boom AFTER INSERT ON projects "
                     f"WHEN NEW.project_id = '{project_id}' BEGIN {action}; END")
    execute(url, *setup)


@pytest.mark.parametrize("at_commit", [False, True], ids=["mid-import", "at-commit"])
def test_a_failure_mid_import_leaves_database_and_parquet_exactly_as_before(
        db_url: str, tmp_path: Path, at_commit: bool) -> None:
    ents = enterprises(3)
    buyer = ents[0]["uscc"]
    tx_2024 = [{"buyer_uscc": buyer, "supplier_name": "某供应商（示例）",
                "supplier_province": "湖北省", "segment": "LSR-FIBER", "year": 2024,
                "amount_wan": 10.0}]
    import_package(_package(tmp_path / "v1", transactions=tx_2024), db_url)
    _inject_failure(db_url, "BOOM", at_commit)
    before, files_before = dump(db_url), bulk_files(db_url)
    assert files_before

    changed = [dict(e, name=e["name"] + "改") for e in ents]
    more_tx = [dict(tx_2024[0], amount_wan=99.0), dict(tx_2024[0], year=2025)]
    projects = [{"project_id": pid, "name": "示例项目", "uscc": buyer, "kind": "major",
                 "year": 2025, "investment_wan": 1000.0} for pid in ("OK1", "BOOM")]
    v2 = write_package(tmp_path / "v2", {
        "enterprises": changed, "financials": financials([buyer], range(2027, 2029)),
        "projects": projects, "transactions": more_tx})
    with pytest.raises(InputError, match="未作任何修改"):
        import_package(v2, db_url)
    assert dump(db_url) == before
    assert bulk_files(db_url) == files_before
    assert not [*tmp_path.rglob(".staging-*"), *tmp_path.rglob(".trash-*")]


def test_a_row_referencing_an_unknown_enterprise_is_refused_and_nothing_written(
        db_url: str, tmp_path: Path) -> None:
    import_package(_package(tmp_path / "v1"), db_url)
    before = dump(db_url)
    orphan = write_package(tmp_path / "v2", {
        "enterprises": enterprises(1, start=50),
        "financials": financials([make_uscc(999)], range(2024, 2025))})
    with pytest.raises(InputError):  # the validator or the foreign key, whichever sees it first
        import_package(orphan, db_url)
    assert dump(db_url) == before


def test_invalid_values_are_all_reported_and_nothing_is_created(
        db_url: str, tmp_path: Path) -> None:
    ents = enterprises(2)
    fin = financials([e["uscc"] for e in ents], range(2024, 2026))
    fin[0]["revenue_wan"] = "很多"
    fin[3]["year"] = "二〇二五"
    bad = write_package(tmp_path / "bad", {"enterprises": ents, "financials": fin})
    with pytest.raises(DataValidationError) as err:
        import_package(bad, db_url)
    assert len(err.value.problems) >= 2
    assert {p.column for p in err.value.problems} >= {"revenue_wan", "year"}
    assert "alembic_version" not in dump(db_url)  # not even the schema


def test_transactions_replace_whole_years_and_identical_years_stay(
        db_url: str, tmp_path: Path) -> None:
    ents = enterprises(2)
    row = {"buyer_uscc": ents[0]["uscc"], "supplier_name": "粤企（示例）",
           "supplier_province": "广东省", "segment": "CMP-CHIP", "year": 2024, "amount_wan": 5.0}
    v1 = [row, dict(row, amount_wan=6.0), dict(row, year=2025)]
    import_package(write_package(tmp_path / "v1", {"enterprises": ents, "transactions": v1}),
                   db_url)
    files = bulk_files(db_url)
    assert len(files) == 2  # one current version of each year, no more
    assert sorted(current_files(db_url)) == [2024, 2025]
    v2 = [dict(row, amount_wan=7.0), dict(row, year=2025)]  # 2024 restated, 2025 the same
    result = import_package(
        write_package(tmp_path / "v2", {"enterprises": ents, "transactions": v2}), db_url)
    assert {p.year: p.action for p in result.partitions} == {2024: "replace", 2025: "unchanged"}
    after = bulk_files(db_url)
    assert len(after) == 2  # the replaced 2024 version is gone
    same = [n for n in files if n.startswith("transactions/year=2025/")]
    assert after[same[0]] == files[same[0]]  # the unchanged year's file was not touched
    stored = read_tables(db_url)["transactions"]
    assert sorted(stored["amount_wan"].tolist()) == [5.0, 7.0]
    assert scalar(db_url, "SELECT count(*) FROM audit_log WHERE table_name = 'transactions'") == 3


def test_transactions_of_an_unknown_buyer_are_refused(db_url: str, tmp_path: Path) -> None:
    ents = enterprises(1)
    tx = [{"buyer_uscc": make_uscc(777), "supplier_name": "某供应商（示例）",
           "supplier_province": "湖北省", "segment": "EQP-CUT",
           "year": 2024, "amount_wan": 1.0}]
    pkg = write_package(tmp_path / "p", {"enterprises": ents, "transactions": tx})
    with pytest.raises(DataValidationError):
        import_package(pkg, db_url)
    assert bulk_files(db_url) == {}


def test_cli_import_prints_a_chinese_summary_and_records_the_user(
        db_url: str, tmp_path: Path) -> None:
    pkg = _package(tmp_path / "pkg")
    out = CliRunner().invoke(import_, [str(pkg), "--db", db_url, "--user", "张三"])
    assert out.exit_code == 0, out.output
    assert "导入批次 #1" in out.output
    assert "年度指标 financials" in out.output
    assert scalar(db_url, "SELECT user_name FROM import_batches") == "张三"


def test_cli_import_of_a_broken_package_exits_1_naming_the_problem(
        db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from laser_policy.cli import main

    ents = enterprises(1)
    fin = financials([ents[0]["uscc"]], range(2024, 2025))
    fin[0]["revenue_wan"] = "很多"
    bad = write_package(tmp_path / "bad", {"enterprises": ents, "financials": fin})
    with pytest.raises(SystemExit) as done:
        main(["import", str(bad), "--db", db_url])
    assert done.value.code == 1
    err = capsys.readouterr().err
    assert "financials" in err
    assert "revenue_wan" in err or "营业收入" in err
