"""The fingerprint of an input: SHA-256 of a file, or of a package folder's files.

One digest everywhere a result records which data it came from (import batches,
ledger runs, reports), so they can be compared.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def package_sha256(path: Path) -> str:
    """SHA-256 of a file; of a folder, over its (non-hidden) files' paths and contents."""
    digest = hashlib.sha256()
    files = [path] if path.is_file() else sorted(
        p for p in path.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts))
    for f in files:
        if f != path:
            digest.update(f.relative_to(path).as_posix().encode() + b"\0")
        with f.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()
