"""``laser-policy db backup`` / ``db restore``: a consistent copy of the store and back.

A backup is a folder: ``manifest.json`` (backend, schema revision, time), the database
(``database.sqlite`` made with SQLite's online backup API, or ``database.dump`` from
``pg_dump --format=custom``) and ``bulk/``, a copy of the transactions' Parquet folder
when the database has one. ``restore`` refuses a target that already holds data unless
``force`` is given; on PostgreSQL it runs ``pg_restore --clean --if-exists`` in one
transaction, so a failed restore leaves the target as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from laser_policy.errors import InputError, UsageError
from laser_policy.settings import database_url
from laser_policy.store.bulk import bulk_root
from laser_policy.store.db import current_revision

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite"
PG_FILE = "database.dump"
BULK = "bulk"


@dataclass(frozen=True)
class BackupInfo:
    backend: str
    revision: str | None
    created: str
    bulk: bool


def _libpq(url: URL) -> str:
    """The SQLAlchemy URL as a libpq connection string (no driver name)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise UsageError(f"找不到 {name}：请安装 postgresql-client（apt-get install "
                         f"postgresql-client） / {name} not found: install postgresql-client")
    return path


def _run(cmd: list[str]) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise InputError(f"{Path(cmd[0]).name} 失败 / failed: {done.stderr.strip()[-500:]}")


def backup(url: str | None, out: Path) -> BackupInfo:
    """Write a backup of the database at ``url`` into the new folder ``out``."""
    full = database_url(url)
    parsed = make_url(full)
    if out.exists() and any(out.iterdir()):
        raise UsageError(f"备份目录已存在且非空，未作修改：{out} / the backup folder exists and "
                         f"is not empty, nothing written: {out}")
    out.mkdir(parents=True, exist_ok=True)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if not parsed.database or not Path(parsed.database).is_file():
            raise InputError(f"SQLite 数据库不存在 / no such SQLite database: {parsed.database}")
        src = sqlite3.connect(parsed.database)
        dst = sqlite3.connect(out / SQLITE_FILE)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
    elif backend == "postgresql":
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={out / PG_FILE}",
              f"--dbname={_libpq(parsed)}"])
    else:
        raise UsageError(f"不支持备份此数据库 / cannot back up a {backend} database")
    root = bulk_root(full)
    has_bulk = root is not None and root.is_dir()
    if has_bulk and root is not None:
        shutil.copytree(root, out / BULK, ignore=shutil.ignore_patterns(".*.lock"))
    info = BackupInfo(backend, current_revision(full),
                      dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), has_bulk)
    (out / MANIFEST).write_text(json.dumps(info.__dict__, ensure_ascii=False, indent=2),
                                encoding="utf-8")
    return info


def _holds_data(url: str) -> bool:
    engine = sa.create_engine(url)
    try:
        return bool(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def restore(folder: Path, url: str | None, *, force: bool = False) -> BackupInfo:
    """Restore the backup in ``folder`` into the database at ``url``."""
    full = database_url(url)
    parsed = make_url(full)
    try:
        info = BackupInfo(**json.loads((folder / MANIFEST).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError) as exc:
        raise InputError(f"{folder / MANIFEST}：不是本工具的备份 / not a laser-policy backup "
                         f"({exc})") from exc
    backend = parsed.get_backend_name()
    if backend != info.backend:
        raise UsageError(f"备份来自 {info.backend}，不能恢复到 {backend} / the backup is of a "
                         f"{info.backend} database, the target is {backend}")
    if not force and _holds_data(full):
        raise UsageError("目标数据库已有数据，未作修改（加 --force 覆盖） / the target database "
                         "already holds data, nothing changed (pass --force to replace it)")
    if backend == "sqlite":
        if not parsed.database:
            raise UsageError("需要 SQLite 文件路径 / a SQLite file path is needed")
        src = sqlite3.connect(folder / SQLITE_FILE)
        dst = sqlite3.connect(parsed.database)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
    else:
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
              f"--dbname={_libpq(parsed)}", str(folder / PG_FILE)])
    root = bulk_root(full)
    if info.bulk and root is not None:
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(folder / BULK, root)
    return info
