"""The web app's data-access layer: the ONE module that knows where data comes from.

Everything above this module works on ``WebData`` (pandas frames with the data
contract's English column names). The frames come from the store's database
(``laser_policy.store.exporter.read_tables``; the default) or straight from a
data package (``laser_policy.io.read_package``; ``serve --data DIR``).

Frames are loaded once and kept in memory (10,000 enterprises × a few years is a
few MB); ``reload()`` after an import replaces them atomically.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import Engine

from laser_policy.contracts.cities import normalise_city
from laser_policy.io.package import read_package

#: tables the web pages read
WEB_TABLES = (
    "enterprises",
    "financials",
    "qualifications",
    "products",
    "platforms",
    "projects",
    "awards",
    # measure 十八 and the first part's targets (the 基金与担保 page)
    "fund_investments",
    "guarantees",
    "attracted_firms",
    "related_output",
)
#: the suffix every synthetic name carries (SHARED_SPECS "Synthetic sample package")
SYNTHETIC_SUFFIX = "（示例）"


@dataclass(frozen=True)
class WebData:
    """One consistent snapshot of the data the pages show."""

    enterprises: pd.DataFrame
    financials: pd.DataFrame
    qualifications: pd.DataFrame
    #: the package's tables as read (contract columns), for the engines (incentives, …)
    extra: dict[str, pd.DataFrame] = field(default_factory=dict)
    synthetic: bool = False
    source: str = ""
    #: changes whenever the data changes (used as a cache key)
    version: int = 0
    #: each enterprise's latest year of financials (computed once per snapshot)
    latest: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: DuckDB SQL over a package's validated transactions Parquet (not loaded); loaded
    #: transactions (CSV, sheet, the store's Parquet) are in ``extra["transactions"]``
    transactions_sql: str | None = None

    def __post_init__(self) -> None:
        if self.latest.empty:
            object.__setattr__(self, "latest", latest_financials(self.financials))

    def table(self, name: str) -> pd.DataFrame:
        return self.extra.get(name, pd.DataFrame())

    def package(self) -> Any:
        """The snapshot as a ``laser_policy.io.package.Package`` for the engines."""
        from laser_policy.io.package import Package

        return Package(source=Path(self.source or "."), tables=dict(self.extra),
                       transactions_sql=self.transactions_sql)


def latest_financials(financials: pd.DataFrame) -> pd.DataFrame:
    """One row per enterprise: its latest year's revenue and laser revenue."""
    cols = ["uscc", "year", "revenue_wan", "laser_revenue_wan"]
    fin = financials.dropna(subset=["year"])
    if fin.empty:
        return pd.DataFrame(columns=cols)
    last = fin.sort_values("year").drop_duplicates("uscc", keep="last")
    return last[cols].reset_index(drop=True)


def _text(series: pd.Series) -> pd.Series:
    return series.astype("string").fillna("").str.strip()


def _normalise_enterprises(df: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "uscc": _text(df["uscc"]).str.upper() if "uscc" in df else pd.Series(dtype="string"),
            "name": _text(df["name"]) if "name" in df else "",
        }
    )
    city = _text(df["city"]) if "city" in df else pd.Series([""] * len(df), dtype="string")
    out["city"] = [normalise_city(c) or c for c in city]
    out["province"] = _text(df["province"]).replace("", "湖北省") if "province" in df else "湖北省"
    out["segments"] = _text(df["segments"]) if "segments" in df else ""
    out["listed_on"] = _text(df["listed_on"]) if "listed_on" in df else ""
    if "is_laser" in df:
        raw = df["is_laser"].astype("string").str.strip().str.lower()
        out["is_laser"] = ~raw.isin(["false", "0", "否", "no", "n"])
    else:
        out["is_laser"] = True
    return out.reset_index(drop=True)


def _normalise_financials(df: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "uscc": _text(df["uscc"]).str.upper(),
            "year": pd.to_numeric(df["year"], errors="coerce").astype("Int64"),
        }
    )
    for col in ("revenue_wan", "laser_revenue_wan", "rd_expense_wan", "invention_patents"):
        out[col] = pd.to_numeric(df[col], errors="coerce") if col in df else float("nan")
    return out.dropna(subset=["year"]).reset_index(drop=True)


