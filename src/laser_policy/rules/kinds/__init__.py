"""The kinds of incentive the engine computes, one module each; no policy names here.

A policy model declares its incentives (``incentives.yaml``), each of a kind
(``policy.incentives.KINDS`` says what each kind must declare); a kind's builder
turns one declared rule (:class:`~laser_policy.rules.parameters.IncentiveRule`:
table, columns, eligibility, numbers in force) into an Ibis expression of
:data:`~laser_policy.rules.ledger.RULE_COLUMNS` rows, which runs on DuckDB and Spark.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from laser_policy.errors import PolicyModelError
from laser_policy.rules.inputs import SCHEMAS
from laser_policy.rules.parameters import IncentiveRule

#: kind → "module:function" building the rows due under that kind (imported when built,
#: so a run whose SQL is cached never imports Ibis)
BUILDERS: dict[str, str] = {
    "tiered_once": "tiered_once:tiered_once_amount",
    "capped_rate": "capped_rate:capped_rate_amount",
    "capped_rate_shared": "capped_rate_shared:capped_rate_shared_amount",
}


def _builder(kind: str) -> Callable[[dict[str, Any], IncentiveRule], Any]:
    import importlib

    module, name = BUILDERS[kind].split(":")
    found: Callable[[dict[str, Any], IncentiveRule], Any] = getattr(
        importlib.import_module(f"laser_policy.rules.kinds.{module}"), name)
    return found


def rule_rows(tables: dict[str, Any], rule: IncentiveRule) -> Any:
    """The rows one declared incentive is due (in its years), by its kind."""
    try:
        builder = _builder(rule.kind)
    except KeyError:
        raise PolicyModelError(
            f"奖补「{rule.id}」的类型「{rule.kind}」引擎无法计算 / the engine has no kind "
            f"{rule.kind!r} (incentive {rule.id!r})"
        ) from None
    return builder(tables, rule)


def check_readable(rule: IncentiveRule) -> None:
    """Every column the rule names is one the engine reads (``inputs.SCHEMAS``)."""
    wanted = [(rule.table, column) for _, column in rule.columns]
    wanted += [("enterprises" if c.of == "enterprise" else rule.table, c.column)
               for c in rule.eligible]
    missing = sorted({f"{t}.{c}" for t, c in wanted if c not in SCHEMAS.get(t, {})})
    if missing:
        raise PolicyModelError(
            f"奖补「{rule.id}」读取的列引擎尚未读入：{', '.join(missing)} / incentive "
            f"{rule.id!r} reads columns the engine does not read in: {', '.join(missing)}"
        )
