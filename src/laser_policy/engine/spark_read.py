"""A data package read, validated and typed by Spark where it lies (``--engine spark``).

The files are read by Spark itself: a local folder, ``file://``, ``hdfs://`` or
``s3a://`` URI (passed to Spark as is), with ``<table>.csv`` (UTF-8, BOM allowed,
header row) or ``<table>.parquet`` (or the Chinese table names); a local ``.xlsx``
workbook is converted once to Arrow and handed to Spark. Each table is checked by
the same rules as the DuckDB reader — the SQL of
:mod:`laser_policy.contracts.validate_sql`, transpiled (:mod:`.spark_sql`) — with the
same problems (file, spreadsheet row, column, value, rule key), all at once. Only
problems, counts and distinct values come back to Python; the typed tables stay
Spark DataFrames and the rules run on them (:class:`SparkInputs`).

What the DuckDB reader does and this one does not: the row and byte caps of
``laser_policy.io.limits`` (meant for uploads), and the bulk ``transactions``
table (the incentive rules do not read it). A blank line inside a CSV is skipped
by Spark's CSV reader, so rows after it are numbered one lower than a spreadsheet
shows them.
"""

from __future__ import annotations

import csv
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlparse

import pyarrow as pa

from laser_policy.contracts import TABLES
from laser_policy.contracts.messages import problem
from laser_policy.contracts.tables import Table
from laser_policy.contracts.validate import Report
from laser_policy.contracts.validate_sql import ROW, Checked, _Checker, check_cells, q
from laser_policy.engine.spark_sql import SparkSQL
from laser_policy.errors import InputError, Problem, ProblemCollector
from laser_policy.io.cells import QUOTE, TRIGGERS
from laser_policy.io.encoding import sniff_csv
from laser_policy.rules.inputs import LEVELS_ZH, SCHEMAS, SQL_TYPES, RuleInputs

#: how the rules' Ibis types are written in Spark SQL
_LEVEL_COLUMNS = {"products": "catalog_level", "platforms": "level"}
_SUFFIXES = (".csv", ".parquet")


@dataclass(frozen=True)
class SparkCells:
    """One file's cells as a Spark DataFrame (headers as written, ``_row``), with the
    Arrow schema the validator reads the cell types from."""

    frame: Any
    schema: pa.Schema

    @property
    def column_names(self) -> list[str]:
        return list(self.schema.names)


@dataclass(frozen=True)
class Location:
    """Where a package lies: the URI Spark reads and, when on this machine, its path."""

    uri: str
    local: Path | None

    @classmethod
    def of(cls, data: str | Path) -> Location:
        text = str(data)
        parsed = urlparse(text)
        if parsed.scheme == "file":
            return cls(text, Path(parsed.path))
        if len(parsed.scheme) > 1:  # hdfs://, s3a://, … (a Windows drive letter is local)
            return cls(text.rstrip("/"), None)
        return cls(str(Path(text).resolve()), Path(text))

    def child(self, name: str) -> str:
        return f"{self.uri.rstrip('/')}/{name}"


@dataclass
class SparkPackage:
    """The validated tables of a package as Spark DataFrames, keyed by table name."""

    location: Location
    tables: dict[str, Any] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)


class SparkInputs(RuleInputs):
    """The rules' tables as Spark DataFrames (typed by Spark, never collected) and the
    years of their dated tables (for the parameters in force each year)."""

    spark_frames: dict[str, Any]
    dated_years: list[int]

    def __init__(self, frames: dict[str, Any], years: list[int]) -> None:
        # no Arrow tables: the tables stay in Spark (``tables`` hands them to Ibis)
        self._arrow: dict[str, Any] = {}
        self._frames = None
        self.spark_frames = frames
        self.dated_years = years

    def tables(self, con: Any = None) -> dict[str, Any]:
        """The frames as Ibis tables of the PySpark backend ``con`` (temporary views)."""
        if con is None or getattr(con, "name", "") != "pyspark":
            raise InputError("Spark 读取的数据须由 Spark 计算 / tables read by Spark are "
                             "computed by Spark (pass its Ibis backend)")
        out: dict[str, Any] = {}
        for name, frame in self.spark_frames.items():
            view = f"laser_policy_{name}_{uuid.uuid4().hex}"
            frame.createOrReplaceTempView(view)
            out[name] = con.table(view)
        return out

    def arrow(self) -> dict[str, Any]:
        raise InputError("Spark 读取的数据不转为 Arrow / tables read by Spark stay in Spark")


