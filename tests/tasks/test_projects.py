"""Major projects: the named ones of 十四 and 十九 found in the data, investment, delays."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from tasks_helpers import Editor

from laser_policy.policy.model import PolicyModel
from laser_policy.tasks.projects import STAGES, major_projects


def _named(model: PolicyModel) -> list[str]:
    return [p.id for p in model.projects if set(p.clauses) & {"十四", "十九"}]


def test_every_named_project_is_found_and_every_major_project_listed(
        edited_sample: Editor, model: PolicyModel, ground_truth: dict[str, Any]) -> None:
    pkg = edited_sample(lambda t: None)
    table = major_projects(pkg, model, dt.date(2026, 6, 30))
    majors = pkg.get("projects").query("kind == 'major'")
    assert len(table) == len(majors)  # each named project matched a data row
    named = table[table["policy_project"].notna()]
    assert list(named["policy_project"]) == _named(model)
    assert set(named["name"]) == {p["name"] for p in ground_truth["named_major_projects"]}
    for p in ground_truth["named_major_projects"]:
        row = named[named["name"] == p["name"]].iloc[0]
        assert row["enterprise"] == p["operator"]
        assert set(row["clauses"].split("、")) == set(p["clause"].split("、"))
    data = majors.set_index("project_id")
    for r in table.to_dict("records"):
        assert r["investment_wan"] == data.loc[r["project_id"], "investment_wan"]
        assert r["completed_investment_wan"] == data.loc[r["project_id"],
                                                         "completed_investment_wan"]
        assert r["completion_rate"] == r["completed_investment_wan"] / r["investment_wan"]


def test_a_project_past_its_planned_day_before_production_is_delayed(
        edited_sample: Editor, model: PolicyModel) -> None:
    planned = dt.date(2025, 3, 28)
    as_of = dt.date(2025, 6, 30)

    def late(t: dict[str, pd.DataFrame]) -> None:
        p = t["projects"]
        majors = p.index[p["kind"] == "major"]
        p.loc[majors[0], ["stage", "planned_completion"]] = [STAGES[1], planned.isoformat()]
        p.loc[majors[1], ["stage", "planned_completion"]] = [STAGES[2], planned.isoformat()]
        p.loc[majors[2], ["stage", "planned_completion"]] = [STAGES[0], "2025-12-28"]
        p.loc[majors[3], ["stage", "planned_completion"]] = [STAGES[0], as_of.isoformat()]

    pkg = edited_sample(late)
    table = major_projects(pkg, model, as_of)
    ids = list(pkg.get("projects").query("kind == 'major'")["project_id"])
    rows = table.set_index("project_id")
    delayed = rows.loc[ids[0]]
    assert delayed["status"] == "delayed"
    assert delayed["delay_days"] == (as_of - planned).days
    assert f"已延期{(as_of - planned).days}天" in delayed["reason"]
    assert rows.loc[ids[1], "status"] == "in_production"  # reached 投产: not delayed
    assert rows.loc[ids[2], "status"] == "on_track"
    assert rows.loc[ids[3], "status"] == "on_track"  # due today is not yet late
    assert set(table.loc[table["status"] == "delayed", "project_id"]) == {ids[0]}


def test_a_named_project_missing_from_the_data_is_shown_as_no_data(
        edited_sample: Editor, model: PolicyModel) -> None:
    gone = next(p for p in model.projects if "十九" in p.clauses and "十四" not in p.clauses)

    def drop(t: dict[str, pd.DataFrame]) -> None:
        t["projects"] = t["projects"][~t["projects"]["name"].str.contains("三期项目")
                                      | t["projects"]["name"].str.contains("锂电")]

    table = major_projects(edited_sample(drop), model, dt.date(2026, 6, 30))
    row = table[table["policy_project"] == gone.id].iloc[0]
    assert row["status"] == "no_data"
    assert row["name"] == gone.name
    assert pd.isna(row["project_id"])


def test_a_project_id_equal_to_the_model_id_is_matched(edited_sample: Editor,
                                                       model: PolicyModel) -> None:
    target = model.projects[0]

    def rename(t: dict[str, pd.DataFrame]) -> None:
        p = t["projects"]
        p.loc[p.index[p["kind"] == "major"][-1], ["project_id", "name"]] = [
            target.id, "另起名称的项目（示例）"]
        t["projects"] = p[~p["name"].str.startswith(target.name.removeprefix(
            target.enterprise)[:6])]

    table = major_projects(edited_sample(rename), model, dt.date(2026, 6, 30))
    row = table[table["policy_project"] == target.id].iloc[0]
    assert row["project_id"] == target.id
