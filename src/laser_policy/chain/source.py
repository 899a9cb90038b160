"""Chain data opened on an analytics engine: transactions stay in the engine.

Transactions (possibly hundreds of millions of rows) are read by the engine
itself from ``DATA/transactions/`` (Parquet, hive-partitioned ``year=YYYY/``),
``DATA/transactions.parquet`` or ``DATA/transactions.csv``; they are never
pulled into pandas. The small tables (enterprises, financials, offers, demands)
are read with ``read_package`` and handed to the engine as in-memory tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from laser_policy.chain.taxonomy import resolve, segments, split_segments
from laser_policy.contracts.tables import TRANSACTIONS
from laser_policy.engine import connect
from laser_policy.errors import InputError
from laser_policy.io.package import Package, read_package
from laser_policy.policy.region import Region

#: columns of the normalised transactions expression, with their engine types
TX_COLUMNS: dict[str, str] = {
    "buyer_uscc": "string",
    "supplier_uscc": "string",
    "supplier_name": "string",
    "supplier_province": "string",
    "supplier_city": "string",
    "segment": "string",
    "year": "int64",
    "amount_wan": "float64",
}
_REQUIRED = ("buyer_uscc", "supplier_province", "segment", "amount_wan")

_TRUE = {"true", "1", "是", "y", "yes", "t"}
_FALSE = {"false", "0", "否", "n", "no", "f"}


def _short_of(region: Region) -> dict[str, str]:
    """Division full name → the one short spelling a supplier's city is also compared with
    (the first alias when there is one: 恩施州; else the short name: 武汉)."""
    return {d.name: d.aliases[0] if d.aliases else d.short for d in region.divisions}


def canonical_segment(value: object) -> object:
    """The segment code of a raw ``transactions.segment`` value (code, lower case or name)."""
    return (resolve(value) or value) if isinstance(value, str) else value


def segment_spellings(codes: list[str]) -> list[str]:
    """Every raw spelling of ``codes`` accepted in transactions (for engine-side filters)."""
    names = {s.code: s.name_zh for s in segments()}
    out: list[str] = []
    for code in codes:
        out.extend([code, code.lower(), *([names[code]] if code in names else [])])
    return out


def _bool(value: object, default: bool = True) -> bool:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return default


def normalise_enterprises(df: pd.DataFrame, region: Region) -> pd.DataFrame:
    """uscc, name, province (default the region's: 湖北省), city (full name of a division of
    the region, else as written), segment codes list, is_laser."""
    out = pd.DataFrame(
        {
            "uscc": df.get("uscc", pd.Series(dtype=object)).astype("string").str.strip()
            .str.upper(),
            "name": df.get("name", pd.Series(dtype=object)).astype("string"),
        }
    )
    province = df.get("province", pd.Series([None] * len(df), index=df.index, dtype=object))
    out["province"] = [
        region.province
        if p is None or pd.isna(p) or str(p).strip() in ("", *region.province_short)
        else str(p).strip()
        for p in province
    ]
    city = df.get("city", pd.Series([None] * len(df), index=df.index, dtype=object))
    out["city"] = [
        (region.normalise_city(str(c)) or str(c).strip())
        if c is not None and not pd.isna(c)
        else None
        for c in city
    ]
    seg = df.get("segments", pd.Series([None] * len(df), index=df.index, dtype=object))
    out["segments"] = [split_segments(s) for s in seg]
    laser = df.get("is_laser", pd.Series([None] * len(df), index=df.index, dtype=object))
    out["is_laser"] = [_bool(v) for v in laser]
    return out.reset_index(drop=True)


@dataclass
class ChainData:
    """A data package opened for chain analysis on one engine."""

    source: Path
    con: Any
    transactions: ir.Table
    enterprises: pd.DataFrame
    #: the policy's region: whose firms are the buyers, which suppliers are local
    region: Region
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    engine: str = "duckdb"

    def hubei_buyers(self) -> ir.Table:
        """The region's laser enterprises (the buyers counted): ``buyer_uscc``, ``buyer_city``."""
        e = self.enterprises
        mask = e["is_laser"] & (e["province"] == self.region.province)
        df = pd.DataFrame(
            {
                "buyer_uscc": e.loc[mask, "uscc"].astype(object),
                "buyer_city": e.loc[mask, "city"].astype(object),
            }
        ).drop_duplicates("buyer_uscc")
        df["buyer_city_short"] = df["buyer_city"].map(_short_of(self.region)).astype(object)
        schema = {"buyer_uscc": "string", "buyer_city": "string", "buyer_city_short": "string"}
        return ibis.memtable(df, schema=schema)

    def buyer_transactions(self) -> ir.Table:
        """Transactions of the region's laser buyers, with the buyer's city and local flags
        (local: the supplier's province is the region's)."""
        t = self.transactions
        b = self.hubei_buyers()
        j = t.inner_join(b, "buyer_uscc")
        local = j.supplier_province.isin(self.region.province_names)
        same = (j.supplier_city == j.buyer_city) | (j.supplier_city == j.buyer_city_short)
        return j.mutate(is_local=local, is_same_city=local & same.fill_null(False))

    def execute(self, expr: ir.Expr) -> pd.DataFrame:
        result = self.con.execute(expr)
        if not isinstance(result, pd.DataFrame):
            raise TypeError("expected a table expression")
        return result

    def table(self, name: str) -> pd.DataFrame:
        return self.tables.get(name, pd.DataFrame())


