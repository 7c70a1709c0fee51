"""What other slices do with newly imported interactions, without this slice importing them.

A slice above registers a hook at create_app time (Auto QA scores the new interactions); the
import calls every hook with the batch id once its rows are stored. A hook runs in a savepoint:
if it fails, its own writes are rolled back and logged, and the import is kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from ..extensions import db

logger = logging.getLogger(__name__)
ImportHook = Callable[[int], object]
# Keyed by name, so building the app again (tests) replaces a hook rather than adding it twice.
IMPORT_HOOKS: dict[str, ImportHook] = {}


def register_import_hook(name: str, hook: ImportHook) -> None:
    """Call ``hook(batch_id)`` after each import that added interactions."""
    IMPORT_HOOKS[name] = hook


def run_import_hooks(batch_id: int) -> None:
    """Run every hook on a stored batch; a failing hook is logged and never loses the import."""
    for name, hook in IMPORT_HOOKS.items():
        try:
            with db.session.begin_nested():
                hook(batch_id)
        except Exception:
            logger.exception("The %s step after import batch %s failed", name, batch_id)
