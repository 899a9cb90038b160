"""Pages and their JSON twins show the data and the policy model, in Chinese and English."""

from __future__ import annotations

import io
from collections.abc import Callable

import pandas as pd
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from laser_policy.policy.model import load_policy
from laser_policy.web.data import WebData


def test_overview_targets_come_from_the_model_and_actuals_from_the_data(
    client_for: Callable[[str], TestClient], web_data: WebData
) -> None:
    body = client_for("taskforce").get("/api/overview").json()
    model = load_policy()
    scale = next(t for t in body["targets"] if t["id"] == "industry_scale")
    assert {y["year"]: y["target"] for y in scale["years"]} == {
        y: float(v) for y, v in model.target("industry_scale").values.items()
    }
    fin = web_data.financials
    for row in scale["years"]:
        in_year = fin[fin["year"] == row["year"]]
        if in_year.empty:
            assert row["actual"] is None
        else:
            assert row["actual"] == round(in_year["laser_revenue_wan"].sum() / 10_000, 2)
    assert body["synthetic"] is True
    assert body["kpis"]["enterprises"] == len(web_data.enterprises)


def test_ladder_lists_firms_near_the_milestones(
    client_for: Callable[[str], TestClient], web_data: WebData
) -> None:
    ladder = client_for("admin").get("/api/overview").json()["ladder"]
    thresholds = load_policy().parameter("revenue_milestone.thresholds_wan").at(2025)
    assert ladder["thresholds_yi"] == [t / 10_000 for t in thresholds]
    fin = web_data.financials
    last = fin[fin["year"] == fin["year"].max()]
    near = last[last["revenue_wan"] >= min(thresholds) / 2]
    assert len(ladder["rows"]) == len(near)
    top = ladder["rows"][0]
    assert top["revenue_yi"] == round(near["revenue_wan"].max() / 10_000, 2)
    assert top["next_tier_yi"] is None or top["gap_yi"] > 0


def test_map_covers_the_17_divisions(
    client_for: Callable[[str], TestClient], web_data: WebData
) -> None:
    figures = client_for("admin").get("/api/overview").json()["map"]
    counts = web_data.enterprises.groupby("city").size()
    assert {f["city"]: f["enterprises"] for f in figures if f["enterprises"]} == counts.to_dict()


def test_pages_render_in_chinese_and_switch_to_english(
    client_for: Callable[[str], TestClient],
) -> None:
    client = client_for("taskforce")
    zh = client.get("/")
    assert "湖北省激光产业政策平台" in zh.text
    assert "示例数据（合成）" in zh.text
    en = client.get("/?lang=en")
    assert "Hubei Laser Industry Policy Platform" in en.text
    assert "Sample data (synthetic)" in en.text
    # the choice is remembered in a cookie
    assert "Enterprises" in client.get("/policy").text
    assert "政策" in client.get("/policy?lang=zh").text


def test_enterprise_search_and_detail(
    client_for: Callable[[str], TestClient], web_data: WebData
) -> None:
    client = client_for("taskforce")
    ent = web_data.enterprises.iloc[5]
    by_code = client.get("/api/enterprises", params={"q": ent["uscc"]}).json()
    assert [r["uscc"] for r in by_code["items"]] == [ent["uscc"]]
    by_name = client.get("/api/enterprises", params={"q": ent["name"][:9]}).json()
    assert ent["uscc"] in {r["uscc"] for r in by_name["items"]}
    segment = ent["segments"].split(";")[0]
    by_seg = client.get("/api/enterprises", params={"segment": segment, "page_size": 200}).json()
    assert by_seg["total"] == int(
        web_data.enterprises["segments"].str.split(";").apply(lambda s: segment in s).sum()
    )
    detail = client.get(f"/api/enterprises/{ent['uscc']}").json()
    assert [f["year"] for f in detail["financials"]] == sorted(
        web_data.financials[web_data.financials["uscc"] == ent["uscc"]]["year"].tolist()
    )
    seg_names = {s.code: s.name_zh for s in load_policy().chain.segments}
    assert {s["name"] for s in detail["segments"]} == {
        seg_names[c] for c in ent["segments"].split(";")
    }
    page = client.get(f"/enterprises/{ent['uscc']}")
    assert ent["name"] in page.text
    assert client.get("/api/enterprises/NOSUCHCODE").status_code == 404