def read_package_spark(
    session: Any, data: str | Path, tables: Iterable[str] | None = None,
    con: SparkSQL | None = None,
) -> SparkPackage:
    """Read and validate the package at ``data`` with Spark; raises
    ``DataValidationError`` with every problem, ``InputError`` when it is not there.
    ``con`` holds what Spark persisted (its ``close`` releases it once computed)."""
    location = Location.of(data)
    wanted = list(tables) if tables is not None else [t for t in TABLES if not TABLES[t].bulk]
    for name in list(wanted):
        for ref in TABLES[name].references:
            if ref.table not in wanted:
                wanted.append(ref.table)
    wanted = [t for t in wanted if not TABLES[t].bulk]
    con = con or SparkSQL(session)
    collector = ProblemCollector()
    cells, problems, seen = _read(con, location, wanted)
    collector.extend(problems)
    pkg = SparkPackage(location)
    checked: dict[str, Checked] = {}
    valid_codes: set[str] = set()
    for name, (label, table_cells) in cells.items():
        result = check_cells(cast(Any, table_cells), TABLES[name], label, cast(Any, con),
                             valid_codes)
        collector.extend(result.report.problems)
        pkg.warnings.extend(result.report.warnings)
        checked[name] = result
    collector.extend(_references(con, checked))
    if not collector and seen is not None and not _names_a_table(seen):
        collector.add(_no_table(location, seen))
    collector.raise_if_any()
    for name, result in checked.items():
        if result.select is not None:
            pkg.tables[name] = con.sql(result.select).drop(ROW)
    return pkg


def rule_inputs(session: Any, pkg: SparkPackage) -> SparkInputs:
    """The rules' tables (``rules.inputs.SCHEMAS``) typed in Spark; absent ones empty."""
    from pyspark.sql import functions as F  # noqa: N812 (PySpark's usual name)

    frames: dict[str, Any] = {}
    for name, schema in SCHEMAS.items():
        source = pkg.tables.get(name)
        columns = []
        for column, kind in schema.items():
            spark_type = SQL_TYPES[kind]
            if source is not None and column in source.columns:
                value = F.col(column).cast(spark_type)
            else:
                value = F.lit(None).cast(spark_type)
            if column == _LEVEL_COLUMNS.get(name):
                value = F.coalesce(F.create_map(*[
                    F.lit(x) for pair in LEVELS_ZH.items() for x in pair])[value], value)
            columns.append(value.alias(column))
        frames[name] = (source if source is not None else session.range(0)).select(*columns)
    year_parts = [frames[t].select("year") for t in ("financials", "products", "platforms",
                                                       "projects")]
    union = year_parts[0]
    for part in year_parts[1:]:
        union = union.unionByName(part)
    years = sorted(int(r[0]) for r in union.where("year IS NOT NULL").distinct().collect())
    return SparkInputs(frames, years)


# -- finding and reading the files --------------------------------------------------


def _listing(session: Any, location: Location) -> list[str] | None:
    """The names in the package folder (None when it is a local .xlsx workbook)."""
    if location.local is not None:
        if not location.local.exists():
            raise InputError(f"数据包不存在 / data package not found: {location.local}")
        if location.local.is_file():
            if location.local.suffix.lower() != ".xlsx":
                raise InputError(f"数据包应为文件夹或.xlsx工作簿 / a data package is a folder "
                                 f"or an .xlsx workbook: {location.local}")
            return None
        return sorted(p.name + ("/" if p.is_dir() else "") for p in location.local.iterdir())
    jvm = session._jvm  # Hadoop's FileSystem lists hdfs:// and s3a:// (no Python client)
    path = jvm.org.apache.hadoop.fs.Path(location.uri)
    fs = path.getFileSystem(session._jsc.hadoopConfiguration())
    if not fs.exists(path):
        raise InputError(f"数据包不存在 / data package not found: {location.uri}")
    return sorted(s.getPath().getName() + ("/" if s.isDirectory() else "")
                  for s in fs.listStatus(path))


