"""Whole-process benchmark of ``incentives compute --engine spark``: Spark reading the files
itself (this branch) against the previous path (DuckDB read and validated the package in
Python's process, then handed the frames to Spark), DuckDB engine as the same-run baseline.

合成数据（示例），非真实企业: the package of ``bench/incentives_process.py`` (same
generator, same seed, CSV and Parquet, written once under ``--data-dir``).

Runs, each a fresh process under ``/usr/bin/time -v`` (wall clock, peak RSS of the
Python process; the Spark JVM is a child and ``time`` reports the largest process):

- ``duckdb``: ``python -m laser_policy incentives compute PKG --format csv --output F``;
- ``spark (now)``: the same with ``--engine spark`` — Spark reads, validates, computes;
- ``spark (before)``: the same command run on the code of ``--before`` (a checkout of
  the previous commit, e.g. ``git worktree add /tmp/old-spark 69bc5b5``), skipped when
  not given.

The three outputs must hold the same rows; the script stops if they differ.

Run (from the repository root)::

    git worktree add /tmp/old-spark 69bc5b5
    PYTHONPATH=src python bench/spark_read.py --before /tmp/old-spark
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from incentives_process import _ours, ensure_packages, timed


def _command(folder: Path, out: Path, engine: str) -> list[str]:
    return [sys.executable, "-m", "laser_policy", "incentives", "compute", str(folder),
            "--format", "csv", "--output", str(out), "--engine", engine]


def measure(size: int, root: Path, tmp: Path, before: Path | None,
            formats: list[str]) -> list[tuple[str, dict[str, float]]]:
    folders = ensure_packages(size, root)
    here = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    rows: list[tuple[str, dict[str, float]]] = []
    for fmt in formats:
        folder = folders[fmt]
        outputs: dict[str, Path] = {}
        runs: list[tuple[str, list[str], dict[str, str]]] = [
            ("duckdb", _command(folder, tmp / f"duck-{fmt}.csv", "duckdb"), here),
            ("spark (now)", _command(folder, tmp / f"spark-{fmt}.csv", "spark"), here)]
        if before is not None:
            old = dict(os.environ, PYTHONPATH=str(before / "src"))
            runs.append(("spark (before)", _command(folder, tmp / f"old-{fmt}.csv", "spark"),
                         old))
        for label, command, env in runs:
            outputs[label] = Path(command[command.index("--output") + 1])
            rows.append((f"{fmt} {label}", timed(command, env)))
        base = _ours(outputs["duckdb"])
        for label, output in outputs.items():
            if not _ours(output).equals(base):
                raise SystemExit(f"{label} ({fmt}) gives other amounts than duckdb")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/laser-policy-bench"))
    parser.add_argument("--before", type=Path, default=None,
                        help="checkout of the previous code (its src/ is put on PYTHONPATH)")
    parser.add_argument("--formats", nargs="+", default=["csv", "parquet"])
    args = parser.parse_args()
    print(f"{args.size:,} enterprise-years; each run a fresh process; {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as tmp:
        rows = measure(args.size, args.data_dir, Path(tmp), args.before, args.formats)
    base: dict[str, Any] = {}
    print(f"{'run':<24} {'wall s':>8} {'peak MiB':>9} {'× duckdb':>9}")
    for label, m in rows:
        fmt = label.split()[0]
        if label.endswith("duckdb"):
            base[fmt] = m["seconds"]
        print(f"{label:<24} {m['seconds']:8.1f} {m['peak_rss_mib']:9.0f} "
              f"{m['seconds'] / base[fmt]:9.2f}")


if __name__ == "__main__":
    main()
