"""Find and read the raw tables of a package folder (CSV, Parquet, partitioned Parquet).

Readers return cells as written (text for CSV) with headers as written; validation
and normalisation happen in ``laser_policy.contracts.validate``. A frame's index is
``row - 2`` (header = row 1), so problems can name the row a user sees.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from laser_policy.contracts.messages import problem
from laser_policy.contracts.tables import TABLES, Table
from laser_policy.contracts.validate import Report, map_headers
from laser_policy.errors import Problem
from laser_policy.io.cells import unescape_arrow, unescape_frame
from laser_policy.io.encoding import sniff_csv
from laser_policy.io.limits import ReadLimits, env_name


@dataclass(frozen=True)
class RawTable:
    """One table as read from a file: cells as written, ``file`` as problems name it."""

    name: str
    file: str
    frame: pd.DataFrame
    #: the same cells as Arrow with ``_row`` (the DuckDB validator's input), when read so
    cells: pa.Table | None = None


@dataclass(frozen=True)
class BulkSource:
    """Parquet files of a bulk table (transactions), validated and read by DuckDB."""

    name: str
    path: Path
    files: tuple[Path, ...]
    hive: bool

    @property
    def glob(self) -> str:
        """A DuckDB ``read_parquet`` pattern for the files."""
        if self.path.is_dir():
            return str(self.path / "**" / "*.parquet")
        return str(self.path)


def find_tables(folder: Path, wanted: list[str]) -> tuple[dict[str, list[Path]], list[Problem]]:
    """Files of each wanted table in ``folder``: ``<name>.csv|.parquet``, ``<中文名>.csv|.parquet``
    or, for bulk tables, a ``<name>/`` folder of Parquet (``year=2025/*.parquet``)."""
    found: dict[str, list[Path]] = {}
    problems: list[Problem] = []
    for name in wanted:
        spec: Table = TABLES[name]
        paths = [
            folder / f"{stem}{ext}"
            for stem in (name, spec.zh)
            for ext in (".csv", ".parquet")
            if (folder / f"{stem}{ext}").is_file()
        ]
        if spec.bulk and (folder / name).is_dir():
            paths.append(folder / name)
        if len(paths) > 1:
            problems.append(problem(
                paths[0].name, "file.ambiguous", files="、".join(p.name for p in paths)))
        if paths:
            found[name] = paths[:1]
    return found, problems


def too_large(label: str, limit: int, what: str, setting: str) -> Problem:
    return problem(label, "file.too_large", limit=f"{limit:,}", what=what, env=env_name(setting))


def too_many_rows(label: str, limit: int, setting: str = "max_rows") -> Problem:
    return problem(label, "file.too_many_rows", limit=f"{limit:,}", env=env_name(setting))


def _file_too_large(path: Path, limits: ReadLimits) -> list[Problem]:
    if path.stat().st_size > limits.max_file_bytes:
        return [too_large(path.name, limits.max_file_bytes, "文件大小 / file size",
                          "max_file_bytes")]
    return []


def read_csv(
    path: Path, name: str, limits: ReadLimits | None = None,
) -> tuple[RawTable | None, list[Problem]]:
    """A CSV table as text cells, or the problem that prevents reading it. Reading stops
    one row past ``limits.max_rows``."""
    limits = limits or ReadLimits()
    if big := _file_too_large(path, limits):
        return None, big
    sniffed = sniff_csv(path)
    if sniffed.encoding is None:
        return None, [problem(path.name, sniffed.rule or "file.unreadable", detail=sniffed.detail)]
    try:
        frame = pd.read_csv(
            path, encoding=sniffed.encoding, dtype=str, keep_default_na=False,
            skip_blank_lines=False, nrows=limits.max_rows + 1,
        )
    except UnicodeDecodeError as exc:
        return None, [problem(path.name, "file.encoding",
                              detail=f"第{exc.start}字节 / byte {exc.start}")]
    except pd.errors.EmptyDataError:
        return None, [problem(path.name, "file.empty")]
    except (pd.errors.ParserError, ValueError) as exc:
        return None, [problem(path.name, "file.unreadable", detail=str(exc).strip())]
    if len(frame) > limits.max_rows:
        return None, [too_many_rows(path.name, limits.max_rows)]
    frame = unescape_frame(frame)  # cells as exported (formula-like text was escaped)
    frame.columns = pd.Index(_headers_as_written(path, sniffed.encoding, list(frame.columns)))
    return RawTable(name, path.name, frame), []


def _headers_as_written(path: Path, encoding: str, parsed: list[str]) -> list[str]:
    """The header row as written: pandas renames a repeated ``name`` to ``name.1``, which
    would hide the repetition from the validator (blank headers keep pandas' names)."""
    with path.open(encoding=encoding, newline="") as fh:
        written = next(csv.reader(fh), [])
    if len(written) != len(parsed):
        return parsed
    return [w if w.strip() else p for w, p in zip(written, parsed, strict=True)]


def bulk_source(path: Path, name: str) -> tuple[BulkSource | None, list[Problem]]:
    """A Parquet file or a folder of Parquet files (Hive-partitioned or not)."""
    if path.is_file():
        return BulkSource(name, path, (path,), hive=False), []
    files = tuple(sorted(path.rglob("*.parquet")))
    if not files:
        return None, [problem(f"{path.name}/", "file.empty")]
    hive = any("=" in part for f in files for part in f.relative_to(path).parts[:-1])
    problems = _repeated_columns(path, files, name)
    return (None if problems else BulkSource(name, path, files, hive=hive)), problems


def _repeated_columns(root: Path, files: tuple[Path, ...], name: str) -> list[Problem]:
    """A column written twice in a file's schema (DuckDB would rename it ``x_1`` silently);
    only the footers are read."""
    problems: list[Problem] = []
    for file in files:
        try:
            names = pq.read_schema(file).names
        except (pa.ArrowException, OSError):
            continue  # reported as unreadable by the validator
        if len(set(names)) < len(names):
            report = Report(str(Path(root.name) / file.relative_to(root)))
            map_headers(names, TABLES[name], report)
            problems.extend(report.problems)
    return problems


def read_headers(path: Path) -> list[str] | None:
    """The header row of a CSV or Parquet file, or the union of the columns of a folder of
    Parquet, without reading the data; None when the file cannot be read (the validator
    says why)."""
    try:
        if path.is_dir():
            names: dict[str, None] = {}
            for file in sorted(path.rglob("*.parquet")):
                names.update(dict.fromkeys(pq.read_schema(file).names))
            return list(names)
        if path.suffix == ".parquet":
            return list(pq.read_schema(path).names)
        sniffed = sniff_csv(path)
        if sniffed.encoding is None:
            return None
        with path.open(encoding=sniffed.encoding, newline="") as fh:
            return next(csv.reader(fh), [])
    except (pa.ArrowException, OSError, UnicodeDecodeError, csv.Error):
        return None


def read_csv_arrow(
    path: Path, name: str, limits: ReadLimits | None = None,
) -> tuple[pa.Table | None, list[Problem]]:
    """A CSV table as Arrow text cells (headers as written, ``_row`` = spreadsheet row),
    read in streamed batches and stopped one row past ``limits.max_rows``; blank lines
    are rows, as a spreadsheet counts them. A file Arrow cannot parse (e.g. a row with
    fewer fields) is read by ``read_csv`` instead, which says what is wrong if anything."""
    import pyarrow.csv as pacsv

    from laser_policy.contracts.validate_sql import ROW, row_numbers

    limits = limits or ReadLimits()
    if big := _file_too_large(path, limits):
        return None, big
    sniffed = sniff_csv(path)
    if sniffed.encoding is None:
        return None, [problem(path.name, sniffed.rule or "file.unreadable", detail=sniffed.detail)]
    try:
        with path.open(encoding=sniffed.encoding, newline="") as fh:
            headers = next(csv.reader(fh), [])
    except (UnicodeDecodeError, csv.Error) as exc:
        return None, [problem(path.name, "file.unreadable", detail=str(exc).strip())]
    if not headers:
        return None, [problem(path.name, "file.empty")]
    names = [f"c{i}" for i in range(len(headers))]
    try:
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1,
                                           encoding="utf8", block_size=16 * 1024 * 1024),
            parse_options=pacsv.ParseOptions(newlines_in_values=True,
                                              ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False,
                quoted_strings_can_be_null=False),
        )
        batches: list[pa.RecordBatch] = []
        rows = 0
        for batch in reader:
            rows += batch.num_rows
            if rows > limits.max_rows:
                return None, [too_many_rows(path.name, limits.max_rows)]
            batches.append(batch)
        table = pa.Table.from_batches(batches, schema=reader.schema)
    except (pa.ArrowInvalid, UnicodeDecodeError):
        raw, problems = read_csv(path, name, limits)
        return (None if raw is None else frame_cells(raw.frame)), problems
    cells = table.rename_columns([h if h.strip() else f"Unnamed: {i}"
                                  for i, h in enumerate(headers)])
    cells = unescape_arrow(cells)  # cells as exported (formula-like text was escaped)
    return cells.append_column(ROW, row_numbers(cells.num_rows)), []


def frame_cells(frame: pd.DataFrame) -> pa.Table:
    """A frame of cells as read (text, or a workbook's typed cells) as Arrow text cells
    with ``_row``: each cell written as the validators read it (``values.as_text``)."""
    from laser_policy.contracts.validate_sql import ROW
    from laser_policy.contracts.values import as_text

    arrays = [pa.array(as_text(frame.iloc[:, i]), type=pa.string())
              for i in range(frame.shape[1])]
    table = pa.Table.from_arrays(arrays, names=[str(c) for c in frame.columns])
    return table.append_column(ROW, pa.array(frame.index.to_numpy(dtype="int64") + 2))


def read_parquet_arrow(
    path: Path, name: str, limits: ReadLimits | None = None,
) -> tuple[pa.Table | None, list[Problem]]:
    """A Parquet table as Arrow (typed cells kept), ``_row`` added; rows counted as the
    batches decode, up to ``limits.max_rows``."""
    from laser_policy.contracts.validate_sql import ROW, row_numbers

    limits = limits or ReadLimits()
    if big := _file_too_large(path, limits):
        return None, big
    try:
        parquet = pq.ParquetFile(path)
        batches: list[pa.RecordBatch] = []
        rows = 0
        for batch in parquet.iter_batches():
            rows += batch.num_rows
            if rows > limits.max_rows:
                return None, [too_many_rows(path.name, limits.max_rows)]
            batches.append(batch)
        table = pa.Table.from_batches(batches, schema=parquet.schema_arrow)
    except (pa.ArrowException, OSError) as exc:
        return None, [problem(path.name, "file.unreadable", detail=str(exc).strip())]
    if table.schema.metadata and b"pandas" in table.schema.metadata:
        table = table.replace_schema_metadata(None)
    index = [c for c in table.column_names if c.startswith("__index_level_")]
    table = table.drop_columns(index) if index else table
    return table.append_column(ROW, row_numbers(table.num_rows)), []
