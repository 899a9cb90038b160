"""The whole-process runs of ``bench/incentives.py --process``: ``laser-policy incentives
compute`` as a user runs it, vs OpenFisca.

合成数据（示例），非真实企业. The panel of ``bench/incentives.py`` (same generator, same
seed) made into a valid data package — credit codes that pass GB 32100-2015, laser
revenue, levels the contract accepts — and written once per size as CSV and as
Parquet under ``--data-dir`` (default ``/tmp/laser-policy-bench``; reused when
present, the 10^7 package takes minutes to write).

Each run is a fresh process timed and measured by ``/usr/bin/time -v`` (wall clock,
maximum resident set size):

- ``laser-policy csv`` / ``parquet``: ``python -m laser_policy incentives compute PKG
  --format csv --output F`` (read, validate, type, compute, explain, write);
- ``openfisca``: this script's ``--child openfisca PKG``: imports, ``pd.read_csv`` of
  the six CSV tables, the vectorised OpenFisca model of ``bench/incentives.py``
  (``run_openfisca``) — OpenFisca's in-process end to end on the same files;
- ``floor``: DuckDB reading the same six CSV files once into Arrow (the least any
  reader of this data must do), in its own process importing DuckDB only.

The compiled SQL of the rules is cached on disk (``LASER_POLICY_CACHE_DIR``, here a
temporary folder): one untimed run at the first size fills it, as a user's first run
does; every timed run then starts from a warm cache, as a user's later runs do.

The amounts must be identical: the entitlement rows of ``laser-policy`` (whole
cents of 万元 per enterprise, incentive, year and role) against OpenFisca's; the
script stops if they differ.

Run (from the repository root)::

    PYTHONPATH=src python bench/incentives.py --process                    # 10^6
    PYTHONPATH=src python bench/incentives.py --process --sizes 1000000 10000000
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from incentives import generate, run_openfisca
from laser_policy.contracts.uscc import make_uscc

PACKAGE_TABLES = ("enterprises", "financials", "products", "platforms", "projects", "awards")
#: the columns the generator writes as identifiers (renamed to valid credit codes)
CODE_COLUMNS = {"enterprises": ["uscc"], "financials": ["uscc"],
                "products": ["developer_uscc", "user_uscc"], "platforms": ["operator_uscc"],
                "projects": ["uscc"], "awards": ["uscc"]}
ROW_KEY = ["uscc", "incentive", "year", "role"]


# --------------------------------------------------------------------------- data


def _codes(n: int) -> np.ndarray:
    """``n`` distinct valid credit codes (organisation bodies numbered in base 10)."""
    return np.array([make_uscc(f"91420100{i:08d}") for i in range(n)], dtype=object)


def package_tables(size: int) -> dict[str, pd.DataFrame]:
    """The generator's panel as a valid package: codes, laser revenue, contract levels."""
    t = generate(size)
    ids = t["enterprises"]["uscc"].to_numpy()
    mapping = pd.Series(_codes(len(ids)), index=ids)
    for name, columns in CODE_COLUMNS.items():
        for column in columns:
            t[name][column] = t[name][column].map(mapping).astype(object)
    projects = t["projects"]
    projects["channel"] = projects["kind"].map({"special_fund": "省预算内投资"})
    fin = t["financials"]
    fin["laser_revenue_wan"] = np.round(fin["revenue_wan"] * 0.8, 2)
    # the contract knows national and provincial only; the generator also draws municipal
    t["products"] = t["products"][t["products"]["catalog_level"] != "municipal"]
    t["platforms"] = t["platforms"][t["platforms"]["level"] != "municipal"]
    t["awards"] = t["awards"][t["awards"]["ref"].isin(set(t["products"]["product_id"])
                                                     | set(t["platforms"]["platform_id"])
                                                     | set(t["projects"]["project_id"]))
                              | t["awards"]["ref"].isna()]
    return {name: frame.reset_index(drop=True) for name, frame in t.items()}


def ensure_packages(size: int, root: Path) -> dict[str, Path]:
    """``{"csv": folder, "parquet": folder}`` at ``size``, written once and then reused."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    folders = {fmt: root / str(size) / fmt for fmt in ("csv", "parquet")}
    done = root / str(size) / ".complete"
    if done.exists():
        return folders
    print(f"writing the {size:,}-row packages to {root / str(size)} (once) …", flush=True)
    tables = package_tables(size)
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        arrow = pa.Table.from_pandas(frame, preserve_index=False)
        pacsv.write_csv(arrow, folders["csv"] / f"{name}.csv")
        pq.write_table(arrow, folders["parquet"] / f"{name}.parquet")
    done.write_text("ok", encoding="utf-8")
    return folders


# ------------------------------------------------------------------- child runs


def child_openfisca(package: Path, out: Path) -> None:
    """OpenFisca's in-process end to end: read the CSV tables with pandas, compute."""
    start = time.perf_counter()
    from laser_policy.policy.model import load_policy
    from laser_policy.rules.parameters import parameters_from_model

    params = parameters_from_model(load_policy(), 2025)
    imported = time.perf_counter()
    text = {"uscc": str, "developer_uscc": str, "user_uscc": str, "operator_uscc": str,
            "ref": str, "product_id": str, "platform_id": str, "project_id": str}
    tables = {name: pd.read_csv(package / f"{name}.csv", dtype=text)
              for name in PACKAGE_TABLES}
    read = time.perf_counter()
    due = run_openfisca(tables, params)
    computed = time.perf_counter()
    rows = due.assign(cents=due["due_cents"].astype("int64"))
    rows[[*ROW_KEY, "cents"]].to_parquet(out)
    (out.with_suffix(".json")).write_text(json.dumps({
        "imports_s": imported - start, "read_s": read - imported,
        "compute_s": computed - read}), encoding="utf-8")


