"""Starting a kind of job that runs one at a time from a page: the form, what a page offers, and
what the POST does (the owning slice's route calls `start_from_form`).

The form asks for one optional day (empty: all the stored interactions; a day: those from it on).
While a job of the kind waits or runs, a page offers no form but says so, and a form sent
meanwhile starts nothing (docs/jobs.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import flash, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import DateField
from wtforms.validators import Optional

from ..accounts.models import Role
from ..extensions import db
from ..textinput import BaseForm
from .models import Job, JobKind
from .services import active_job, start_single
from .tasks import enqueue


class SinceForm(BaseForm):
    since = DateField(
        _l("Interactions from"),
        validators=[Optional()],
        description=_l("Empty: every stored interaction; a day: those from that day on (UTC)."),
    )

    def params(self) -> dict[str, str]:
        """The job's params: ``since`` as an ISO day, or nothing for every interaction."""
        return {} if self.since.data is None else {"since": self.since.data.isoformat()}


@dataclass(frozen=True)
class StartOffer:
    """The form, or the job already waiting or running (then no second one is offered)."""

    form: SinceForm
    running: Job | None
    may_follow: bool  # the reader may open the running job's page (its owner, or an admin)


def start_offer(kind: JobKind, starters: Iterable[Role]) -> StartOffer | None:
    """The offer to a user whose role may start the kind; None to everyone else."""
    if not current_user.is_authenticated or current_user.role not in tuple(starters):
        return None
    running = active_job(kind)
    may_follow = running is not None and (
        running.owner_id == current_user.id or current_user.role == Role.ADMIN
    )
    return StartOffer(SinceForm(), running, may_follow)


def start_from_form(kind: JobKind, back: str, busy: str) -> Response:
    """Start a job of the kind from the posted form and open its page; never a second at a time.

    A refused day, or a job already waiting that the user may not open, goes `back` with a
    message (`busy` says that one is under way)."""
    form = SinceForm()
    if not form.validate_on_submit():  # a day that is not a date, or out of range
        for error in form.since.errors:
            flash(str(error), "error")
        return redirect(back)
    job, is_new = start_single(kind, current_user, form.params())
    job_id, task_id, owner_id = job.id, str(job.task_id), job.owner_id
    db.session.commit()
    if is_new:
        enqueue(job_id, task_id)
    else:
        flash(busy, "info")
        if owner_id != current_user.id and current_user.role != Role.ADMIN:
            return redirect(back)
    return redirect(url_for("jobs.detail", job_id=job_id))
