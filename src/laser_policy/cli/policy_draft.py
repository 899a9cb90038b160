"""``laser-policy policy draft`` and ``laser-policy policy check``: a new policy enters
the platform from its text, and a model folder is checked before use."""

from __future__ import annotations

from pathlib import Path

import click

from laser_policy.policy.draft import check_model, draft_model

_PATH = click.Path(path_type=Path)


@click.command()
@click.argument("file", type=_PATH)
@click.argument("out", type=_PATH)
def draft(file: Path, out: Path) -> None:
    """从政策文本起草政策模型目录（待确认项列在 review.yaml）。

    Draft a policy model folder OUT from the document FILE: document, chapters,
    measures, units, candidate targets, money rules and projects; every guess is
    listed in OUT/review.yaml with confirmed: false.
    """
    s = draft_model(file, out)
    click.echo(
        f"已起草 {s.folder}：{s.measures} 条措施、{s.units} 个单位、{s.targets} 个候选目标、"
        f"{s.money_rules} 条候选资金规则、{s.projects} 个候选项目；{s.to_confirm} 项待确认"
        f"（见 review.yaml）/ drafted {s.folder}: {s.measures} measures, {s.units} units, "
        f"{s.targets} candidate targets, {s.money_rules} money rules, {s.projects} projects; "
        f"{s.to_confirm} items to confirm (see review.yaml)"
    )


@click.command()
@click.argument("folder", type=_PATH)
def check(folder: Path) -> None:
    """检查政策模型目录：列出每个问题（文件与键路径），包括待确认项。

    Check a policy model folder: every problem with its file and key path, and every
    review item not yet confirmed; exit 1 if there is any.
    """
    parts = check_model(folder)
    click.echo(
        f"政策模型有效：{parts.meta.doc_number}，{len(parts.measures)} 条措施、"
        f"{len(parts.units)} 个单位 / the policy model is valid: {parts.meta.doc_number}, "
        f"{len(parts.measures)} measures, {len(parts.units)} units"
    )
