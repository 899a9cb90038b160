"""The fingerprint of a package's content: one digest of its tables, whatever holds them.

``content_fingerprint(tables)`` is what every result records to say which data it
came from: import batches (``import_batches.sha256``, the audit's ``source_sha256``),
ledger runs from the CLI and from the web (``computation_runs.input_hash``), and what
``ledger replay`` compares. It is computed over the contract columns of each table as
typed values, not over file bytes, so the same data gives the same fingerprint read
from CSV, xlsx or Parquet, or from the database (store): headers in Chinese or
English, column and row order, unknown extra columns, the file format and a table with
no rows (same as absent) do not change it; any value that differs does.

How: each contract column is put in a canonical form of its kind (numbers and dates
as float64, text as str, empty text as null), each row is hashed
(``pandas.util.hash_pandas_object``, fixed key), the row hashes are sorted (so the
fingerprint is that of the multiset of rows) and SHA-256 is taken over the table
names, column names, row counts and sorted row hashes.

Earlier fingerprints (kept for runs recorded before this one existed, see
``ledger.replay``): ``package_sha256`` (SHA-256 of the package files, the CLI's) and
``legacy_snapshot_hash`` (the web's hash of its frames).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from laser_policy.contracts import TABLES
from laser_policy.contracts.tables import Column

_NULL_TEXT = "\x00"
_EPOCH = np.datetime64("1970-01-01", "D")


def _number(col: Column, s: pd.Series) -> np.ndarray:
    if col.kind == "date":
        days = pd.to_datetime(s, errors="coerce").to_numpy(dtype="datetime64[D]")
        out = (days - _EPOCH).astype("float64")
        out[np.isnat(days)] = np.nan
        return out
    if col.kind == "bool":
        return s.astype("boolean").astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    return pd.to_numeric(s, errors="coerce").astype("float64").to_numpy(na_value=np.nan)


def _text(s: pd.Series) -> np.ndarray:
    text = s.astype("string")
    return text.where(text.notna() & (text != ""), _NULL_TEXT).astype(object).to_numpy()


def _arrow_column(col: Column, data: pa.ChunkedArray) -> np.ndarray:
    """``_number`` / ``_text`` for an Arrow column, without a pandas frame of the table."""
    if col.kind == "date":
        data = pc.cast(pc.cast(data, pa.date32()), pa.int32())
    if col.kind in ("int", "float", "bool", "date"):
        return np.asarray(pc.cast(data, pa.float64()).to_numpy(zero_copy_only=False),
                          dtype="float64")
    text = pc.cast(data, pa.string())
    text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    return np.asarray(pc.fill_null(text, _NULL_TEXT).to_numpy(zero_copy_only=False),
                      dtype=object)


def _canonical(name: str, frame: pd.DataFrame | pa.Table) -> pd.DataFrame:
    spec = TABLES[name]
    if isinstance(frame, pa.Table):
        n = frame.num_rows
        return pd.DataFrame({
            c.name: _arrow_column(c, frame[c.name]) if c.name in frame.column_names
            else (np.full(n, np.nan) if c.kind in ("int", "float", "bool", "date")
                  else np.full(n, _NULL_TEXT, dtype=object))
            for c in spec.columns})
    n = len(frame)
    cols = {}
    for col in spec.columns:
        s = frame[col.name] if col.name in frame.columns else pd.Series([None] * n, dtype=object)
        s = s.reset_index(drop=True)
        cols[col.name] = _number(col, s) if col.kind in ("int", "float", "bool", "date") \
            else _text(s)
    return pd.DataFrame(cols)


def content_fingerprint(tables: Mapping[str, pd.DataFrame | pa.Table],
                        names: Iterable[str] | None = None) -> str:
    """SHA-256 of the content of ``tables`` (only ``names`` when given; tables the
    contract does not know and tables without rows are left out)."""
    wanted = set(tables if names is None else names)
    digest = hashlib.sha256(b"laser-policy content v1\0")
    for name in sorted(wanted & set(tables)):
        frame = tables[name]
        if name not in TABLES or len(frame) == 0:  # len: rows of a frame or Arrow table
            continue
        canon = _canonical(name, frame)
        rows = np.sort(pd.util.hash_pandas_object(canon, index=False).to_numpy())
        digest.update(f"{name}\0{','.join(canon.columns)}\0{len(canon)}\0".encode())
        digest.update(rows.astype("<u8").tobytes())
    return digest.hexdigest()


def package_sha256(path: Path) -> str:
    """SHA-256 of a file; of a folder, over its (non-hidden) files' paths and contents.
    The fingerprint of runs recorded from the CLI before ``content_fingerprint``."""
    digest = hashlib.sha256()
    files = [path] if path.is_file() else sorted(
        p for p in path.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts))
    for f in files:
        if f != path:
            digest.update(f.relative_to(path).as_posix().encode() + b"\0")
        with f.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()


def legacy_snapshot_hash(tables: Mapping[str, pd.DataFrame]) -> str:
    """The web's former hash of its frames (names, columns, values as text), kept so
    that runs it recorded can still be replayed."""
    digest = hashlib.sha256()
    for name in sorted(tables):
        frame = tables[name]
        digest.update(name.encode() + b"\0" + "\0".join(map(str, frame.columns)).encode())
        digest.update(
            pd.util.hash_pandas_object(frame.astype("string"), index=False).to_numpy().tobytes()
        )
    return digest.hexdigest()
