"""Set-based upsert of one table through a staging table, with its audit rows.

The incoming rows are bulk-loaded into a temporary staging table (PostgreSQL
``COPY`` of CSV that Arrow writes from the columns, SQLite one ``executemany``);
then four set-based statements do the work, whatever the number of rows: audit
the rows that differ, update them, audit the new rows, insert them. Rows equal
to what is stored are not touched and leave no audit row. Audit documents (key,
before, after) are built in SQL as JSON.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import sqlalchemy as sa
from sqlalchemy import Connection
from sqlalchemy.sql.elements import ColumnElement

from laser_policy.store.models import AUDIT_LOG as AUDIT

AUDIT_COLUMNS = ("batch_id", "at", "user_name", "table_name", "key", "action", "before",
                 "after", "source_sha256")


@dataclass
class Counts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return self.inserted + self.updated

    def as_dict(self) -> dict[str, int]:
        return {"inserted": self.inserted, "updated": self.updated, "unchanged": self.unchanged}


@dataclass(frozen=True)
class AuditContext:
    batch_id: int
    at: datetime
    user: str
    sha256: str

    def select(self, table: str, action: str, key: ColumnElement[Any],
               before: ColumnElement[Any], after: ColumnElement[Any]) -> sa.Select[Any]:
        return sa.select(
            sa.literal(self.batch_id, sa.Integer), sa.literal(self.at, sa.DateTime(timezone=True)),
            sa.literal(self.user, sa.String), sa.literal(table, sa.String), key,
            sa.literal(action, sa.String), before, after, sa.literal(self.sha256, sa.String),
        )


def json_object(conn: Connection, cols: Sequence[sa.ColumnElement[Any]],
                names: Sequence[str]) -> ColumnElement[Any]:
    """A JSON object of ``names`` to ``cols``, built by the database."""
    pg = conn.dialect.name == "postgresql"
    args: list[ColumnElement[Any]] = []
    for name, col in zip(names, cols, strict=True):
        args.append(sa.literal_column(f"'{name}'"))
        if not pg and isinstance(col.type, sa.Boolean):  # SQLite stores 0/1
            args.append(sa.case((col == 1, sa.func.json("true")),
                                (col == 0, sa.func.json("false")), else_=sa.null()))
        else:
            args.append(col)
    return sa.func.jsonb_build_object(*args) if pg else sa.func.json_object(*args)


def row_json(conn: Connection, table: sa.Table, columns: Sequence[str]) -> ColumnElement[Any]:
    """The whole row of ``table`` as a JSON object (PostgreSQL: ``to_jsonb``, faster)."""
    if conn.dialect.name == "postgresql":
        return sa.func.to_jsonb(sa.literal_column(conn.dialect.identifier_preparer.quote(
            table.name)))
    return json_object(conn, [table.c[c] for c in columns], columns)


def _json_null(conn: Connection) -> ColumnElement[Any]:
    return sa.cast(sa.null(), AUDIT.c.before.type) if conn.dialect.name == "postgresql" \
        else sa.null()


def _sqlite_values(table: sa.Table, name: str, values: list[Any]) -> list[Any]:
    """Values as SQLAlchemy stores them in SQLite: dates as ISO text, booleans as 0/1."""
    kind = table.c[name].type
    if isinstance(kind, sa.Date):
        return [None if v is None else v.isoformat() for v in values]
    if isinstance(kind, sa.Boolean):
        return [None if v is None else int(v) for v in values]
    return values


def _arrow_type(kind: Any) -> pa.DataType:
    if isinstance(kind, sa.Boolean):
        return pa.bool_()
    if isinstance(kind, sa.Date):
        return pa.date32()
    if isinstance(kind, sa.Integer):
        return pa.int64()
    if isinstance(kind, sa.Float):
        return pa.float64()
    return pa.string()


def arrow_batch(table: sa.Table, data: Mapping[str, list[Any]]) -> pa.Table:
    """Columns of values as an Arrow table typed after ``table``'s columns."""
    return pa.table({c: pa.array(v, type=_arrow_type(table.c[c].type)) for c, v in data.items()})


