"""Upload files for the 数据 tests: the fixture package as an .xlsx (clean or broken) or a .zip."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd

from laser_policy.contracts.uscc import make_uscc

TABLES = ("enterprises", "financials", "qualifications")


def _other_check_char(uscc: str) -> str:
    """The same code with a wrong check character (still 18 characters)."""
    for c in "0123456789ABCDEFGHJKLMNPQRTUWXY":
        if c != uscc[-1]:
            return uscc[:-1] + c
    raise AssertionError("unreachable")


def package_xlsx(package_dir: Path, *, broken: bool = False) -> tuple[bytes, dict[str, str]]:
    """The package as a workbook; ``broken`` spoils one credit code and one revenue.

    Returns the bytes and what was spoiled (for the assertions)."""
    frames = {n: pd.read_csv(package_dir / f"{n}.csv", dtype=str) for n in TABLES}
    spoiled: dict[str, str] = {}
    if broken:
        ents = frames["enterprises"]
        good = str(ents.loc[1, "uscc"])
        assert make_uscc(good[:17]) == good
        bad = _other_check_char(good)
        ents.loc[1, "uscc"] = bad
        frames["financials"].loc[frames["financials"]["uscc"] == good, "uscc"] = bad
        frames["financials"].loc[0, "revenue_wan"] = "-100"
        spoiled = {"uscc": bad, "revenue": "-100"}
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, frame in frames.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    return buf.getvalue(), spoiled


def package_zip(package_dir: Path) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in TABLES:
            zf.write(package_dir / f"{name}.csv", f"pkg/{name}.csv")
    return buf.getvalue()