def _rename(t: ir.Table) -> ir.Table:
    mapping: dict[str, str] = {}
    for col in TRANSACTIONS.columns:
        for header in col.headers:
            for actual in t.columns:
                if actual.lstrip("\ufeff").strip() == header and actual != col.name:
                    mapping[col.name] = actual
    return t.rename(mapping) if mapping else t


def normalise_transactions(t: ir.Table, where: str) -> ir.Table:
    """The contract's columns with fixed types; year from ``date`` when absent.

    Values are not rewritten row by row (that would cost more than the analysis):
    codes are taken as the contract writes them (upper case, as ``laser-policy
    validate`` checks), a Hubei supplier may be written 湖北省 or 湖北, its city in
    full or short form, and a segment by code or name; segment spellings are
    folded to codes after aggregation (``canonical_segment``).
    """
    t = _rename(t)
    missing = [c for c in _REQUIRED if c not in t.columns]
    if "year" not in t.columns and "date" not in t.columns:
        missing.append("year")
    if missing:
        raise InputError(
            f"{where}: 缺少必需的列 / missing required column(s) {', '.join(missing)} "
            f"[required_column]"
        )
    cols: dict[str, ir.Value] = {}
    for name, dtype in TX_COLUMNS.items():
        if name in t.columns:
            cols[name] = t[name].cast(dtype)
        elif name == "year":
            cols[name] = t["date"].cast("date").year().cast("int64")
        else:
            cols[name] = ibis.null().cast(dtype)
    out = t.select(**cols)
    return out.mutate(supplier_uscc=out.supplier_uscc.nullif(""))


def _read_uri(con: Any, uri: str, engine: str) -> tuple[ir.Table, str]:
    """Transactions at a URI or path the engine itself reads (``hdfs://``, ``s3a://`` …)."""
    if uri.endswith(".csv"):
        if engine == "spark":
            return con.read_csv(uri, encoding="UTF-8"), uri
        return con.read_csv(uri, all_varchar=True), uri
    if engine == "spark":
        base = uri.rstrip("/")
        return (con.read_parquet(base) if base.endswith(".parquet")
                else con.read_parquet(base, basePath=base)), uri
    pattern = uri if uri.endswith(".parquet") else uri.rstrip("/") + "/**/*.parquet"
    return con.read_parquet(pattern, hive_partitioning=True, union_by_name=True), uri