def _read(
    con: SparkSQL, location: Location, wanted: list[str],
) -> tuple[dict[str, tuple[str, SparkCells]], list[Problem], list[str] | None]:
    session = con.session
    seen = _listing(session, location)
    problems: list[Problem] = []
    cells: dict[str, tuple[str, SparkCells]] = {}
    if seen is None and location.local is not None:
        return (*_read_workbook(session, location.local, wanted), None)
    seen = seen or []
    names = set(seen)
    for name in wanted:
        spec = TABLES[name]
        files = [f"{stem}{ext}" for stem in (name, spec.zh) for ext in _SUFFIXES
                 if f"{stem}{ext}" in names]
        if len(files) > 1:
            problems.append(problem(files[0], "file.ambiguous", files="、".join(files)))
        if not files:
            continue
        file = files[0]
        read: SparkCells | None
        if file.endswith(".parquet"):
            read = _parquet(session, location.child(file))
        else:
            read, more = _csv(session, location, file)
            problems.extend(more)
        if read is not None:
            cells[name] = (file, read)
    return cells, problems, seen


def _csv(
    session: Any, location: Location, file: str,
) -> tuple[SparkCells | None, list[Problem]]:
    """A CSV file's text cells read by Spark; on this machine the encoding is sniffed first
    (the same file problems as the DuckDB reader), elsewhere it is UTF-8."""
    from pyspark.sql import functions as F  # noqa: N812

    encoding = "utf-8"
    headers: list[str] | None = None
    if location.local is not None:
        path = location.local / file
        sniffed = sniff_csv(path)
        if sniffed.encoding is None:
            return None, [problem(file, sniffed.rule or "file.unreadable",
                                  detail=sniffed.detail)]
        encoding = sniffed.encoding
        try:
            with path.open(encoding=encoding, newline="") as fh:
                headers = next(csv.reader(fh), [])
        except (UnicodeDecodeError, csv.Error) as exc:
            return None, [problem(file, "file.unreadable", detail=str(exc).strip())]
        if not headers:
            return None, [problem(file, "file.empty")]
    spark_encoding = "UTF-8" if encoding.lower().replace("-", "") in ("utf8", "utf8sig") \
        else encoding
    raw = (session.read.option("header", "false").option("multiLine", "true")
           .option("escape", '"').option("encoding", spark_encoding)
           .option("mode", "PERMISSIVE").csv(location.child(file)))
    # one file, not splittable (multiLine): the ids are the record numbers 0, 1, …
    numbered = raw.withColumn(ROW, F.monotonically_increasing_id() + 1)
    if headers is None:
        first = raw.limit(1).collect()
        if not first:
            return None, [problem(file, "file.empty")]
        headers = ["" if v is None else str(v) for v in first[0]]
        if headers:
            headers[0] = headers[0].removeprefix("\ufeff")
    names = [h if h.strip() else f"Unnamed: {i}" for i, h in enumerate(headers)]
    # cells as exported: formula-like text was escaped with a leading quote
    pattern = f"^{QUOTE}({QUOTE}*[{_java_class(TRIGGERS)}])"
    columns = [F.regexp_replace(F.col(c), pattern, "$1")
               for c in raw.columns[:len(names)]]
    frame = numbered.where(F.col(ROW) > 1).select(*columns, ROW).toDF(*names, ROW)
    return SparkCells(frame, pa.schema([(n, pa.string()) for n in names])), []


def _java_class(chars: str) -> str:
    """``chars`` escaped for a Java regex character class."""
    return "".join("\\" + c if c in "\\]^-[" else {"\t": "\\t", "\r": "\\r"}.get(c, c)
                   for c in chars)


def _parquet(session: Any, uri: str) -> SparkCells:
    """A Parquet file's typed cells read by Spark, ``_row`` from the file's row index."""
    from pyspark.sql import functions as F  # noqa: N812
    from pyspark.sql.pandas.types import to_arrow_schema

    raw = session.read.parquet(uri)
    keep = [F.col("`" + c.replace("`", "``") + "`") for c in raw.columns
            if not c.startswith("__index_level_")]
    frame = raw.select(*keep, (F.col("_metadata.row_index") + 2).alias(ROW))
    return SparkCells(frame, to_arrow_schema(raw.select(*keep).schema))


