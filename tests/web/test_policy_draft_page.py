"""政策 page: a model drafted from an uploaded document (issue 14), nothing stored.

The genre document is read from ``../shared/policy/genre`` (the corpus is not copied)."""

from __future__ import annotations

import base64
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.policy_text.genre import genre_dir
from tests.web.conftest import csrf_of, form_token

from laser_policy.errors import PolicyModelError
from laser_policy.policy.draft import check_model
from laser_policy.web.services.policy_draft import MAX_DOCUMENT_BYTES
from laser_policy.web.state import AppState

GENRE = genre_dir()
SHIJIAZHUANG = (GENRE or Path(".")) / "13_shijiazhuang_shouru.txt"
TEXT = "text/plain"

pytestmark = pytest.mark.skipif(not SHIJIAZHUANG.is_file(), reason="genre corpus not present")


def _post(client: TestClient, name: str, body: bytes, lang: str = "zh") -> object:
    token = form_token(client.get("/policy").text)
    return client.post(
        "/policy/draft",
        params={"lang": lang},
        data={"csrf_token": token},
        files={"file": (name, body, TEXT)},
    )


def _zip_of(html: str) -> tuple[str, bytes]:
    m = re.search(
        r'id="draft-download" href="data:application/zip;base64,([^"]+)" download="([^"]+)"', html
    )
    assert m, "no download link"
    return m.group(2), base64.b64decode(m.group(1))


def test_city_drafts_a_model_from_a_genre_document(
    client_for: Callable[[str], TestClient], tmp_path: Path, app: FastAPI
) -> None:
    city = client_for("city")
    page = city.get("/policy")
    assert 'id="draft-form"' in page.text
    assert "由政策文件起草模型" in page.text
    r = _post(city, SHIJIAZHUANG.name, SHIJIAZHUANG.read_bytes())
    assert r.status_code == 200, r.text  # type: ignore[attr-defined]
    html: str = r.text  # type: ignore[attr-defined]
    assert "石家庄市人民政府关于促进居民收入增长的实施意见" in html
    assert "措施 2 条" in html
    table = html[html.index('id="draft-measures"') : html.index('id="draft-review"')]
    assert table.count("<tr>") == 3  # header + 2 measures
    assert "市人社局" in table
    review = html[html.index('id="draft-review"') :]
    assert "units.yaml" in review
    assert "meta.yaml" in review
    name, body = _zip_of(html)
    assert name.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(body)) as zf:
        names = zf.namelist()
        assert any(n.endswith("/measures.yaml") for n in names)
        assert any(n.endswith("/review.yaml") for n in names)
        zf.extractall(tmp_path)
    (folder,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    with pytest.raises(PolicyModelError) as exc:
        check_model(folder)
    problems = str(exc.value).splitlines()[1:]
    assert problems
    assert all("待确认" in line for line in problems), problems
    # audited like any write, with the document's name
    state: AppState = app.state.lp
    targets = [e.get("target") for e in state.accounts.audit_log(limit=20)]
    assert f"policy draft {SHIJIAZHUANG.name}" in targets


def test_english_page_and_json_twin(client_for: Callable[[str], TestClient]) -> None:
    dept = client_for("dept")
    r = _post(dept, SHIJIAZHUANG.name, SHIJIAZHUANG.read_bytes(), lang="en")
    assert r.status_code == 200  # type: ignore[attr-defined]
    assert "2 measures" in r.text  # type: ignore[attr-defined]
    api = dept.post(
        "/api/policy/draft",
        headers={"X-CSRF-Token": csrf_of(dept)},
        files={"file": (SHIJIAZHUANG.name, SHIJIAZHUANG.read_bytes(), TEXT)},
    )
    assert api.status_code == 200, api.text
    out = api.json()
    assert out["title"] == "石家庄市人民政府关于促进居民收入增长的实施意见"
    assert out["measures"] == 2
    assert "doc_number" in out
    assert out["review"]
    assert {"file", "path", "what_zh", "quote"} <= set(out["review"][0])


def test_gbk_upload_reads_like_the_parser(client_for: Callable[[str], TestClient]) -> None:
    city = client_for("city")
    body = SHIJIAZHUANG.read_text(encoding="utf-8").encode("gbk")
    r = _post(city, "gbk.txt", body)
    assert r.status_code == 200  # type: ignore[attr-defined]
    assert "市人社局" in r.text  # type: ignore[attr-defined]


@pytest.mark.parametrize("role", ["admin", "taskforce", "dept", "city", "firm"])
def test_who_may_draft(client_for: Callable[[str], TestClient], role: str) -> None:
    client = client_for(role)
    page = client.get("/policy")
    assert page.status_code == 200
    allowed = role != "firm"
    assert ('id="draft-form"' in page.text) == allowed
    r = client.post(
        "/policy/draft",
        data={"csrf_token": form_token(page.text)},
        files={"file": (SHIJIAZHUANG.name, SHIJIAZHUANG.read_bytes(), TEXT)},
    )
    assert r.status_code == (200 if allowed else 403)
    api = client.post(
        "/api/policy/draft",
        headers={"X-CSRF-Token": csrf_of(client)},
        files={"file": (SHIJIAZHUANG.name, SHIJIAZHUANG.read_bytes(), TEXT)},
    )
    assert api.status_code == (200 if allowed else 403)


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("big.txt", "一、".encode() + b"x" * MAX_DOCUMENT_BYTES, "文件超过 2 MB 的上限"),
        ("scan.txt", b"%PDF-1.7\n" + bytes(range(256)) * 40, "不是纯文本文件"),
        ("raw.txt", bytes(range(256)) * 40, "二进制"),
        ("doc.docx", b"PK\x03\x04" + b"\x00" * 100, "请上传 .txt 文本格式的政策文件"),
        ("empty.txt", b"", "文件为空"),
        ("notes.txt", "今天天气很好，我们去公园散步。\n".encode() * 5, "notes.txt 不像政策文件"),
    ],
)
def test_refused_uploads_say_why(
    client_for: Callable[[str], TestClient], name: str, body: bytes, message: str
) -> None:
    city = client_for("city")
    r = _post(city, name, body)
    assert r.status_code == 400, r.text  # type: ignore[attr-defined]
    html: str = r.text  # type: ignore[attr-defined]
    error = re.search(r'id="draft-error">([^<]+)<', html)
    assert error, html[:500]
    assert message in error.group(1)
    assert "lp-draft" not in html  # the server's temporary folder is not disclosed
    assert re.search(r"[\u4e00-\u9fff]", error.group(1).split(" / ")[0])  # Chinese first
    assert 'id="draft-download"' not in html
    api = city.post(
        "/api/policy/draft",
        headers={"X-CSRF-Token": csrf_of(city)},
        files={"file": (name, body, TEXT)},
    )
    assert api.status_code == 400
    assert message in api.json()["detail"]


def test_no_csrf_no_draft(client_for: Callable[[str], TestClient]) -> None:
    city = client_for("city")
    r = city.post("/policy/draft", files={"file": ("a.txt", SHIJIAZHUANG.read_bytes(), TEXT)})
    assert r.status_code == 403
