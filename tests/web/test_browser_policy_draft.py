"""政策 page in Chromium: a city drafts a model from a document and downloads the folder."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import Any

import pytest
from tests.policy_text.genre import genre_dir
from tests.web.test_browser import _live, _login

from laser_policy.web.data import WebData

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("web-browser")]

DOCUMENT = (genre_dir() or Path(".")) / "13_shijiazhuang_shouru.txt"



@pytest.mark.skipif(not DOCUMENT.is_file(), reason="genre corpus not present")
def test_city_drafts_and_downloads_the_model(
    tmp_path_factory: pytest.TempPathFactory,
    package_dir: Path,
    web_data: WebData,
    browser: Any,
    tmp_path: Path,
) -> None:
    shots = Path(os.environ.get("LASER_POLICY_SCREENSHOTS", "out/screenshots"))
    shots.mkdir(parents=True, exist_ok=True)
    with _live(tmp_path_factory.mktemp("live-draft"), package_dir, web_data) as base:
        page = _login(browser, base, "city")
        page.goto(f"{base}/policy")
        page.set_input_files("#draft-file", str(DOCUMENT))
        page.click("#draft-submit")
        page.wait_for_selector("#draft-measures")
        assert page.locator("#draft-measures tbody tr").count() == 2
        assert "市人社局" in page.inner_text("#draft-measures")
        assert page.locator("#draft-review tbody tr").count() > 0
        with page.expect_download() as info:
            page.click("#draft-download")
        download = info.value
        assert download.suggested_filename.endswith(".zip")
        saved = tmp_path / download.suggested_filename
        download.save_as(str(saved))
        with zipfile.ZipFile(saved) as zf:
            assert any(n.endswith("/review.yaml") for n in zf.namelist())
        page.screenshot(path=str(shots / "policy-draft.png"), full_page=True)
        page.close()