def _read_workbook(
    session: Any, path: Path, wanted: list[str],
) -> tuple[dict[str, tuple[str, SparkCells]], list[Problem]]:
    """A local ``.xlsx`` workbook converted once to Arrow, each sheet handed to Spark."""
    from laser_policy.io.limits import ReadLimits
    from laser_policy.io.readers import frame_cells
    from laser_policy.io.xlsx import read_workbook

    raws, problems = read_workbook(path, wanted, ReadLimits.from_env())
    out: dict[str, tuple[str, SparkCells]] = {}
    for raw in raws:
        arrow = raw.cells if raw.cells is not None else frame_cells(raw.frame)
        schema = arrow.drop_columns([ROW]).schema
        out[raw.name] = (raw.file, SparkCells(session.createDataFrame(arrow), schema))
    return out, problems


# -- across tables -------------------------------------------------------------------


def _references(con: SparkSQL, checked: dict[str, Checked]) -> list[Problem]:
    """Foreign keys across the tables (``ref.unknown``), as ``check_references_sql``: the
    unknown values marked by a join in Spark, reported by the same checker."""
    problems: list[Problem] = []
    for name, result in checked.items():
        spec: Table = TABLES[name]
        for ref in spec.references:
            target = checked.get(ref.table)
            if target is None or result.select is None or target.select is None:
                continue
            source, dest = f"_ref_src_{name}", f"_ref_dst_{ref.table}"
            con.register(source, con.sql(result.select))
            con.register(dest, con.sql(target.select))
            view = f"_ref_{name}_{ref.column}"
            col, key = q(ref.column), q(ref.target)
            marked = con.sql(
                f"SELECT s.*, (s.{col} IS NOT NULL AND d._k IS NULL) AS _dangling "
                f"FROM {source} s LEFT JOIN (SELECT DISTINCT {key} AS _k FROM {dest} "
                f"WHERE {key} IS NOT NULL) d ON s.{col} = d._k")
            con.register(view, marked)
            report = Report(result.report.file, result.report.headers)
            ck = _Checker(cast(Any, con), spec, report, view)
            ck.rule("ref.unknown", ref.column, "_dangling", col,
                    table=ref.table, table_zh=TABLES[ref.table].zh)
            ck.report_all()
            problems.extend(report.problems)
    return problems


def _names_a_table(seen: list[str]) -> bool:
    stems = {f"{stem}{ext}" for name, spec in TABLES.items() for stem in (name, spec.zh)
             for ext in _SUFFIXES}
    stems.update(f"{name}/" for name, spec in TABLES.items() if spec.bulk)
    return bool(stems & set(seen))


def _no_table(location: Location, seen: list[str]) -> Problem:
    label = (location.local.name if location.local is not None
             else location.uri.rsplit("/", 1)[-1]) + "/"
    if not seen:
        return problem(label, "file.empty")
    from laser_policy.io.xlsx import expected_file_names, listing

    return problem(label, "package.no_table", seen=listing(seen),
                   expected=expected_file_names())


def spark_entitlements(
    data: str | Path,
    *,
    year: int | None = None,
    master: str | None = None,
    with_steps: bool = True,
    session: Any = None,
    model: Any,
) -> Any:
    """The entitlements table of the package at ``data`` (a path or URI) under ``model``
    (passed in by the caller), read, validated and computed by Spark; only the result
    (one row per payment due) reaches pandas."""
    import ibis

    from laser_policy.engine import spark_session
    from laser_policy.rules.compute import compute_entitlements
    from laser_policy.rules.parameters import parameter_schedule

    session = session or spark_session(master)
    con = SparkSQL(session)
    try:
        pkg = read_package_spark(session, data, tables=SCHEMAS, con=con)
        inputs = rule_inputs(session, pkg)
        params = None if year is not None else parameter_schedule(model, inputs.dated_years)
        return compute_entitlements(inputs, model, year=year, params=params,
                                    con=ibis.pyspark.connect(session), with_steps=with_steps)
    finally:
        con.close()
