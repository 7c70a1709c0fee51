"""What other slices do with newly imported interactions, without this slice importing them.

A slice above registers a hook at create_app time (Auto QA scores the new interactions); once an
import is committed, its caller runs every hook with the batch id (services.after_import) and
`Batches(each=True)`: each batch of the hook's work reads without the write lock and commits
what it stores, so on SQLite, where one writer holds the whole database, other writers (an
evaluation submitted meanwhile) get in while the hooks work instead of waiting for all of it. A
hook that fails has its unfinished batch rolled back and logged; the import and the batches done
are kept, and the next hook runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from ..bulk import Batches
from ..extensions import db
from ..rules.text import warm

logger = logging.getLogger(__name__)
ImportHook = Callable[[int, Batches], object]
Languages = Callable[[], Iterable[str]]
# Keyed by name, so building the app again (tests) replaces a hook rather than adding it twice.
IMPORT_HOOKS: dict[str, ImportHook] = {}
# What each hook matches word forms in: loaded before a worker takes work (prepare_import_hooks).
HOOK_LANGUAGES: dict[str, Languages] = {}


def register_import_hook(name: str, hook: ImportHook, languages: Languages | None = None) -> None:
    """Call ``hook(batch_id, batches)`` after each committed import that added interactions; the
    hook works in batches as ``batches`` (bulk.Batches) says.

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
    """Run every hook on a committed batch, each committing batch by batch (see above)."""
    for name, hook in IMPORT_HOOKS.items():
        try:
            hook(batch_id, Batches(each=True))
            db.session.commit()
        except Exception:
            db.session.rollback()
            logger.exception("The %s step after import batch %s failed", name, batch_id)
