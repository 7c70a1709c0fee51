"""Whether the writer may take its fast path through two of openpyxl's private names.

The fast path (cells.py) replaces `WriteOnlyWorksheet._values_to_row` on the writer's own sheets
and refills cells through `Cell._value`. Private names can change in any release, so the fast path
runs only on the openpyxl versions the tests cover, the range pyproject.toml allows; anywhere else
the writer falls back to openpyxl's public `append` and `cell.value`: slower, the same workbook.
See docs/excel-reports.md.
"""

from __future__ import annotations

import re
from importlib import import_module

import openpyxl
from openpyxl.cell.cell import Cell

TESTED_FROM = (3, 1)  # the first openpyxl version the fast path is tested with
TESTED_BEFORE = (3, 2)  # the first version it is not


def _version(text: str) -> tuple[int, int] | None:
    found = re.match(r"(\d+)\.(\d+)", text)
    return (int(found.group(1)), int(found.group(2))) if found else None


def _private_names_present() -> bool:
    """The private module, method and slot the fast path uses are all where it expects them."""
    try:
        write_only = import_module("openpyxl.worksheet._write_only")
    except ImportError:
        return False
    sheet = getattr(write_only, "WriteOnlyWorksheet", None)
    return callable(getattr(sheet, "_values_to_row", None)) and "_value" in Cell.__slots__


def supported(version: str | None = None) -> bool:
    """True when this openpyxl (or the given version) is in the tested range and fits the path."""
    found = _version(openpyxl.__version__ if version is None else version)
    in_range = found is not None and TESTED_FROM <= found < TESTED_BEFORE
    return in_range and _private_names_present()


# Read by the writer for each workbook; tests switch it off to check the fallback.
ENABLED = supported()
