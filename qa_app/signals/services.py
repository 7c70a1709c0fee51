"""Computing and storing interaction signals, and the escalation phrase lists admins edit.

``compute_many`` reads the facts of a batch of interactions with a few queries (queries.py),
runs the pure detection (``signal_rules``) and replaces the batch's stored signals: computing
again never duplicates. Services flush; the caller commits (docs/spotlight.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa

from ..accounts.models import User
from ..autoqa.convert import stored_rows, to_engine
from ..bulk import ONE_TRANSACTION, Batches, DriverInsert, among
from ..database import utcnow
from ..extensions import db
from ..interactions.models import Interaction, InteractionSignal, SignalKind
from ..signal_rules import EscalationPhrases, Facts, compile_escalation, detect
from ..signal_rules.escalation import DEFAULT_PHRASES
from . import queries
from .models import EscalationPhraseList

BATCH_SIZE = 500
Progress = Callable[[int], object]


def phrase_lists() -> dict[str, list[str]]:
    """Each language's escalation phrases: the shipped list unless an admin edited it."""
    lists = {language: list(phrases) for language, phrases in DEFAULT_PHRASES.items()}
    for row in db.session.scalars(sa.select(EscalationPhraseList)):
        lists[row.language] = list(row.phrases)
    return dict(sorted(lists.items()))


def edited_languages() -> set[str]:
    return set(db.session.scalars(sa.select(EscalationPhraseList.language)))


def save_phrase_list(language: str, phrases: list[str], by: User) -> None:
    """Store one language's list (already checked by the form), replacing the shipped one."""
    row = db.session.scalar(
        sa.select(EscalationPhraseList).where(EscalationPhraseList.language == language)
    )
    if row is None:
        row = EscalationPhraseList(language=language)
        db.session.add(row)
    row.phrases = phrases
    row.updated_by_id = by.id
    db.session.flush()


def escalation_phrases() -> EscalationPhrases:
    """The lists compiled for matching; a list stored before a stricter check is skipped."""
    compiled, _ = compile_escalation(phrase_lists())
    return compiled


# A stored signal, in the order each batch sends it to the driver (bulk.DriverInsert: the
# ORM's bulk INSERT spent more on each row than the database did). The driver applies no
# default, so `computed_at` is given: the batch's time.
SIGNAL_KEYS = ("interaction_id", "kind", "figure", "detail", "computed_at")


def _detected(
    batch: Sequence[sa.Row[Any]], phrases: EscalationPhrases, window: queries.HandleWindow
) -> list[tuple[int, SignalKind, Any, Any]]:
    """The signals of a batch of interactions, as (interaction, kind, figure, detail) rows."""
    ids = [i.id for i in batch]
    auto = queries.auto_facts(ids)
    handle = queries.handle_baselines(batch, window)
    contacts = queries.previous_contacts(batch)
    earlier = queries.earlier_evaluations(batch)
    rows = []
    for interaction in batch:
        facts = Facts(
            to_engine(interaction),
            auto=auto.get(interaction.id),
            baseline=handle.get(interaction.id),
            previous_contact=contacts.get(interaction.id),
            earlier=earlier.get(interaction.id, ()),
        )
        for signal in detect(facts, phrases):
            # no detail is SQL NULL (None is passed to the driver as it is), not JSON 'null'
            detail = dict(signal.detail) if signal.detail else None
            rows.append((interaction.id, SignalKind(signal.kind.value), signal.figure, detail))
    return rows


def _store(ids: list[int], found: list[tuple[int, SignalKind, Any, Any]]) -> int:
    """Replace the stored signals of these interactions with those found."""
    stale = sa.delete(InteractionSignal).where(among(InteractionSignal.interaction_id, ids))
    db.session.execute(stale, execution_options={"synchronize_session": False})
    if found:
        insert = DriverInsert(db.session.connection(), InteractionSignal.__table__, SIGNAL_KEYS)
        now = utcnow()
        insert.send([insert.row((*row, now)) for row in found])
    return len(found)


def compute_many(
    ids: Sequence[int], progress: Progress | None = None, batches: Batches = ONE_TRANSACTION
) -> int:
    """Compute and store the signals of these interactions in batches; returns how many.

    ``batches`` says how the batches use transactions (bulk.Batches)."""
    phrases, stored = escalation_phrases(), 0
    window = queries.HandleWindow()  # the handle times and baselines, for the whole run
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = list(ids[start : start + BATCH_SIZE])
        with batches.read():
            batch = stored_rows(chunk, Interaction.agent_id, Interaction.customer_ref)
            found = _detected(batch, phrases, window)
        stored += _store(chunk, found)
        batches.stored()
        if progress is not None:
            progress(start + len(chunk))
    db.session.flush()
    return stored


def compute_import(batch_id: int, batches: Batches = ONE_TRANSACTION) -> int:
    """Compute the signals of an import batch's interactions (the import hook, after Auto QA)."""
    stmt = sa.select(Interaction.id).where(Interaction.import_batch_id == batch_id)
    return compute_many(list(db.session.scalars(stmt.order_by(Interaction.id))), batches=batches)
