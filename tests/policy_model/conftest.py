"""Fixtures for the policy-model tests: the packaged model and a writable copy of it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from laser_policy.model import model_path
from laser_policy.policy.model import PolicyModel, load_policy

_FURNITURE = re.compile(r"^(- ?\d+ ?-|.{1}|.*规范性文件|.*发布)$")


@pytest.fixture(scope="session")
def model() -> PolicyModel:
    return load_policy()


@pytest.fixture(scope="session")
def flat_document(model: PolicyModel) -> str:
    """The official text without page furniture and whitespace, for finding passages in it."""
    lines = [ln.strip() for ln in model.document_text().splitlines()]
    return "".join(ln for ln in lines if ln and not _FURNITURE.match(ln)).replace(" ", "")


@pytest.fixture
def model_copy(tmp_path: Path) -> Path:
    """A writable copy of the packaged model folder."""
    target = tmp_path / "model"
    shutil.copytree(model_path(), target)
    return target
