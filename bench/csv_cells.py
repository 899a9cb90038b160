"""Benchmark: what the formula-injection escape costs the CSV reader and writer.

Reads one CSV table (synthetic enterprises, N rows, 1 in 1,000 names starting with
``=``, escaped as ``export`` writes them) with ``laser_policy.io.readers.read_csv``
(pandas + ``unescape_frame``) against plain pandas ``read_csv`` (the baseline,
measured in the same run), and writes it with and without ``escape_frame``.
Prints the best of 3 and the ratio to the baseline.

    python bench/csv_cells.py --rows 200000

Measured 2026-12-04 on the shared 2-core machine (other jobs running), 200,000 rows:
write 1.46 s plain, 1.71 s escaped (x1.18); read 0.84 s pandas, 1.14 s ``read_csv``
(x1.36, which includes its encoding sniffing as well as the unescape; x1.13-1.36
over three runs). Both passes find the cells to change with Arrow's regex kernel,
so a column with no such cell costs one scan.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from laser_policy.io.cells import escape_frame
from laser_policy.io.readers import read_csv


def _best(run: Callable[[], object], times: int = 3) -> float:
    best = float("inf")
    for _ in range(times):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000)
    n = parser.parse_args().rows
    frame = pd.DataFrame({
        "uscc": [f"91420100MA{i:08d}" for i in range(n)],
        "name": [("=HYPERLINK(1)" if i % 1000 == 0 else f"激光企业{i}（示例）") for i in range(n)],
        "province": "湖北省", "city": "武汉市", "segments": "LSR-FIBER;EQP-CUT",
        "listed_on": "2020-01-01", "is_laser": "True",
    })
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "enterprises.csv"
        write_plain = _best(lambda: frame.to_csv(path, index=False, encoding="utf-8-sig"))
        write_escaped = _best(
            lambda: escape_frame(frame).to_csv(path, index=False, encoding="utf-8-sig"))
        read_plain = _best(lambda: pd.read_csv(path, encoding="utf-8-sig", dtype=str,
                                               keep_default_na=False, skip_blank_lines=False))
        read_ours = _best(lambda: read_csv(path, "enterprises"))
    print(f"{n:,} rows x {frame.shape[1]} columns")
    print(f"{'step':28s} {'seconds':>8s} {'x baseline':>10s}")
    for label, got, base in (("write: pandas (baseline)", write_plain, write_plain),
                             ("write: escape_frame + pandas", write_escaped, write_plain),
                             ("read: pandas (baseline)", read_plain, read_plain),
                             ("read: read_csv (unescape)", read_ours, read_plain)):
        print(f"{label:28s} {got:8.3f} {got / base:10.2f}")


if __name__ == "__main__":
    main()
