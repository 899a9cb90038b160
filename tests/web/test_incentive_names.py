"""The incentives page lists the incentives of the policies in force (``settings.models``),
each named as its policy model declares it when the page has no wording of its own
(issue 12: a city policy's incentives appear without a code or messages change)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.web.conftest import logged_in, make_app

from laser_policy.model import model_path
from laser_policy.web.data import WebData

EXAMPLE = Path(__file__).parents[1] / "policy_model" / "example_city_policy"


def _options(html: str) -> dict[str, str]:
    select = html[html.index('name="incentive"'):]
    select = select[:select.index("</select>")]
    return {v: label.strip() for v, label in
            re.findall(r'<option value="([a-z_]*)"[^>]*>([^<]*)</option>', select) if v}


def _page(tmp: Path, package_dir: Path, data: WebData, lang: str = "zh",
          **overrides: object) -> str:
    app = make_app(tmp, package_dir, data, only=("taskforce",), **overrides)
    with logged_in(app, ["taskforce"]) as made:
        page = made["taskforce"].get("/incentives", params={"lang": lang})
    assert page.status_code == 200, page.text
    return page.text


def test_the_filter_lists_every_policys_incentives_by_their_model_names(
    tmp_path: Path, package_dir: Path, web_data: WebData
) -> None:
    options = _options(_page(tmp_path, package_dir, web_data,
                             models=(model_path(), EXAMPLE)))
    assert list(options) == ["revenue_milestone", "first_set", "service_platform",
                             "innovation_source", "scale_reward", "rd_subsidy"]
    assert options["revenue_milestone"] == "营收跨档奖励（第十八条）"
    assert options["scale_reward"] == "规模晋档奖励（示例）（第一条）"
    assert options["rd_subsidy"] == "研发投入补助（示例）（第二条）"


def test_in_english_the_model_english_label_is_shown(
    tmp_path: Path, package_dir: Path, web_data: WebData
) -> None:
    options = _options(_page(tmp_path, package_dir, web_data, "en",
                             models=(model_path(), EXAMPLE)))
    assert options["scale_reward"] == "Scale reward (example) (一)"


def test_with_the_packaged_model_only_its_four_incentives(
    tmp_path: Path, package_dir: Path, web_data: WebData
) -> None:
    options = _options(_page(tmp_path, package_dir, web_data))
    assert list(options) == ["revenue_milestone", "first_set", "service_platform",
                             "innovation_source"]
