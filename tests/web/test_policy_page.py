"""The 政策 page: funds, mechanisms, task items, figures, chain items and named things of the
model in their own sections, and assumed values marked 假设 wherever the number is shown."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from laser_policy.policy.model import load_policy


def section(html: str, card: str) -> str:
    match = re.search(rf'<section class="card" id="{card}">(.*?)</section>', html, re.S)
    assert match, f"no section {card}"
    return match.group(1)


def row_with(html: str, text: str) -> str:
    rows = [r for r in re.findall(r"<tr[^>]*>.*?</tr>", html, re.S) if text in r]
    assert rows, f"no row with {text}"
    return rows[0]


def test_the_policy_page_shows_every_provision(client_for: Callable[[str], TestClient]) -> None:
    model = load_policy()
    page = client_for("taskforce").get("/policy")
    assert page.status_code == 200
    html = page.text
    funds = section(html, "card-funds")
    for f in model.funds:
        assert f.name_zh in funds
    assert "500亿元" in row_with(funds, "楚天凤鸣")
    assert "原文未写" in row_with(funds, "省政府投资引导基金")
    mechanisms = section(html, "card-mechanisms")
    assert "原文无数字" in row_with(mechanisms, "适当补助")
    tasks = section(html, "card-tasks")
    for t in model.tasks:
        assert f'id="task-{t.id}"' in tasks
        assert t.name_zh in tasks
    institutes = row_with(tasks, "task-rd_institutes_built")
    assert "3家" in institutes
    assert "（一）" in institutes
    assert "假设" in institutes
    figures = section(html, "card-figures")
    assert all(f.label_zh in figures for f in model.figures)
    chain = section(html, "card-chain-items")
    assert "长板" in row_with(chain, "激光掺杂和消融")
    named = section(html, "card-named")
    assert all(n.name_zh in named for n in model.named)
    assert "待建" in row_with(named, "华工科技中央研究院")


def test_an_assumed_parameter_is_marked_on_the_page_and_in_the_api(
    client_for: Callable[[str], TestClient],
) -> None:
    client = client_for("taskforce")
    parameters = section(client.get("/policy").text, "card-parameters")
    rate = row_with(parameters, "service_platform.rate")
    assert "0.1" in rate
    assert "假设" in rate
    assert "假设" not in row_with(parameters, "service_platform.cap_wan")
    english = section(client.get("/policy?lang=en").text, "card-parameters")
    assert "assumption" in row_with(english, "service_platform.rate")
    client.get("/policy?lang=zh")
    body = client.get("/api/policy").json()
    flags = {p["name"]: p["assumption"] for p in body["parameters"]}
    assert flags["service_platform.rate"] is True
    assert flags["first_set.rate"] is False


def test_task_items_show_their_flags_to_those_who_see_the_measures(
    client_for: Callable[[str], TestClient],
) -> None:
    model = load_policy()
    tasks = section(client_for("taskforce").get("/policy").text, "card-tasks")
    assert "红黄绿灯及原因" in tasks
    for t in model.tasks:
        row = row_with(tasks, f'id="task-{t.id}"')
        assert re.search(r'class="flag flag-(red|amber|green)"', row), t.id
    assert "rd_institutes_built=完成数" in row_with(tasks, 'id="task-rd_institutes_built"')
    firm = section(client_for("firm").get("/policy").text, "card-tasks")
    assert "红黄绿灯及原因" not in firm
    assert 'class="flag flag-' not in firm