def _normalise_qualifications(df: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({"uscc": _text(df["uscc"]).str.upper() if "uscc" in df else []})
    for col in ("kind", "level"):
        out[col] = _text(df[col]) if col in df else ""
    out["year"] = pd.to_numeric(df["year"], errors="coerce").astype("Int64") if "year" in df else 0
    return out


def _is_synthetic(source: Path | None, enterprises: pd.DataFrame) -> bool:
    truth = source / "_ground_truth.json" if source is not None and source.is_dir() else None
    if truth is not None and truth.exists():
        try:
            return bool(json.loads(truth.read_text(encoding="utf-8")).get("synthetic", False))
        except (OSError, ValueError):
            pass
    names = enterprises["name"]
    return bool(len(names)) and bool(names.str.endswith(SYNTHETIC_SUFFIX).any())


def load_package(path: str | Path, version: int = 1) -> WebData:
    """Read a data package folder (or .xlsx) into a snapshot."""
    src = Path(path)
    pkg = read_package(src, tables=[*WEB_TABLES, "transactions"])
    enterprises = _normalise_enterprises(pkg.get("enterprises"))
    extra = {n: pkg.get(n) for n in WEB_TABLES}
    if "transactions" in pkg.tables:
        extra["transactions"] = pkg.tables["transactions"]
    return WebData(
        enterprises=enterprises,
        financials=_normalise_financials(pkg.get("financials")),
        qualifications=_normalise_qualifications(pkg.get("qualifications")),
        extra=extra,
        synthetic=_is_synthetic(src, enterprises),
        source=str(src),
        version=version,
        transactions_sql=pkg.transactions_sql,
    )


def load_database(url: str, version: int = 1) -> WebData:
    """Read the store's tables, transactions (its bulk Parquet) included, into a snapshot."""
    from laser_policy.store.exporter import read_tables

    frames = read_tables(url)

    def get(name: str) -> pd.DataFrame:
        return frames.get(name, pd.DataFrame())

    enterprises = (
        _normalise_enterprises(get("enterprises"))
        if "enterprises" in frames
        else (empty_data().enterprises)
    )
    return WebData(
        enterprises=enterprises,
        financials=_normalise_financials(get("financials"))
        if "financials" in frames
        else empty_data().financials,
        qualifications=_normalise_qualifications(get("qualifications")),
        extra={n: frames[n] for n in (*WEB_TABLES, "transactions") if n in frames},
        synthetic=_is_synthetic(None, enterprises),
        source="database",
        version=version,
    )


def empty_data() -> WebData:
    """No data yet (a fresh database): pages render with empty tables."""
    return WebData(
        enterprises=_normalise_enterprises(pd.DataFrame({"uscc": [], "name": []})),
        financials=_normalise_financials(pd.DataFrame({"uscc": [], "year": []})),
        qualifications=_normalise_qualifications(pd.DataFrame()),
    )


class DataProvider:
    """Holds the current snapshot; reloads it when the source changes (thread-safe swap).

    ``probe`` returns a token read from the source that changes when the data does (for
    the database: the last import batch's id); it is asked at most every ``probe_every_s``
    seconds (default: on every request, one indexed query), so a change made through one
    worker process, or with ``laser-policy import``, is seen by every other worker at
    its next request. Each reload gives the snapshot a new ``version``, the key of every
    cached computation on it, so nothing computed on older data is served after a change.
    """

    def __init__(
        self,
        loader: Callable[[int], WebData],
        probe: Callable[[], object] | None = None,
        probe_every_s: float = 0.0,
    ) -> None:
        self._loader = loader
        self._probe = probe
        self._probe_every_s = probe_every_s
        self._lock = threading.Lock()
        self._data: WebData | None = None
        self._version = 0
        self._token: object = None
        self._checked = 0.0

    def _changed(self) -> bool:
        if self._probe is None:
            return False
        now = time.monotonic()
        if now - self._checked < self._probe_every_s:
            return False
        self._checked = now
        return bool(self._probe() != self._token)

    def current(self) -> WebData:
        data = self._data
        if data is None or self._changed():
            with self._lock:
                # another thread may have reloaded while this one waited: ask again
                if self._data is None or self._data is data:
                    self._load()
                data = self._data
        assert data is not None  # set by _load
        return data

    def _load(self) -> None:
        self._token = self._probe() if self._probe is not None else None
        self._checked = time.monotonic()
        self._version += 1
        self._data = self._loader(self._version)

    def reload(self) -> WebData:
        with self._lock:
            self._load()
            assert self._data is not None
            return self._data


#: store engines kept by ``shared_engine`` (a process serves one database; tests use a few)
SHARED_ENGINES = 8
_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def shared_engine(url: str) -> Engine:
    """One pooled store engine per database URL for the whole process (read paths of the
    pages), instead of an engine (a new connection, SQL compiled anew) per request.

    Created lazily, so each worker process after a fork has its own; the oldest is
    disposed when more than ``SHARED_ENGINES`` URLs were asked for.
    """
    from laser_policy.store.db import make_engine

    with _engines_lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = make_engine(url)
            while len(_engines) > SHARED_ENGINES:
                _engines.pop(next(iter(_engines))).dispose()
        return engine


def dispose_shared_engines() -> None:
    """Close every shared engine's connections (graceful shutdown)."""
    with _engines_lock:
        while _engines:
            _engines.popitem()[1].dispose()


def last_import(engine: Engine) -> object:
    """The id of the store's latest import batch (None for an empty database)."""
    from laser_policy.store.models import IMPORT_BATCHES

    try:
        with engine.connect() as conn:
            return conn.execute(sa.select(sa.func.max(IMPORT_BATCHES.c.id))).scalar()
    except sa.exc.SQLAlchemyError:
        return None


def provider_for(
    data_path: Path | None, database_url: str, engine: Engine, probe_every_s: float = 0.0
) -> DataProvider:
    """A package when a path is given, else the database (reloaded after each import)."""
    if data_path is not None:
        return DataProvider(lambda v: load_package(data_path, version=v))
    return DataProvider(
        lambda v: load_database(database_url, version=v),
        probe=lambda: last_import(engine),
        probe_every_s=probe_every_s,
    )
