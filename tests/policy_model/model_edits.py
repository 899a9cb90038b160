"""Editing a copy of the packaged model for the broken-model tests."""

from __future__ import annotations

from pathlib import Path


def edit(folder: Path, file: str, old: str, new: str, *, after: str = "") -> None:
    """Replace the first ``old`` that follows ``after`` in ``file`` (which must contain both)."""
    path = folder / file
    text = path.read_text(encoding="utf-8")
    start = text.index(after) if after else 0
    at = text.index(old, start)
    path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