def _csv_bytes(batch: pa.Table) -> bytes:
    """``batch`` as PostgreSQL's CSV: text always quoted (``""`` is an empty string),
    NULL as an unquoted empty field; written by Arrow, not row by row in Python."""
    out = pa.BufferOutputStream()
    pa_csv.write_csv(batch, out, pa_csv.WriteOptions(include_header=False))
    return bytes(out.getvalue())


def load_rows(conn: Connection, table: sa.Table, data: Mapping[str, list[Any]]) -> int:
    """Bulk-load columns of values into ``table`` in the connection's own transaction."""
    quote = conn.dialect.identifier_preparer.quote
    columns = list(data)
    names = ", ".join(quote(c) for c in columns)
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    cursor = dbapi.cursor()
    try:
        if conn.dialect.name == "postgresql":
            batch = arrow_batch(table, data)
            with cursor.copy(f"COPY {quote(table.name)} ({names}) FROM STDIN "
                             "WITH (FORMAT csv)") as copy:
                copy.write(_csv_bytes(batch))
            return int(batch.num_rows)
        rows = list(zip(*(_sqlite_values(table, c, v) for c, v in data.items()), strict=True))
        marks = ", ".join("?" for _ in columns)
        cursor.executemany(f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})", rows)
    finally:
        cursor.close()
    return len(rows)


def upsert(conn: Connection, table: sa.Table, key: Sequence[str],
           data: Mapping[str, list[Any]], audit: AuditContext,
           present: Sequence[str] | None = None) -> Counts:
    """Insert new rows and update changed ones of ``table``; ``data`` holds all its columns.

    ``present`` names the columns the package really had (default: all). Only those are
    compared and updated on stored rows: a column absent from the package (misspelt, or
    left out) never overwrites stored values. New rows take ``data`` whole (the column
    default, or NULL, for absent columns)."""
    stage = sa.Table(f"stage_{table.name}", sa.MetaData(),
                     *[sa.Column(c.name, c.type) for c in table.columns],
                     prefixes=["TEMPORARY"])
    stage.create(conn)
    try:
        total = load_rows(conn, stage, {c.name: data[c.name] for c in table.columns})
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"ANALYZE {stage.name}")
        counts = _merge(conn, table, stage, key, audit,
                        [c.name for c in table.columns] if present is None else present)
        counts.unchanged = total - counts.inserted - counts.updated
        return counts
    finally:
        stage.drop(conn)


def _merge(conn: Connection, t: sa.Table, s: sa.Table, key: Sequence[str],
           audit: AuditContext, present: Sequence[str]) -> Counts:
    columns = [c.name for c in t.columns]
    others = [c for c in columns if c not in key and c in present]
    on = sa.and_(*[t.c[k] == s.c[k] for k in key])
    key_json = json_object(conn, [s.c[k] for k in key], key)
    counts = Counts()
    if others:
        differs = sa.or_(*[t.c[c].is_distinct_from(s.c[c]) for c in others])
        before = row_json(conn, t, columns)
        after = row_json(conn, s, columns) if len(others) + len(key) == len(columns) else \
            json_object(conn, [(s if c in others or c in key else t).c[c] for c in columns],
                        columns)  # the row as it will be: absent columns keep their values
        changed = audit.select(t.name, "update", key_json, before, after) \
            .select_from(s.join(t, on)).where(differs)
        conn.execute(sa.insert(AUDIT).from_select(AUDIT_COLUMNS, changed))
        result = conn.execute(
            sa.update(t).values({t.c[c]: s.c[c] for c in others}).where(on, differs),
            execution_options={"preserve_rowcount": True})
        counts.updated = result.rowcount
    is_new = t.c[key[0]].is_(None)
    new = audit.select(t.name, "insert", key_json, _json_null(conn), row_json(conn, s, columns)) \
        .select_from(s.outerjoin(t, on)).where(is_new)
    conn.execute(sa.insert(AUDIT).from_select(AUDIT_COLUMNS, new))
    inserted = sa.select(*[s.c[c] for c in columns]).select_from(s.outerjoin(t, on)).where(is_new)
    counts.inserted = conn.execute(sa.insert(t).from_select(columns, inserted),
                                   execution_options={"preserve_rowcount": True}).rowcount
    return counts
