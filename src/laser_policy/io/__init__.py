"""Reading and writing data packages (CSV folder, xlsx workbook, Parquet folder)."""

from laser_policy.io.package import Package, read_package

__all__ = ["Package", "read_package"]
