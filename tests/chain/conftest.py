"""Fixtures of the chain tests: a small synthetic package in each layout, one SparkSession."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from tests.chain.fixtures import write_package


def _postings(root: Path) -> None:
    from tests.chain.fixtures import B1, B2, L1, L2, L3, OUT_A

    pd.DataFrame(
        [
            ("O1", L2, "万瓦级光纤激光器", "供应6kW-30kW连续光纤激光器，适用于钣金切割",
             "LSR-FIBER", "宜昌"),
            ("O2", L3, "高功率激光切割头", "提供万瓦级激光切割头、焊接头，国产替代",
             "CMP-HEAD", "武汉"),
            ("O3", L1, "激光晶体", "Nd:YAG激光晶体、钒酸钇晶体批量供应", "MAT-CRYSTAL", "武汉"),
            ("O4", OUT_A, "非线性光学晶体", "苏州供应LBO、BBO非线性光学晶体", "MAT-NLO", None),
        ],
        columns=["id", "uscc", "title", "text", "segment", "city"],
    ).to_csv(root / "offers.csv", index=False)
    pd.DataFrame(
        [
            ("D1", B1, "采购激光切割头", "需要万瓦级激光切割头50套", "CMP-HEAD", "武汉"),
            ("D2", B2, "光纤激光器需求", "需采购12kW光纤激光器", "LSR-FIBER", "宜昌"),
        ],
        columns=["id", "uscc", "title", "text", "segment", "city"],
    ).to_csv(root / "demands.csv", index=False)


@pytest.fixture(scope="session")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture package, transactions as hive-partitioned Parquet, with offers/demands."""
    root = write_package(tmp_path_factory.mktemp("chain") / "pkg", "hive")
    _postings(root)
    return root


@pytest.fixture(scope="session")
def package_in() -> Any:
    """A factory: the fixture package written in a given layout."""
    made: dict[str, Path] = {}

    def make(tmp: Path, layout: str) -> Path:
        if layout not in made:
            made[layout] = write_package(tmp / layout, layout)
        return made[layout]

    return make


@pytest.fixture(scope="session")
def spark_con() -> Any:
    """One Ibis backend on one local SparkSession for the whole test session."""
    pytest.importorskip("pyspark")
    from laser_policy.engine import connect

    return connect("spark", master="local[2]")


#: a small synthetic sample package (the sample generator's), with its ground truth
SAMPLE = {"enterprises": 300, "transactions": 30_000, "seed": 7}


@pytest.fixture(scope="session")
def sample_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from laser_policy.sample import write_sample

    out = tmp_path_factory.mktemp("chain_sample") / "pkg"
    write_sample(out, chunk_rows=8_000, **SAMPLE)
    return out


@pytest.fixture(scope="session")
def truth(sample_package: Path) -> dict[str, Any]:
    import json

    from laser_policy.sample import GROUND_TRUTH

    data: dict[str, Any] = json.loads((sample_package / GROUND_TRUTH).read_text("utf-8"))
    return data
