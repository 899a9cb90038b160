"""Policy models shipped as package data (content, not code).

Each sub-folder holds one policy document as YAML next to its official text:
``meta.yaml``, ``measures.yaml``, ``units.yaml``, ``targets.yaml``,
``parameters.yaml``, ``projects.yaml``, ``chain.yaml``, ``funds.yaml``,
``mechanisms.yaml``, ``named.yaml``, ``tasks.yaml``, ``figures.yaml`` and
``document.txt``.
The engine that reads them is :mod:`laser_policy.policy.model`; a second policy
is added as a second folder, without touching the engine.
"""

from __future__ import annotations

from pathlib import Path

#: the model ``load_policy()`` loads when given no folder: 鄂政办发〔2024〕35号
DEFAULT_MODEL = "hubei_laser_2024"


def model_path(name: str = DEFAULT_MODEL) -> Path:
    """The folder of a packaged policy model."""
    return Path(__file__).resolve().parent / name
