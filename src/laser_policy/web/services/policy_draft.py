"""政策 Policy: a model folder drafted from an uploaded document (a city drafting its own).

The upload (a ``.txt`` policy document in any encoding the parser reads) is decoded
with the parser's own ``decode_document`` first, so a binary or empty file is refused
before anything else; then ``laser_policy.policy.draft.draft_model`` writes the folder
in a private temporary directory, which is read back (measures, review items) and
zipped in memory. The temporary directory is removed on return: nothing is stored.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import yaml

from laser_policy.errors import InputError
from laser_policy.policy.draft import REVIEW, draft_model
from laser_policy.policy.text import decode_document

MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
SUFFIXES = (".txt",)
#: the review entries' fields shown on the page and in the JSON
REVIEW_FIELDS = ("file", "path", "what_zh", "what_en", "quote", "clause")


def _safe_stem(filename: str) -> str:
    stem = "".join(c for c in Path(filename).stem if c.isalnum() or c in "-_（）()")
    return stem[:80] or "document"


def check_upload(filename: str, body: bytes) -> None:
    """Refuse what is not a ``.txt`` document of at most ``MAX_DOCUMENT_BYTES``."""
    if Path(filename).suffix.lower() not in SUFFIXES:
        raise InputError(
            f"请上传 .txt 文本格式的政策文件（UTF-8、GBK 或 Big5 编码）：{filename} / "
            f"upload the policy document as a .txt file (UTF-8, GBK or Big5): {filename}"
        )
    if len(body) > MAX_DOCUMENT_BYTES:
        mb = MAX_DOCUMENT_BYTES // (1024 * 1024)
        raise InputError(
            f"文件超过 {mb} MB 的上限：{filename} / the file is over the {mb} MB limit: {filename}"
        )
    decode_document(body, filename)  # empty, binary or undecodable: DocumentError


def _zip(folder: Path, root: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, f"{root}/{path.relative_to(folder).as_posix()}")
    return buffer.getvalue()


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def draft_upload(filename: str, body: bytes) -> dict[str, Any]:
    """Draft a model from the uploaded document.

    ``{"file", "doc_number", "title", "measures": [...], "review": [...], "zip_name",
    "zip": bytes}``; ``InputError`` (Chinese first) when the upload is refused or the
    text holds no measure.
    """
    check_upload(filename, body)
    stem = _safe_stem(filename)
    with tempfile.TemporaryDirectory(prefix="lp-draft-") as tmp:
        source = Path(tmp) / f"{stem}.txt"
        source.write_bytes(body)
        out = Path(tmp) / "model"
        try:
            summary = draft_model(source, out)
        except InputError as exc:  # it names the private copy: name the user's file instead
            raise type(exc)(str(exc).replace(str(source), filename)) from None
        if summary.measures == 0:
            raise InputError(
                f"{filename} 中未找到任何政策措施，无法起草模型（是否为政策文件？） / "
                f"no measure found in {filename}: nothing to draft (is it a policy document?)"
            )
        meta = _load(out / "meta.yaml")
        measures = _load(out / "measures.yaml")["measures"]
        review = _load(out / REVIEW)["items"]
        archive = _zip(out, f"{stem}-model")
    return {
        "file": filename,
        "doc_number": meta["doc_number"],
        "title": meta["title"],
        "measures": [
            {
                "number": m["number"],
                "title": m["title"],
                "lead_units": list(m["lead_units"]),
                "responsible_units": list(m["responsible_units"]),
            }
            for m in measures
        ],
        "review": [{k: item.get(k) for k in REVIEW_FIELDS} for item in review],
        "zip_name": re.sub(r"\s+", "_", f"{stem}-model.zip"),
        "zip": archive,
    }
