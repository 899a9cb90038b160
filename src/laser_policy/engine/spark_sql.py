"""The validator's DuckDB SQL run on Spark: one set of rules, transpiled by sqlglot.

``SparkSQL`` offers the three calls of a DuckDB connection the validator makes
(``execute(...).fetchall()``, ``sql``, ``register``) over a SparkSession. Each
query is parsed as DuckDB SQL and written as Spark SQL by sqlglot; what sqlglot
leaves to the dialects is rewritten here, by kind of construct, not by rule:

* ``regexp_full_match(x, p)`` -> ``x RLIKE '^(?:p)\\z'`` (Java regexes search);
* ``ord`` -> ``ascii`` (Spark's gives the code point of the first character);
* ``isfinite``, ``TRY_STRPTIME`` -> their Spark spellings;
* ``floor(x)``, which the validator uses only to ask "is x whole?", -> ``rint(x)``
  (Spark's ``floor`` returns a BIGINT and saturates past 2^63);
* ``list(x ORDER BY x)[a:b]`` -> ``slice(array_sort(collect_list(x)), a, b-a+1)``;
* a lookup in a small mapping table (``(SELECT v FROM m WHERE k = x)``,
  ``x IN (SELECT k FROM m)``) -> an uncorrelated subquery building a map or an array
  once (Spark refuses correlated and ``IN`` subqueries outside filters);
* ``CREATE TEMP TABLE t AS q`` -> ``q`` persisted by Spark and named ``t``.

Results come back to Python only for what the validator fetches: counts, the
first rows of a broken rule, distinct values for the vocabulary checks.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import sqlglot
from sqlglot import exp

_MAX_PASSES = 12
_STRPTIME = {"%Y-%m-%d": "yyyy-MM-dd"}


class SparkResult:
    """What ``execute`` returns: the rows, fetched once."""

    def __init__(self, frame: Any) -> None:
        self.frame = frame

    def fetchall(self) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.frame.collect()]


class SparkSQL:
    """A SparkSession behind the DuckDB connection calls the validator makes."""

    def __init__(self, session: Any) -> None:
        self.session = session
        #: mapping tables (``k`` -> ``v``) registered by the validator, by view name
        self.maps: set[str] = set()
        self.persisted: list[Any] = []

    def register(self, name: str, data: Any) -> None:
        """``data`` (an Arrow table, a Spark DataFrame or an object holding one as ``frame``)
        as the temporary view ``name``."""
        data = getattr(data, "frame", data)
        if isinstance(data, pa.Table):
            if name.startswith("_map"):
                self.maps.add(name)
            data = self.session.createDataFrame(data) if data.num_rows else (
                self.session.createDataFrame([], _spark_schema(data.schema)))
        data.createOrReplaceTempView(name)

    def spark_sql(self, query: str) -> str:
        """``query`` (DuckDB SQL) as Spark SQL."""
        return self._spark(sqlglot.parse_one(query, read="duckdb"))

    def _spark(self, tree: Any) -> str:
        # sqlglot's transform does not revisit what a replacement holds: rewrite until
        # nothing changes (each pass reaches one level further into nested rewrites)
        text = tree.sql(dialect="spark")
        for _ in range(_MAX_PASSES):
            tree = tree.transform(self._rewrite)
            again = tree.sql(dialect="spark")
            if again == text:
                break
            text = again
        return str(text)

    def sql(self, query: str) -> Any:
        """The Spark DataFrame of ``query`` (lazy)."""
        tree = sqlglot.parse_one(query, read="duckdb")
        if isinstance(tree, exp.Create):
            name = tree.this.name if isinstance(tree.this, exp.Table) else tree.this.this.name
            frame = self.session.sql(self._spark(tree.expression)).persist()
            self.persisted.append(frame)
            frame.createOrReplaceTempView(name)
            return frame
        return self.session.sql(self._spark(tree))

    def execute(self, query: str) -> SparkResult:
        return SparkResult(self.sql(query))

    def close(self) -> None:
        """Release what was persisted."""
        for frame in self.persisted:
            frame.unpersist()
        self.persisted.clear()

    # -- rewrites, by kind of construct ---------------------------------------------

    def _rewrite(self, node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.RegexpFullMatch):
            pattern = node.expression
            if isinstance(pattern, exp.Literal) and pattern.is_string:
                anchored = exp.Literal.string(f"^(?:{pattern.this})\\z")
                return exp.RegexpLike(this=node.this, expression=anchored)
        if isinstance(node, exp.Anonymous):
            return _function(node)
        if isinstance(node, exp.Floor):
            return exp.Anonymous(this="RINT", expressions=[node.this])
        if isinstance(node, exp.Bracket):
            return _sliced_list(node)
        if isinstance(node, exp.Subquery):
            lookup = self._map_lookup(node)
            if lookup is not None:
                return lookup
        if isinstance(node, exp.In):
            member = self._map_member(node)
            if member is not None:
                return member
        if isinstance(node, exp.Cast) and node.to.this == exp.DataType.Type.TIME:
            if isinstance(node.this, exp.Literal):  # TIME '00:00:00' compared as text
                return node.this
            return exp.Anonymous(this="DATE_FORMAT", expressions=[
                node.this, exp.Literal.string("HH:mm:ss")])
        return node

    def _map_name(self, select: exp.Expression) -> str | None:
        if not isinstance(select, exp.Select):
            return None
        source = select.args.get("from_") or select.args.get("from")
        table = source.this if source is not None else None
        if isinstance(table, exp.Table) and table.name in self.maps:
            return table.name
        return None

    def _map_lookup(self, node: exp.Subquery) -> exp.Expression | None:
        """``(SELECT v FROM m WHERE k = x)`` -> ``element_at((SELECT map FROM m), x)``."""
        name = self._map_name(node.this)
        where = node.this.args.get("where")
        if name is None or where is None or not isinstance(where.this, exp.EQ):
            return None
        key = where.this.expression
        built = sqlglot.parse_one(
            f"(SELECT map_from_entries(collect_list(struct(k, v))) FROM {name})", read="spark")
        known = exp.Not(this=exp.Is(this=key.copy(), expression=exp.Null()))
        found = exp.Anonymous(this="ELEMENT_AT", expressions=[built, key.copy()])
        return exp.Case(ifs=[exp.If(this=known, true=found)])

    def _map_member(self, node: exp.In) -> exp.Expression | None:
        """``x IN (SELECT k FROM m)`` -> ``array_contains((SELECT collect_list(k) FROM m), x)``."""
        query = node.args.get("query")
        select = query.this if isinstance(query, exp.Subquery) else query
        if select is None or self._map_name(select) is None:
            return None
        built = sqlglot.parse_one(
            f"(SELECT collect_list(k) FROM {self._map_name(select)})", read="spark")
        return exp.Anonymous(this="ARRAY_CONTAINS", expressions=[built, node.this])


def _function(node: exp.Anonymous) -> exp.Expression:
    name = str(node.this).upper()
    args = node.expressions
    if name == "ORD":
        return exp.Anonymous(this="ASCII", expressions=args)
    if name == "ISFINITE":
        value = args[0]
        return exp.paren(exp.and_(
            exp.Not(this=exp.Anonymous(this="ISNAN", expressions=[value.copy()])),
            exp.NEQ(this=exp.Abs(this=value.copy()),
                    expression=sqlglot.parse_one("double('Infinity')", read="spark"))))
    if name == "TRY_STRPTIME" and isinstance(args[1], exp.Literal):
        fmt = _STRPTIME.get(args[1].this, args[1].this)
        return exp.Anonymous(this="TO_TIMESTAMP", expressions=[args[0], exp.Literal.string(fmt)])
    return node


def _sliced_list(node: exp.Bracket) -> exp.Expression:
    """``list(x ORDER BY x)[a:b]`` (DuckDB, 1-based, inclusive) as Spark's ``slice``."""
    agg = node.this
    if not isinstance(agg, exp.ArrayAgg) or len(node.expressions) != 1:
        return node
    part = node.expressions[0]
    if not isinstance(part, exp.Slice):
        return node
    inner = agg.this
    collected: exp.Expression
    if isinstance(inner, exp.Order):
        collected = exp.Anonymous(this="ARRAY_SORT", expressions=[
            exp.Anonymous(this="COLLECT_LIST", expressions=[inner.this])])
    else:
        collected = exp.Anonymous(this="COLLECT_LIST", expressions=[inner])
    start, end = int(part.this.this), int(part.expression.this)
    return exp.Anonymous(this="SLICE", expressions=[
        collected, exp.Literal.number(start), exp.Literal.number(end - start + 1)])


def _spark_schema(schema: pa.Schema) -> Any:
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(schema)
