"""Caps on what reading a data package may cost: rows per table and bytes once unpacked.

Every cap is checked while the data streams in, never from sizes a file declares
(a zip or workbook header can under-state them): CSV stops after ``max_rows + 1``
rows, Parquet counts the rows of its batches as they decode, a workbook's XML is
decompressed in 1 MiB chunks against its byte budget before it is parsed, and an
uploaded ``.zip`` is unpacked chunk by chunk against its budget.

=================================  ==========================================  =============
environment variable               what                                        default
=================================  ==========================================  =============
``LASER_POLICY_MAX_ROWS``          data rows of one table (CSV, Parquet,       50,000,000
                                   sheet; an Excel sheet holds 1,048,575)
``LASER_POLICY_MAX_BULK_ROWS``     rows of a bulk table held as Parquet        2,000,000,000
                                   (transactions; DuckDB streams them)
``LASER_POLICY_MAX_FILE_BYTES``    bytes of one CSV or Parquet file            8 GiB
``LASER_POLICY_MAX_XLSX_BYTES``    bytes of a workbook once unpacked (XML)     100 MiB
``LASER_POLICY_MAX_UNZIPPED_BYTES`` bytes of an uploaded .zip once unpacked    500 MiB
``LASER_POLICY_MAX_ZIP_ENTRIES``   files in an uploaded .zip                   1,000
=================================  ==========================================  =============
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import IO

from laser_policy.errors import InputError

MIB = 1024 * 1024
#: bytes read (decompressed) at a time while streaming against a budget
CHUNK_BYTES = MIB


@dataclass(frozen=True)
class ReadLimits:
    """The caps in force; ``ReadLimits.from_env()`` reads the ``LASER_POLICY_MAX_*`` variables."""

    max_rows: int = 50_000_000
    max_bulk_rows: int = 2_000_000_000
    max_file_bytes: int = 8 * 1024 * MIB
    max_xlsx_bytes: int = 100 * MIB
    max_unzipped_bytes: int = 500 * MIB
    max_zip_entries: int = 1_000

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ReadLimits:
        env = os.environ if environ is None else environ
        values: dict[str, int] = {}
        for f in fields(cls):
            name = env_name(f.name)
            raw = env.get(name, "").strip().replace("_", "")
            if not raw:
                continue
            try:
                values[f.name] = int(raw)
            except ValueError:
                raise InputError(f"{name} 应为正整数（现为 {raw!r}） / {name} must be a positive "
                                 f"integer, got {raw!r}") from None
            if values[f.name] <= 0:
                raise InputError(f"{name} 应为正整数 / {name} must be a positive integer")
        return cls(**values)


def env_name(field_name: str) -> str:
    """``max_rows`` -> ``LASER_POLICY_MAX_ROWS``."""
    return "LASER_POLICY_" + field_name.upper()


class BudgetExceededError(Exception):
    """Raised by ``copy_within`` when the stream holds more than its budget."""


def copy_within(src: IO[bytes], dst: IO[bytes] | None, budget: int) -> int:
    """Copy ``src`` to ``dst`` (or just drain it) in chunks; the bytes copied. Raises
    ``BudgetExceededError`` as soon as more than ``budget`` bytes came out, whatever ``src``
    declared: at most one chunk beyond the budget is ever held."""
    total = 0
    while chunk := src.read(CHUNK_BYTES):
        total += len(chunk)
        if total > budget:
            raise BudgetExceededError(total)
        if dst is not None:
            dst.write(chunk)
    return total
