"""What other slices do with newly imported interactions, without this slice importing them.

A slice above registers a hook at create_app time (Auto QA scores the new interactions); the
import calls every hook with the batch id once its rows are stored. A hook runs in a savepoint:
if it fails, its own writes are rolled back and logged, and the import is kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from ..extensions import db
from ..rules.text import warm

logger = logging.getLogger(__name__)
ImportHook = Callable[[int], object]
Languages = Callable[[], Iterable[str]]
# Keyed by name, so building the app again (tests) replaces a hook rather than adding it twice.
IMPORT_HOOKS: dict[str, ImportHook] = {}
# What each hook matches word forms in: loaded before a worker takes work (prepare_import_hooks).
HOOK_LANGUAGES: dict[str, Languages] = {}


def register_import_hook(name: str, hook: ImportHook, languages: Languages | None = None) -> None:
    """Call ``hook(batch_id)`` after each import that added interactions.

    ``languages`` names the languages whose word forms the hook matches, read from the database.
    """
    IMPORT_HOOKS[name] = hook
    if languages is not None:
        HOOK_LANGUAGES[name] = languages


def prepare_import_hooks() -> list[str]:
    """Load the word-form dictionaries the hooks will need, outside any transaction.

    Loading takes seconds; inside an import's transaction it would hold the database's write
    lock that long. The languages are read first, the transaction ended, then the dictionaries
    are loaded. Returns the languages loaded.
    """
    wanted: set[str] = set()
    for languages in HOOK_LANGUAGES.values():
        wanted.update(languages())
    db.session.rollback()  # ends the read: nothing holds the database while loading
    return warm(wanted)


def run_import_hooks(batch_id: int) -> None:
    """Run every hook on a stored batch; a failing hook is logged and never loses the import."""
    for name, hook in IMPORT_HOOKS.items():
        try:
            with db.session.begin_nested():
                hook(batch_id)
        except Exception:
            logger.exception("The %s step after import batch %s failed", name, batch_id)
