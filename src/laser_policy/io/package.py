"""A data package read into typed Arrow tables with the contract's English column names.

``read_package(path)`` is the one entry point every batch command uses. It reads,
renames Chinese headers to English, validates (all problems at once) and returns
typed, normalised tables (``Package.arrow``; ``Package.tables`` converts each to pandas
on first access); on any problem it raises ``DataValidationError`` and
returns nothing.

A package is a folder of ``<table>.csv`` / ``<table>.parquet`` (or the Chinese table
name), a ``transactions/`` folder of Parquet (``transactions/year=2025/*.parquet``),
or one ``.xlsx`` workbook with a sheet per table. Transactions held as Parquet are
validated by DuckDB over the files and are not loaded: use
``Package.transactions_sql`` / ``transactions_path`` in the analytics engine;
``Package.get("transactions")`` loads them into pandas only when asked.

Normalised values: city short forms to full names, segment names to codes,
booleans (是/否…) to bool, ISO dates to datetime64, years to int, money to float
(万元), enumerations to their canonical value; absent optional columns are added
empty (or with their default), unknown columns are kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from laser_policy.contracts import TABLES
from laser_policy.contracts.messages import problem
from laser_policy.contracts.tables import Table, awards_accepting
from laser_policy.contracts.validate import Report, map_headers
from laser_policy.contracts.validate_bulk import validate_bulk
from laser_policy.contracts.validate_sql import (
    ROW,
    Validated,
    check_references_sql,
    validate_arrow,
)
from laser_policy.errors import InputError, Problem, ProblemCollector
from laser_policy.io.limits import ReadLimits
from laser_policy.io.readers import (
    BulkSource,
    RawTable,
    bulk_source,
    find_tables,
    frame_cells,
    read_csv_arrow,
    read_headers,
    read_parquet_arrow,
    too_many_rows,
)


def _read_folder(
    src: Path, wanted: list[str], limits: ReadLimits,
) -> tuple[list[RawTable], BulkSource | None, list[Problem]]:
    found, problems = find_tables(src, wanted)
    raws: list[RawTable] = []
    bulk: BulkSource | None = None
    for name, (file, *_) in found.items():
        if TABLES[name].bulk and (file.is_dir() or file.suffix == ".parquet"):
            bulk, more = bulk_source(file, name)
        else:
            reader = read_parquet_arrow if file.suffix == ".parquet" else read_csv_arrow
            cells, more = reader(file, name, limits)
            if cells is not None:
                raws.append(RawTable(name, file.name, pd.DataFrame(), cells))
        problems.extend(more)
    return raws, bulk, problems


def _validate(raws: list[RawTable], pkg: Package, specs: dict[str, Table]) -> list[Problem]:
    """Every table checked and typed in one DuckDB connection, then the references."""
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")  # DuckDB's own bar would go to stdout
    checked: dict[str, Validated] = {}
    problems: list[Problem] = []
    valid_codes: set[str] = set()
    while raws:  # each table's cells released once it is checked (the caller's list too)
        raw = raws.pop(0)
        cells = raw.cells if raw.cells is not None else frame_cells(raw.frame)
        v = validate_arrow(cells, specs[raw.name], raw.file, con, valid_codes)
        problems.extend(v.report.problems)
        pkg.warnings.extend(v.report.warnings)
        checked[raw.name] = v
        # the contract columns the file really had: the store updates only these
        pkg.columns[raw.name] = tuple(c for c in TABLES[raw.name].column_names
                                      if c in v.report.headers)
    problems.extend(check_references_sql(con, checked))
    if not problems:
        frames = TableFrames(pkg.arrow)
        for name, v in checked.items():
            pkg.arrow[name] = v.table.drop_columns([ROW])
            frames.defer(name, v.to_frame)
        pkg.tables = frames
    con.close()
    return problems


class TableFrames(MutableMapping[str, pd.DataFrame]):
    """The package's tables as pandas, each converted from its Arrow table on first access
    (a command that reads only Arrow, like ``incentives compute``, never pays for pandas).
    A frame set here replaces the table for the pandas readers."""

    def __init__(self, arrow: Mapping[str, pa.Table] | None = None) -> None:
        self._frames: dict[str, pd.DataFrame] = {}
        self._pending: dict[str, Callable[[], pd.DataFrame]] = {}
        self._arrow = arrow
        self._replaced = False

    def defer(self, name: str, convert: Callable[[], pd.DataFrame]) -> None:
        """Table ``name`` is ``convert()``, called on first access."""
        self._frames.pop(name, None)
        self._pending[name] = convert

    def converted(self) -> list[str]:
        """The tables already held as pandas (converted or set)."""
        return list(self._frames)

    def untouched_arrow(self) -> Mapping[str, pa.Table] | None:
        """The typed Arrow tables these frames are views of, or None when a frame was set
        or removed by hand (the Arrow tables no longer tell the same)."""
        if self._replaced or self._arrow is None:
            return None
        return self._arrow

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._frames and name in self._pending:
            self._frames[name] = self._pending.pop(name)()
        return self._frames[name]

    def __setitem__(self, name: str, frame: pd.DataFrame) -> None:
        self._pending.pop(name, None)
        self._frames[name] = frame
        self._replaced = self._replaced or name != "transactions"

    def __delitem__(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        self._pending.pop(name, None)
        self._frames.pop(name, None)
        self._replaced = True

    def __contains__(self, name: object) -> bool:
        return name in self._frames or name in self._pending

    def __iter__(self) -> Iterator[str]:
        return iter([*self._frames, *(n for n in self._pending if n not in self._frames)])

    def __len__(self) -> int:
        return len(set(self._frames) | set(self._pending))

    def __repr__(self) -> str:
        return f"TableFrames({sorted(self)})"


@dataclass
class Package:
    """Validated tables of one data package, keyed by table name."""

    source: Path
    #: the validated tables as pandas, converted from ``arrow`` on first access per table
    tables: MutableMapping[str, pd.DataFrame] = field(default_factory=dict)
    #: a Parquet file or folder holding transactions, validated but not loaded
    transactions_path: Path | None = None
    #: DuckDB SQL over ``transactions_path`` with contract names and normalised codes
    transactions_sql: str | None = None
    #: row counts, including the bulk tables that were not loaded
    row_counts: dict[str, int] = field(default_factory=dict)
    #: the contract columns each loaded table's file really had (the others were added
    #: empty): the store updates only these, never wiping stored values of absent ones
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: what is worth telling but does not make the package invalid (unknown columns)
    warnings: list[Problem] = field(default_factory=list)
    #: the validated tables as Arrow, the contract's types (``tables`` gives them as pandas)
    arrow: dict[str, pa.Table] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.tables, TableFrames):  # frames given by hand (the web's store)
            given = self.tables
            self.tables = TableFrames(self.arrow)
            for name, frame in given.items():
                self.tables[name] = frame

    def get(self, name: str) -> pd.DataFrame:
        """The table, or an empty frame with the contract's columns when absent.

        Parquet transactions are loaded here on first use (fine for samples; the
        analytics engine should read ``transactions_sql`` instead).
        """
        if name in self.tables:
            return self.tables[name]
        if name == "transactions" and self.transactions_sql is not None:
            relation = duckdb.sql(self.transactions_sql)
            frame: pd.DataFrame = relation.df() if relation is not None else pd.DataFrame()
            self.tables[name] = frame
            return frame
        return pd.DataFrame({c: pd.Series(dtype="object") for c in TABLES[name].column_names})

    def __contains__(self, name: object) -> bool:
        return name in self.tables or (name == "transactions" and self.transactions_sql is not None)


def _add_bulk(pkg: Package, bulk: BulkSource, limits: ReadLimits) -> list[Problem]:
    """Validate the bulk table over its files (DuckDB) and point ``pkg`` at them."""
    enterprises = pkg.arrow.get("enterprises")
    result = validate_bulk(
        TABLES[bulk.name], bulk.glob, bulk.path, bulk.hive,
        None if enterprises is None else enterprises.column("uscc").drop_null().to_pylist(),
    )
    problems = list(result.problems)
    if result.rows > limits.max_bulk_rows:
        label = f"{bulk.path.name}/" if bulk.path.is_dir() else bulk.path.name
        problems.append(too_many_rows(label, limits.max_bulk_rows, "max_bulk_rows"))
    pkg.warnings.extend(result.warnings)
    pkg.transactions_path = bulk.path
    pkg.transactions_sql = result.sql
    pkg.row_counts[bulk.name] = result.rows
    return problems


def _no_table(src: Path) -> Problem:
    """The problem of a folder in which no file names a table: the files it holds."""
    from laser_policy.io.xlsx import expected_file_names, listing

    seen = sorted(p.name + ("/" if p.is_dir() else "") for p in src.iterdir())
    if not seen:
        return problem(src.name + "/", "file.empty")
    return problem(src.name + "/", "package.no_table", seen=listing(seen),
                   expected=expected_file_names())


def read_package(
    path: str | Path, tables: Iterable[str] | None = None, limits: ReadLimits | None = None,
    *, incentives: Iterable[tuple[str, str]] | None = None,
) -> Package:
    """Read, validate and normalise a data package (folder of CSV/Parquet, or one .xlsx).

    Raises ``DataValidationError`` listing every problem of every file, ``InputError``
    when the path does not exist. ``limits`` caps rows and bytes (default: from the
    environment, ``laser_policy.io.limits``). ``incentives`` (``(id, Chinese label)`` of
    every policy in force, e.g. :func:`~laser_policy.policy.model.incentive_names`) are the
    values ``awards.incentive`` accepts; default the contract's, those of the packaged model.
    """
    src = Path(path)
    specs = dict(TABLES)
    if incentives is not None:
        specs["awards"] = awards_accepting(incentives)
    limits = limits or ReadLimits.from_env()
    wanted = list(tables) if tables is not None else list(TABLES)
    unknown = [t for t in wanted if t not in TABLES]
    if unknown:
        raise InputError(f"未知的数据表 / unknown table(s): {', '.join(unknown)}")
    # reference targets are read too, so that references can be checked
    for name in list(wanted):
        for ref in TABLES[name].references:
            if ref.table not in wanted:
                wanted.append(ref.table)
    if not src.exists():
        raise InputError(f"数据包不存在 / data package not found: {src}")
    collector = ProblemCollector()
    if src.is_file():
        if src.suffix.lower() != ".xlsx":
            raise InputError(f"数据包应为文件夹或.xlsx工作簿 / a data package is a folder or an "
                             f".xlsx workbook: {src}")
        from laser_policy.io.xlsx import read_workbook  # openpyxl: only for workbooks

        raws, problems = read_workbook(src, wanted, limits)
        bulk = None
    else:
        raws, bulk, problems = _read_folder(src, wanted, limits)
    collector.extend(problems)
    pkg = Package(source=src)
    collector.extend(_validate(raws, pkg, specs))
    if bulk is not None:
        collector.extend(_add_bulk(pkg, bulk, limits))
    if src.is_dir() and not collector and not find_tables(src, list(TABLES))[0]:
        collector.add(_no_table(src))
    collector.raise_if_any()
    for name, table in pkg.arrow.items():
        pkg.row_counts[name] = table.num_rows
    return pkg


def column_warnings(path: str | Path) -> list[Problem]:
    """The warnings ``read_package`` would give about columns (unknown ones, with the nearest
    known name), from the header rows only: for the summary of a command that reads the
    package through another path (``import``)."""
    from laser_policy.io.xlsx import workbook_headers

    src = Path(path)
    if src.is_file():
        found = workbook_headers(src) if src.suffix.lower() == ".xlsx" else []
    elif src.is_dir():
        tables, _ = find_tables(src, list(TABLES))
        found = []
        for name, (file, *_) in tables.items():
            headers = read_headers(file)
            if headers is not None:
                label = f"{file.name}/" if file.is_dir() else file.name
                found.append((name, label, headers))
    else:
        found = []
    warnings: list[Problem] = []
    for name, label, headers in found:
        report = Report(label)
        map_headers(headers, TABLES[name], report)
        warnings.extend(report.warnings)
    return warnings
