"""The validator's DuckDB SQL written as Spark SQL (no Spark needed): by kind of construct."""

from __future__ import annotations

import pytest

from laser_policy.engine.spark_read import Location
from laser_policy.engine.spark_sql import SparkSQL


def _spark(sql: str, maps: tuple[str, ...] = ()) -> str:
    con = SparkSQL(None)
    con.maps.update(maps)
    return con.spark_sql(sql)


def test_full_match_is_anchored_at_both_ends() -> None:
    out = _spark(r"SELECT regexp_full_match(x, '\d{4}') FROM t")
    assert "x RLIKE '^(?:\\\\d{4})\\\\z'" in out


def test_rewrites_reach_inside_rewritten_functions() -> None:
    out = _spark(r"SELECT floor(CASE WHEN regexp_full_match(x, 'a') AND isfinite(y) "
                 r"THEN y END) FROM t")
    assert "REGEXP_FULL_MATCH" not in out.upper()
    assert "ISFINITE" not in out.upper()
    assert "RINT(" in out


def test_a_mapping_table_is_looked_up_by_an_uncorrelated_subquery() -> None:
    out = _spark('SELECT (SELECT v FROM _map1 WHERE k = "city"), "c" IN (SELECT k FROM _map2) '
                 "FROM t", maps=("_map1", "_map2"))
    built = "(SELECT MAP_FROM_ENTRIES(COLLECT_LIST(STRUCT(k AS k, v AS v))) FROM _map1)"
    assert f"ELEMENT_AT({built}, `city`)" in out
    assert "ARRAY_CONTAINS((SELECT COLLECT_LIST(k) FROM _map2), `c`)" in out
    assert "WHERE k =" not in out


def test_an_ordered_list_slice_becomes_slice_of_a_sorted_array() -> None:
    out = _spark("SELECT list(_row ORDER BY _row)[1:26] FROM t GROUP BY a")
    assert "SLICE(ARRAY_SORT(COLLECT_LIST(_row)), 1, 26)" in out


@pytest.mark.parametrize(("given", "uri", "local"), [
    ("hdfs://namenode:8020/data/pkg/", "hdfs://namenode:8020/data/pkg", None),
    ("s3a://bucket/pkg", "s3a://bucket/pkg", None),
    ("file:///tmp/pkg", "file:///tmp/pkg", "/tmp/pkg"),
])
def test_a_uri_is_passed_to_spark_as_is(given: str, uri: str, local: str | None) -> None:
    where = Location.of(given)
    assert where.uri == uri
    assert (None if where.local is None else str(where.local)) == local
    assert where.child("enterprises.csv") == f"{uri}/enterprises.csv"
