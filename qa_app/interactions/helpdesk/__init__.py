"""Helpdesk exports turned into the import's rows: Zendesk, Freshdesk and Intercom.

A pure sub-package (no Flask, no database): each vendor module reads a JSON document shaped like
that vendor's API answers and gives, per ticket, a row with the import's columns (see
``interactions/validation.py``). The rows are then checked and stored by the same import as CSV
and JSON Lines files. Field mapping per vendor: docs/helpdesk-imports.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from . import freshdesk, intercom, zendesk
from .text import field, objects


@dataclass(frozen=True)
class Vendor:
    items: Callable[[Any], Any]  # the document's list of tickets or conversations
    context: Callable[[Any], Any]  # what rows look up: users, agents, metrics
    row: Callable[[Mapping[str, Any], Any], dict[str, Any]]


VENDORS: dict[str, Vendor] = {
    module.SOURCE: Vendor(module.items, module.context, module.row)
    for module in (zendesk, freshdesk, intercom)
}


def detect(document: Any) -> str | None:
    """Which helpdesk exported this document, by its shape; None when none fits."""
    if not isinstance(document, Mapping):
        return None
    if isinstance(document.get("conversations"), list):
        return intercom.SOURCE
    tickets = objects(document.get("tickets"))
    if not tickets:
        return None
    first = tickets[0]
    if "via" in first or "users" in document or "metric_sets" in document:
        return zendesk.SOURCE
    if "conversations" in first or "agents" in document or isinstance(first.get("source"), int):
        return freshdesk.SOURCE
    return None


def is_row(values: Any) -> bool:
    """A JSON Lines row of the plain import rather than a helpdesk document."""
    return isinstance(values, Mapping) and "external_id" in values


__all__ = ["VENDORS", "Vendor", "detect", "field", "is_row"]
