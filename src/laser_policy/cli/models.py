"""``--model DIR`` (repeatable): the policies in force, loaded at the edge.

Every command that reads policy takes the option; without it the packaged model of
鄂政办发〔2024〕35号 is in force. The command receives ``models``: a tuple of
:class:`~laser_policy.policy.model.PolicyModel`, the first given first. Engine code
receives these models (or the one it needs) from the command, never loads one itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from laser_policy.policy.model import load_models, region_of

if TYPE_CHECKING:
    from laser_policy.policy.model import PolicyModel

__all__ = ["load_models", "model_option", "primary", "region_of"]

F = TypeVar("F", bound=Callable[..., Any])

HELP = (
    "政策模型目录，可重复（多项政策同时施行）；默认随软件发布的鄂政办发〔2024〕35号 / "
    "a policy model folder, repeatable (several policies in force); "
    "default the packaged 鄂政办发〔2024〕35号"
)


def model_option(func: F) -> F:
    """Add ``--model DIR`` (repeatable); the command gets ``models`` (loaded)."""

    def convert(_ctx: click.Context, _param: click.Parameter, value: tuple[Path, ...]) -> Any:
        return load_models(value)

    return click.option(
        "--model",
        "models",
        multiple=True,
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        callback=convert,
        help=HELP,
    )(func)


def primary(models: Sequence[PolicyModel]) -> PolicyModel:
    """The first policy in force: the one a single-policy view (monitor, report) reads."""
    return models[0]
