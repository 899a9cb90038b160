"""Progress of long commands on stderr: a bar per phase when stderr is a terminal, else quiet.

Usage::

    with Progress() as bars:
        with bars.phase("读取并校验", "read and validate"):
            package = read_package(path)

Nothing is drawn (and ``rich`` is not even imported) when stderr is not a terminal,
so pipes, logs and tests see only the command's own messages.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any, TextIO


class Progress:
    """One progress display for a command (``enabled`` default: stderr is a terminal)."""

    def __init__(self, enabled: bool | None = None, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _is_terminal(self.stream) if enabled is None else enabled
        self._bars: Any = None

    def __enter__(self) -> Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as Bars

            console = Console(file=self.stream, force_terminal=True)
            self._bars = Bars(TextColumn("{task.description}"), BarColumn(),
                              TimeElapsedColumn(), console=console, transient=False)
            self._bars.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self._bars is not None:
            self._bars.stop()
            self._bars = None

    @contextmanager
    def phase(self, zh: str, en: str) -> Iterator[None]:
        """One phase of the work (shown as ``zh / en``), done when the block ends."""
        if self._bars is None:
            yield
            return
        task = self._bars.add_task(f"{zh} / {en}", total=None)
        try:
            yield
        finally:
            self._bars.update(task, total=1, completed=1)
            self._bars.refresh()


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if callable(isatty) else False
    except ValueError:  # a closed stream
        return False
