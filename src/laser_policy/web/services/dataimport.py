"""数据 Data: upload a data package, validate it, import it all or nothing.

An upload is a ``.xlsx`` workbook (one sheet per table) or a ``.zip`` of CSV /
Parquet files. It is written to a private temporary folder, validated with
``laser_policy.io.read_package`` (every problem at once), and only when clean
imported with the store's ``import_package`` (one transaction). Nothing is
written to the database when validation fails.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

import sqlalchemy as sa

from laser_policy.errors import DataValidationError, InputError, Problem
from laser_policy.io.limits import BudgetExceededError, ReadLimits, copy_within, env_name

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
SUFFIXES = (".xlsx", ".zip")


def problem_row(p: Problem) -> dict[str, Any]:
    value = p.value
    if value is not None and not isinstance(value, str | int | float | bool):
        value = str(value)
    return {
        "file": p.file,
        "row": p.row,
        "column": p.column,
        "value": value,
        "rule": p.rule,
        "message_zh": p.message_zh,
        "message_en": p.message_en,
    }


def _too_large(limits: ReadLimits) -> InputError:
    return InputError(
        f"压缩包解压后超过{limits.max_unzipped_bytes:,}字节的上限（可用环境变量"
        f"{env_name('max_unzipped_bytes')}调整） / the archive is over the limit of "
        f"{limits.max_unzipped_bytes:,} bytes once unzipped (set "
        f"{env_name('max_unzipped_bytes')} to change it)"
    )


def _safe_extract(archive: Path, into: Path, limits: ReadLimits | None = None) -> Path:
    """Unzip with no path escaping ``into`` and a byte budget; returns the package folder.

    The sizes the archive declares are only a first, cheap refusal: every member is
    unpacked in chunks and the bytes that actually come out are counted against the
    budget, so a header that under-states a member cannot unpack more than the budget
    (and never more than one chunk is held in memory).
    """
    limits = limits or ReadLimits.from_env()
    budget = limits.max_unzipped_bytes
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
            if len(infos) > limits.max_zip_entries:
                raise InputError(
                    f"压缩包内文件过多（{len(infos)}个，上限{limits.max_zip_entries}个） / too "
                    f"many files in the archive ({len(infos)}, limit {limits.max_zip_entries})"
                )
            if sum(i.file_size for i in infos) > budget:
                raise _too_large(limits)
            for info in infos:
                parts = PurePosixPath(info.filename).parts
                if info.filename.startswith("/") or ".." in parts or not parts:
                    raise InputError(
                        f"压缩包含非法路径 / unsafe path in the archive: {info.filename}"
                    )
                if parts[0] == "__MACOSX" or parts[-1].startswith("."):
                    continue
                target = into.joinpath(*parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, target.open("wb") as out:
                    budget -= copy_within(src, out, budget)
    except BudgetExceededError as exc:
        raise _too_large(limits) from exc
    except zipfile.BadZipFile as exc:
        raise InputError(f"无法读取压缩包 / not a readable .zip: {exc}") from exc
    entries = list(into.iterdir())
    # a zip holding one folder: the package is that folder
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return into


def stage(filename: str, body: bytes, folder: Path) -> Path:
    """Write the upload under ``folder``; the path ``read_package`` should read."""
    suffix = Path(filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(
            f"请上传 .xlsx 工作簿或 CSV 的 .zip 压缩包 / upload an .xlsx workbook "
            f"or a .zip of CSV files: {filename}"
        )
    if len(body) > MAX_UPLOAD_BYTES:
        raise InputError(f"文件超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB / file too large")
    if not body:
        raise InputError("上传的文件为空 / the file is empty")
    if suffix == ".xlsx":
        # the user's own file name, so the report names it (no directories, no odd characters)
        stem = "".join(c for c in Path(filename).stem if c.isalnum() or c in "-_（）()")
        path = folder / f"{stem or 'package'}.xlsx"
        path.write_bytes(body)
        return path
    archive = folder / "upload.zip"
    archive.write_bytes(body)
    unpacked = folder / "package"
    unpacked.mkdir()
    return _safe_extract(archive, unpacked)


def _public(value: Any, tmp: str, filename: str) -> Any:
    """``value`` with the server's staging folder (and any path below it) replaced by the
    uploaded file's name: users never see the server's temporary paths.

    >>> _public("来源 source: /tmp/lp-upload-x1/package  SHA", "/tmp/lp-upload-x1", "a.zip")
    '来源 source: a.zip  SHA'
    """
    if isinstance(value, str):
        return re.sub(re.escape(tmp) + r"[^\s，。；;）)'\"]*", lambda _m: filename, value)
    if isinstance(value, dict):
        return {k: _public(v, tmp, filename) for k, v in value.items()}
    if isinstance(value, list):
        return [_public(v, tmp, filename) for v in value]
    return value


def upload(filename: str, body: bytes, url: str, user: str) -> dict[str, Any]:
    """Validate, then import; ``{"ok", "problems", "summary", "counts", "batch_id"}``.
    Nothing returned names the server's temporary folder."""
    with tempfile.TemporaryDirectory(prefix="lp-upload-") as tmp:
        out: Any = _upload(filename, body, url, user, Path(tmp))
        for folder in sorted({tmp, str(Path(tmp).resolve())}, key=len, reverse=True):
            out = _public(out, folder, filename)
        return dict(out)


def _refused(filename: str, exc: DataValidationError) -> dict[str, Any]:
    return {"ok": False, "file": filename, "problems": [problem_row(p) for p in exc.problems],
            "summary": "", "counts": {}, "batch_id": None}


def _upload(filename: str, body: bytes, url: str, user: str, tmp: Path) -> dict[str, Any]:
    from laser_policy.io import read_package
    from laser_policy.store.importer import import_package

    path = stage(filename, body, tmp)
    try:
        warnings = read_package(path).warnings
    except DataValidationError as exc:
        return _refused(filename, exc)
    try:
        result = import_package(path, url, user=user)
    except DataValidationError as exc:  # found by the importer (e.g. database references)
        return _refused(filename, exc)
    return {
        "ok": True,
        "file": filename,
        "problems": [],
        "warnings": [problem_row(w) for w in warnings],
        "summary": "\n".join([result.summary_zh(), *(f"警告 / warning: {w.format()}"
                                                      for w in warnings)]),
        "counts": {name: c.as_dict() for name, c in result.counts.items()},
        "batch_id": result.batch_id,
    }


def row_counts(url: str) -> dict[str, int]:
    """Rows in each of the store's data tables (0 for an absent table)."""
    from laser_policy.store.models import DATA_TABLES
    from laser_policy.web.data import shared_engine

    out: dict[str, int] = {}
    with shared_engine(url).connect() as conn:
        for name, table in DATA_TABLES.items():
            try:
                out[name] = int(
                    conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                )
            except sa.exc.SQLAlchemyError:
                conn.rollback()
                out[name] = 0
    return out


def template_bytes() -> bytes:
    from laser_policy.io.template import write_template

    with tempfile.TemporaryDirectory() as tmp:
        return write_template(Path(tmp) / "template.xlsx").read_bytes()
