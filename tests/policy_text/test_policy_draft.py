"""``policy draft`` and ``policy check``: a model folder from a document's text."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.policy_text.genre import genre_dir

from laser_policy.cli import main
from laser_policy.errors import DocumentError, PolicyModelError
from laser_policy.policy.draft import REVIEW, check_model, draft_model
from laser_policy.policy.model import load_policy
from laser_policy.policy.text import comparison_key

DATA = Path(__file__).parent / "data"
OFFICIAL = DATA / "hubei-laser-2024-official.txt"
GENRE = genre_dir()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out, err = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else 1), out, err


def confirm_all(folder: Path) -> None:
    path = folder / REVIEW
    data: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    for item in data["items"]:
        item["confirmed"] = True
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")


@pytest.fixture(scope="module")
def official_draft(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("draft") / "hubei"
    draft_model(OFFICIAL, out)
    return out


def test_draft_of_the_official_text_has_the_packaged_measures_and_units(
    official_draft: Path,
) -> None:
    confirmed = official_draft.parent / "confirmed"
    shutil.copytree(official_draft, confirmed)
    confirm_all(confirmed)
    drafted = check_model(confirmed)
    packaged = load_policy()
    assert [(c.number, c.title) for c in drafted.chapters] == [
        (c.number, c.title) for c in packaged.chapters
    ]
    got = [(m.number, m.chapter, m.title, m.lead_units, m.responsible_units)
           for m in drafted.measures]
    want = [(m.number, m.chapter, m.title, m.lead_units, m.responsible_units)
            for m in packaged.measures]
    assert got == want
    for a, b in zip(drafted.measures, packaged.measures, strict=True):
        assert comparison_key(a.text, simplified=True) == comparison_key(b.text, simplified=True)
    assert sorted(u.name for u in drafted.units) == sorted(u.name for u in packaged.units)
    assert drafted.meta.doc_number == "鄂政办发〔2024〕35号"


def test_candidate_targets_and_money_rules_carry_quote_and_clause(official_draft: Path) -> None:
    targets = yaml.safe_load((official_draft / "targets.yaml").read_text("utf-8"))["targets"]
    scale = next(t for t in targets if t["values"] == {2024: 280, 2025: 380, 2026: 500})
    assert scale["clause"] == "第一部分"
    assert scale["quote"] == "力争2024年达到280亿元、2025年达到380亿元、2026年达到500亿元"
    rules = yaml.safe_load((official_draft / "parameters.yaml").read_text("utf-8"))["candidates"]
    by_clause = {(r["clause"], r["values"]["2024-01-01"]) for r in rules.values()}
    assert ("十七", 500) in by_clause  # 给予最高500万元补贴
    assert ("十九", 0.15) in by_clause  # 按产品购置单价或研发费用的15%
    review = yaml.safe_load((official_draft / REVIEW).read_text("utf-8"))["items"]
    files = {i["file"] for i in review}
    assert {"targets.yaml", "parameters.yaml", "meta.yaml", "units.yaml"} <= files
    assert all(i["confirmed"] is False for i in review)


def test_check_lists_every_item_to_confirm_with_file_and_key_path(
    official_draft: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "policy", "check", str(official_draft))
    assert code == 1
    review = yaml.safe_load((official_draft / REVIEW).read_text("utf-8"))["items"]
    assert err.count(": 待确认：") == len(review)
    assert "targets.yaml: targets[0]: 待确认" in err
    assert "meta.yaml: issued: 待确认" in err


def test_check_accepts_the_draft_once_confirmed_and_reports_loader_problems_too(
    official_draft: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "m"
    shutil.copytree(official_draft, folder)
    confirm_all(folder)
    code, out, _ = run(capsys, "policy", "check", str(folder))
    assert code == 0
    assert "23 条措施" in out
    # one unconfirmed item and one broken unit name: both reported at once
    data = yaml.safe_load((folder / REVIEW).read_text("utf-8"))
    data["items"][0]["confirmed"] = False
    (folder / REVIEW).write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    measures = (folder / "measures.yaml").read_text("utf-8")
    (folder / "measures.yaml").write_text(measures.replace("- 省科技厅", "- 省科技局", 1), "utf-8")
    code, _, err = run(capsys, "policy", "check", str(folder))
    assert code == 1
    assert "待确认" in err
    assert "measures.yaml: measures[0].lead_units" in err
    assert "省科技局" in err


def test_draft_refuses_a_non_empty_folder_and_writes_nothing_for_a_bad_document(
    tmp_path: Path,
) -> None:
    full = tmp_path / "full"
    full.mkdir()
    (full / "x.txt").write_text("x", "utf-8")
    with pytest.raises(DocumentError, match="不为空"):
        draft_model(OFFICIAL, full)
    bad = tmp_path / "note.txt"
    bad.write_text("这是一段普通的文字。没有任何编号，也没有措施。", "utf-8")
    with pytest.raises(DocumentError, match="不像政策文件"):
        draft_model(bad, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_check_of_a_missing_folder_fails() -> None:
    with pytest.raises(PolicyModelError, match="不存在"):
        check_model(Path("/nonexistent/model"))


@pytest.mark.skipif(GENRE is None, reason="genre corpus ../shared/policy/genre absent")
def test_draft_of_a_genre_document(tmp_path: Path) -> None:
    assert GENRE is not None
    out = tmp_path / "sjz"
    summary = draft_model(GENRE / "13_shijiazhuang_shouru.txt", out)
    assert summary.measures == 2
    measures = yaml.safe_load((out / "measures.yaml").read_text("utf-8"))["measures"]
    assert measures[0]["lead_units"] == ["市人社局"]
    assert measures[0]["responsible_units"][:2] == ["市发改委", "财政局"]
    targets = yaml.safe_load((out / "targets.yaml").read_text("utf-8"))["targets"]
    assert {"quote": "城镇登记失业率控制在4.5%以内", "comparison": "le"}.items() <= next(
        t for t in targets if "失业率" in t["quote"]
    ).items()
    confirm_all(out)
    try:
        check_model(out)
        remaining: list[str] = []
    except PolicyModelError as exc:
        remaining = [ln for ln in str(exc).splitlines() if not ln.startswith("政策模型有")]
    # every drafted item is valid once confirmed: a document naming no project is a valid
    # model (the draft still asks, in review.yaml, whether the text really names none)
    assert remaining == []
    review = yaml.safe_load((out / REVIEW).read_text("utf-8"))["items"]
    assert any(i["file"] == "projects.yaml" and i["path"] == "projects" for i in review)


def test_check_accepts_the_packaged_model(capsys: pytest.CaptureFixture[str]) -> None:
    from laser_policy.policy.model import model_path

    code, out, _ = run(capsys, "policy", "check", str(model_path()))
    assert code == 0
    assert "鄂政办发〔2024〕35号" in out
