"""``laser-policy policy``: the policy as data (show) and policy documents (parse, diff)."""

from __future__ import annotations

import click

from laser_policy.cli.lazy import LazyGroup


@click.group(
    cls=LazyGroup,
    lazy={
        "parse": "laser_policy.cli.policy_text:parse",
        "diff": "laser_policy.cli.policy_text:diff",
        "show": "laser_policy.cli.policy_show:show",
        "draft": "laser_policy.cli.policy_draft:draft",
        "check": "laser_policy.cli.policy_draft:check",
    },
)
def policy() -> None:
    """政策模型与政策文本：解析、比对、查看、起草、检查。Policy model and documents."""