def _read_transactions(con: Any, src: Path, engine: str) -> tuple[ir.Table, str]:
    folder = src / "transactions"
    if folder.is_dir():
        if not any(folder.rglob("*.parquet")):
            raise InputError(f"{folder}: 文件夹中没有Parquet文件 / no Parquet files in folder")
        if engine == "spark":
            return con.read_parquet(str(folder), basePath=str(folder)), str(folder)
        return (
            con.read_parquet(str(folder / "**" / "*.parquet"), hive_partitioning=True,
                             union_by_name=True),
            str(folder),
        )
    pq, csv = src / "transactions.parquet", src / "transactions.csv"
    if pq.exists():
        return con.read_parquet(str(pq)), str(pq)
    if csv.exists():
        if engine == "spark":
            return con.read_csv(str(csv), encoding="UTF-8"), str(csv)
        return con.read_csv(str(csv), all_varchar=True), str(csv)
    raise InputError(
        f"{src}: 没有采购交易表 / no transactions table (transactions/ transactions.parquet "
        f"transactions.csv)"
    )


def package_chain_data(pkg: Package, region: Region, con: Any = None) -> ChainData:
    """Chain data (DuckDB) over what an already read ``Package`` offers: its loaded
    transactions (a package's CSV or sheet, or the store's Parquet) or the SQL over its
    validated Parquet. Nothing is read again from ``pkg.source``, so a Package built
    from the database works the same as one read from files."""
    con = con if con is not None else connect("duckdb")
    if "transactions" in pkg.tables:
        frame = pkg.tables["transactions"]
        raw = ibis.memtable(frame.astype(object).where(frame.notna(), None))
    elif pkg.transactions_sql is not None:
        import duckdb

        with duckdb.connect() as duck:
            raw = ibis.memtable(duck.sql(pkg.transactions_sql).to_arrow_table())
    else:
        raise InputError(f"{pkg.source}: 没有采购交易表 / no transactions table")
    tx = normalise_transactions(raw, f"{pkg.source}: transactions")
    enterprises = normalise_enterprises(pkg.get("enterprises"), region)
    return ChainData(pkg.source, con, tx, enterprises, region, dict(pkg.tables), "duckdb")


def open_chain_data(
    path: str | Path,
    *,
    region: Region,
    engine: str = "duckdb",
    master: str | None = None,
    conf: Mapping[str, str] | None = None,
    con: Any = None,
    need_transactions: bool = True,
    transactions: str | None = None,
) -> ChainData:
    """Open ``path`` (a data package) for chain analysis on ``engine``, for the
    policy's ``region`` (its buyers; local suppliers are in its province).

    ``transactions`` overrides where the transactions are: a path or URI the engine
    reads itself (on a cluster: ``hdfs://…/transactions/`` or ``s3a://…``, a folder of
    Parquet partitioned by ``year=``, a ``.parquet`` file or a ``.csv``).
    """
    src = Path(path)
    if not src.exists():
        raise InputError(f"数据包不存在 / data package not found: {src}")
    small = ["enterprises", "financials", "offers", "demands"]
    xlsx = src.is_file() and src.suffix.lower() == ".xlsx"
    pkg = read_package(src, tables=[*small, "transactions"] if xlsx else small)
    if "enterprises" not in pkg:
        raise InputError(f"{src}: 缺少企业名录表 / enterprises table missing (enterprises.csv)")
    enterprises = normalise_enterprises(pkg.get("enterprises"), region)
    con = con if con is not None else connect(engine, master=master, conf=conf)
    raw: ir.Table
    if transactions:
        raw, where = _read_uri(con, transactions, engine)
    elif xlsx:
        if "transactions" not in pkg:
            raise InputError(f"{src}: 工作簿缺少 transactions 工作表 / no transactions sheet")
        raw = ibis.memtable(pkg.get("transactions").astype(object).where(
            pkg.get("transactions").notna(), None))
        where = f"{src}!transactions"
    elif need_transactions or (src / "transactions").exists() or any(
        (src / f"transactions.{x}").exists() for x in ("csv", "parquet")
    ):
        raw, where = _read_transactions(con, src, engine)
    else:
        empty = pd.DataFrame({c: [] for c in TX_COLUMNS})
        raw, where = ibis.memtable(empty, schema=TX_COLUMNS), "transactions"
    tx = normalise_transactions(raw, where)
    return ChainData(src, con, tx, enterprises, region, dict(pkg.tables), engine)
