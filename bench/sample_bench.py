"""Benchmark: generating the synthetic sample at scale (time, peak memory, throughput).

    python bench/sample_bench.py                       # 100,000 enterprises, 10,000,000 rows
    python bench/sample_bench.py --enterprises 2000 --transactions 200000   # the default sample

Prints wall time, peak resident memory (getrusage maxrss) and rows per second, then
scans the written transactions once with DuckDB (local supplying rate by segment) to
show the partitioned Parquet is readable at that size.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

import duckdb

from laser_policy.sample import write_sample


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--transactions", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--chunk-rows", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=None, help="keep the package here")
    args = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="sample-bench-"))
    out = args.out or base / "pkg"
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    result = write_sample(out, enterprises=args.enterprises, transactions=args.transactions,
                          seed=args.seed, chunk_rows=args.chunk_rows, overwrite=True)
    elapsed = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"enterprises            {args.enterprises:>14,}")
    print(f"transactions           {args.transactions:>14,}")
    print(f"generation time        {elapsed:>14.1f} s")
    print(f"transaction rows/s     {args.transactions / elapsed:>14,.0f}")
    print(f"peak RSS               {rss / 1024:>14,.0f} MiB  (before: {rss0 / 1024:,.0f} MiB)")
    print(f"package size           {_size(out) / 2**20:>14,.1f} MiB  ({len(result.files)} files)")
    for name, n in result.rows.items():
        print(f"  {name:<20} {n:>14,}")

    glob = str(out / "transactions" / "**" / "*.parquet")
    t1 = time.perf_counter()
    rates = duckdb.sql(f"""
        select segment, round(sum(amount_wan) filter (where supplier_province = '湖北省')
                              / sum(amount_wan), 3) as local_rate, count(*) as rows
        from read_parquet('{glob}', hive_partitioning=true) group by 1 order by 2
    """).fetchall()
    print(f"DuckDB scan            {time.perf_counter() - t1:>14.1f} s")
    for segment, rate, rows in rates:
        weak = " (weak)" if segment in result.ground_truth["weak_segments"] else ""
        print(f"  {segment:<12} local {rate:>6.3f}  rows {rows:>12,}{weak}")
    if args.out is None:
        shutil.rmtree(base)


if __name__ == "__main__":
    main()