def test_enterprise_list_exports_to_excel(
    client_for: Callable[[str], TestClient], web_data: WebData
) -> None:
    response = client_for("city").get("/enterprises.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert "合成" in str(rows[0][0])
    assert rows[1][:3] == ("统一社会信用代码", "企业名称", "市州")
    assert len(rows) - 2 == int((web_data.enterprises["city"] == "武汉市").sum())


def test_policy_page_lists_the_23_measures(client_for: Callable[[str], TestClient]) -> None:
    client = client_for("taskforce")
    model = load_policy()
    page = client.get("/policy")
    for measure in model.measures:
        assert measure.title in page.text
    body = client.get("/api/policy").json()
    assert body["version"] == model.version
    names = {p["name"] for p in body["parameters"]}
    assert "revenue_milestone.thresholds_wan" in names
    xlsx = client.get("/policy/measures.xlsx")
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + len(model.measures)


def test_openapi_is_served(app_client: TestClient) -> None:
    schema = app_client.get("/openapi.json").json()
    assert "/api/overview" in schema["paths"]
    assert "/api/enterprises/{uscc}" in schema["paths"]


def _entitlements(web_data: WebData) -> pd.DataFrame:
    from laser_policy.rules import compute_entitlements

    tables = {n: web_data.extra[n] for n in ("enterprises", "financials") if n in web_data.extra}
    result: pd.DataFrame = compute_entitlements(tables, load_policy())
    return result


def test_money_by_payer_is_the_engines_split(
    client_for: Callable[[str], TestClient], web_data: WebData
) -> None:
    expected = _entitlements(web_data)
    assert not expected.empty, "the fixture has firms crossing a revenue milestone"
    money = client_for("taskforce").get("/api/overview").json()["money"]
    lines = {line["payer"]: line["due_wan"] for line in money["payers"]}
    assert lines["省级"] == round(expected["province_wan"].sum(), 2)
    cities = web_data.enterprises.set_index("uscc")["city"]
    by_city = expected.assign(c=expected["uscc"].map(cities)).groupby("c")["city_wan"].sum()
    for city, amount in by_city.items():
        assert lines[city] == round(amount, 2)
    assert money["due_wan"] == round(expected["amount_wan"].sum(), 2)


def test_a_city_sees_only_its_share_of_the_money(
    client_for: Callable[[str], TestClient], web_data: WebData
) -> None:
    money = client_for("city").get("/api/overview").json()["money"]
    assert [line["payer"] for line in money["payers"]] in ([], ["武汉市"])
    expected = _entitlements(web_data)
    wuhan = set(web_data.enterprises.loc[web_data.enterprises["city"] == "武汉市", "uscc"])
    share = round(expected[expected["uscc"].isin(wuhan)]["city_wan"].sum(), 2)
    assert sum(line["due_wan"] for line in money["payers"]) == share
    assert round(sum(line["due_wan"] for line in money["incentives"]), 2) == share


def test_enterprise_page_explains_its_entitlements(
    client_for: Callable[[str], TestClient], web_data: WebData
) -> None:
    expected = _entitlements(web_data)
    uscc = str(expected.iloc[0]["uscc"])
    client = client_for("taskforce")
    body = client.get(f"/api/enterprises/{uscc}").json()
    mine = expected[expected["uscc"] == uscc]
    assert sorted(e["amount_wan"] for e in body["entitlements"]) == sorted(mine["amount_wan"])
    assert all(e["explanation"] and e["clause"] for e in body["entitlements"])
    page = client.get(f"/enterprises/{uscc}")
    assert str(mine.iloc[0]["explanation"]) in page.text
