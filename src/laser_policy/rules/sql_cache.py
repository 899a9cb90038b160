"""The rules' DuckDB SQL, compiled by Ibis once per parameter set and kept on disk.

Building and compiling the rules' Ibis expression costs the import of Ibis (about a
second and a half) and the compilation itself; the SQL depends only on the
parameters, the years and the rules' code. It is therefore written to
``$LASER_POLICY_CACHE_DIR`` (default ``~/.cache/laser-policy``) under a key hashing
the three, with the result's column types, so that a later run executes the SQL
and converts the result to pandas as Ibis would, without importing Ibis.
A cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

CACHE_ENV = "LASER_POLICY_CACHE_DIR"
_FORMAT = 1

#: (sql, [(column, Ibis type class name, pandas dtype name)])
Query = tuple[str, tuple[tuple[str, str, str], ...]]


def cache_dir() -> Path:
    """Where compiled SQL is kept: ``$LASER_POLICY_CACHE_DIR`` or ``~/.cache/laser-policy``."""
    given = os.environ.get(CACHE_ENV)
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "laser-policy"


@functools.cache
def code_version() -> str:
    """A hash of the package version and of the rules' source files."""
    from laser_policy import __version__

    digest = hashlib.sha256(__version__.encode())
    for file in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(str(file.relative_to(Path(__file__).parent)).encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def cached_query(key_parts: tuple[Any, ...], build: Callable[[], Query]) -> Query:
    """The query for ``key_parts`` (reprs hashed with the code version): read from the
    disk cache, else ``build()`` and written there."""
    key = hashlib.sha256(
        (code_version() + "\n" + "\n".join(repr(p) for p in key_parts)).encode()
    ).hexdigest()
    path = cache_dir() / "rules-sql" / f"{key}.json"
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        if stored.get("format") == _FORMAT:
            columns = tuple((str(a), str(b), str(c)) for a, b, c in stored["columns"])
            return str(stored["sql"]), columns
    except (OSError, ValueError, KeyError, TypeError):
        pass
    query = build()
    _write(path, {"format": _FORMAT, "sql": query[0], "columns": [list(c) for c in query[1]]})
    return query


def _write(path: Path, content: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(content, fh, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        return  # a read-only home: compiled again next time


def result_columns(schema: Any) -> tuple[tuple[str, str, str], ...]:
    """An Ibis schema as (column, Ibis type class, pandas dtype) for :func:`to_pandas`."""
    from ibis.formats.pandas import PandasType

    return tuple((name, type(dtype).__name__, str(PandasType.from_ibis(dtype)))
                 for name, dtype in schema.items())


def to_pandas(table: pa.Table, columns: tuple[tuple[str, str, str], ...]) -> pd.DataFrame:
    """The result as Ibis's DuckDB backend converts it to pandas (same dtypes, same
    missing values), without Ibis."""
    frame = table.to_pandas()
    out: dict[str, pd.Series] = {}
    for name, kind, dtype in columns:
        series = frame[name]
        if kind == "String":
            out[name] = series.astype(pd.StringDtype(na_value=np.nan), errors="ignore")
        elif kind == "Boolean":
            if series.empty:
                out[name] = series.astype(bool)
            elif pd.api.types.is_object_dtype(series.dtype) or series.dtype == bool:
                out[name] = series
            else:
                out[name] = series.map(bool, na_action="ignore")
        else:
            target = np.dtype(dtype)
            try:
                out[name] = series if series.dtype == target else series.astype(target)
            except (TypeError, ValueError):
                out[name] = series  # e.g. an integer column with missing values stays float
    return pd.DataFrame(out)
