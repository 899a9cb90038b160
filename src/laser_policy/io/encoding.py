"""Decide, from the first bytes only, whether a CSV file is text we can read.

Only UTF-8 (with or without the BOM Excel and WPS write) is accepted. A GBK/GB18030
file, as older WPS and Excel save "CSV", is refused with a message telling the user
to save it as "CSV UTF-8": guessing an encoding can silently garble names, and the
contract says UTF-8. Binary files (a renamed workbook, random bytes) are refused
after reading ``SNIFF_BYTES``, however large the file is.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

#: bytes read to decide the encoding
SNIFF_BYTES = 64 * 1024
#: share of control bytes (other than tab, CR, LF, FF) above which a file is binary
BINARY_CONTROL_SHARE = 0.01
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
UTF8_BOM = codecs.BOM_UTF8


@dataclass(frozen=True)
class Sniffed:
    """``encoding`` to read with, or the ``rule`` that refuses the file (and a detail)."""

    encoding: str | None
    rule: str | None = None
    detail: str = ""


def sniff_csv(path: Path) -> Sniffed:
    """Look at the first bytes of ``path`` and name its encoding or what is wrong.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> (d / "a.csv").write_bytes("名称\\n甲".encode("gbk")) and sniff_csv(d / "a.csv").rule
    'file.encoding_gbk'
    >>> (d / "b.csv").write_bytes(UTF8_BOM + "名称\\n甲".encode()) and sniff_csv(d / "b.csv")
    Sniffed(encoding='utf-8-sig', rule=None, detail='')
    """
    size = path.stat().st_size
    if size == 0:
        return Sniffed(None, "file.empty")
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    complete = size <= SNIFF_BYTES
    if head.startswith(b"PK\x03\x04"):
        return Sniffed(None, "file.zip_as_csv")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Sniffed(None, "file.encoding", "UTF-16")
    encoding = "utf-8"
    if head.startswith(UTF8_BOM):
        head, encoding = head[len(UTF8_BOM):], "utf-8-sig"
    if b"\x00" in head or _control_share(head) > BINARY_CONTROL_SHARE:
        return Sniffed(None, "file.binary")
    if _decodes(head, "utf-8", complete):
        return Sniffed(encoding)
    if _decodes(head, "gb18030", complete):
        return Sniffed(None, "file.encoding_gbk")
    return Sniffed(None, "file.binary")


def _control_share(data: bytes) -> float:
    if not data:
        return 0.0
    return (len(data) - len(data.translate(None, _CONTROL))) / len(data)


def _decodes(data: bytes, encoding: str, complete: bool) -> bool:
    """True when ``data`` decodes; a character cut at the end of a sample is fine."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        decoder.decode(data, final=complete)
    except UnicodeDecodeError:
        return False
    return True
