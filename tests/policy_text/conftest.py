"""Shared fixtures: the two texts of 鄂政办发〔2024〕35号 kept beside the tests.

``hubei-laser-2024-official.txt`` is the official text as a PDF gives it (hard-wrapped,
a page header and number inside measure 十七); ``hubei-laser-2024-reprint-traditional.txt``
a web reprint (traditional script, pinyin glosses, half-width punctuation, web furniture).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from laser_policy.policy.parse import ParsedDocument, parse_document

DATA = Path(__file__).parent / "data"
OFFICIAL = DATA / "hubei-laser-2024-official.txt"
REPRINT = DATA / "hubei-laser-2024-reprint-traditional.txt"


@pytest.fixture(scope="session")
def official() -> ParsedDocument:
    return parse_document(OFFICIAL)


@pytest.fixture(scope="session")
def reprint() -> ParsedDocument:
    return parse_document(REPRINT)


@pytest.fixture(scope="session")
def expected() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / "expected_measures.json").read_text("utf-8"))
    return data