#: the floor, run as ``python -c`` so that it imports DuckDB and nothing else: read the
#: six CSV files once into Arrow
FLOOR = """
import sys, duckdb
con = duckdb.connect()
for name in sys.argv[2:]:
    con.sql(f"SELECT * FROM read_csv('{sys.argv[1]}/{name}.csv')").to_arrow_table()
"""


# ------------------------------------------------------------------ measurement


def timed(command: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Wall seconds and peak RSS (MiB) of ``command`` run under ``/usr/bin/time -v``."""
    done = subprocess.run(["/usr/bin/time", "-v", *command], capture_output=True, text=True,
                          check=False, env=env)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    if wall is None or rss is None:
        raise SystemExit(f"/usr/bin/time gave no figures:\n{done.stderr[-2000:]}")
    hours, minutes, seconds = wall.groups()
    return {"seconds": int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds),
            "peak_rss_mib": int(rss.group(1)) / 1024}


def _ours(output: Path) -> pd.DataFrame:
    table = pd.read_csv(output, encoding="utf-8-sig", dtype={"uscc": str, "role": str})
    cents = np.round(table["amount_wan"].to_numpy() * 100).astype("int64")
    return _rows(table.assign(cents=cents))


def _rows(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[[*ROW_KEY, "cents"]].copy()
    out["role"] = out["role"].astype(object).where(out["role"].notna(), "").astype(str)
    out["uscc"] = out["uscc"].astype(str)
    out["year"] = out["year"].astype("int64")
    return out[out["cents"] > 0].sort_values([*ROW_KEY, "cents"]).reset_index(drop=True)


def measure(size: int, root: Path, tmp: Path) -> dict[str, Any]:
    folders = ensure_packages(size, root)
    python = sys.executable
    env = {**os.environ, "LASER_POLICY_CACHE_DIR": str(tmp / "cache")}
    if not (tmp / "cache").exists():  # fill the SQL cache once, untimed (a user's first run)
        timed([python, "-m", "laser_policy", "incentives", "compute", str(folders["csv"]),
               "--format", "csv", "--output", str(tmp / "warm.csv")], env)
    runs: dict[str, dict[str, float]] = {}
    outputs: dict[str, Path] = {}
    for fmt, folder in folders.items():
        outputs[fmt] = tmp / f"ours-{size}-{fmt}.csv"
        runs[f"laser-policy {fmt}"] = timed(
            [python, "-m", "laser_policy", "incentives", "compute", str(folder),
             "--format", "csv", "--output", str(outputs[fmt])], env)
    of_out = tmp / f"openfisca-{size}.parquet"
    runs["openfisca"] = timed([python, str(Path(__file__).with_name("incentives.py")),
                               "--process-child", str(folders["csv"]), "--out", str(of_out)],
                              env)
    runs["floor"] = timed([python, "-c", FLOOR, str(folders["csv"]), *PACKAGE_TABLES], env)
    phases = json.loads(of_out.with_suffix(".json").read_text("utf-8"))
    theirs = _rows(pd.read_parquet(of_out))
    for fmt, output in outputs.items():
        ours = _ours(output)
        if not ours.equals(theirs):
            raise SystemExit(f"amounts differ at {size} ({fmt}): ours {len(ours)} rows, "
                             f"{int(ours['cents'].sum())} cents; OpenFisca {len(theirs)} rows, "
                             f"{int(theirs['cents'].sum())} cents")
    return {"size": size, "rows_due": len(theirs), "cents": int(theirs["cents"].sum()),
            "runs": runs, "openfisca_phases_s": phases}


HEADER = (f"{'rows':>10} {'run':<20} {'wall s':>9} {'peak MiB':>9} {'×OF proc':>9} "
          f"{'×OF e2e':>9} {'mem/OF':>7}")


def _lines(m: dict[str, Any]) -> list[str]:
    """One line per run: ×OF proc = OpenFisca's whole process / this run's; ×OF e2e =
    OpenFisca's in-process read + compute / this run's whole process."""
    of = m["runs"]["openfisca"]
    phases = m["openfisca_phases_s"]
    e2e = phases["read_s"] + phases["compute_s"]
    out = []
    for name, r in m["runs"].items():
        out.append(f"{m['size']:>10,} {name:<20} {r['seconds']:>9.2f} "
                   f"{r['peak_rss_mib']:>9.0f} {of['seconds'] / r['seconds']:>9.2f} "
                   f"{e2e / r['seconds']:>9.2f} {r['peak_rss_mib'] / of['peak_rss_mib']:>7.2f}")
    return out


def main(sizes: list[int], data_dir: Path, json_out: Path | None) -> None:
    """Measure and print the whole-process runs at each size."""
    print("合成数据（示例），非真实企业 / synthetic sample data, not real enterprises")
    print(f"each run a fresh process under /usr/bin/time -v; {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f}")
    print(HEADER)
    measured = []
    with tempfile.TemporaryDirectory(prefix="bench-process-") as tmp:
        for size in sizes:
            m = measure(size, data_dir, Path(tmp))
            measured.append(m)
            print("\n".join(_lines(m)), flush=True)
            phases = m["openfisca_phases_s"]
            print(f"{'':>10} OpenFisca in-process: imports {phases['imports_s']:.2f} s, "
                  f"read CSV {phases['read_s']:.2f} s, compute {phases['compute_s']:.2f} s; "
                  f"identical amounts: {m['rows_due']:,} rows, {m['cents']:,} cents", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if json_out:
        json_out.write_text(json.dumps({"benchmark": "incentives whole process",
                                        "sizes": measured}, indent=2), encoding="utf-8")
