"""The rule playground's form: a scorecard version and a pasted transcript or a stored interaction.

A pasted transcript has one turn per line, ``[mm:ss] Agent: text`` or ``Customer: text``; the
time is optional (``hh:mm:ss`` too) and a line without a speaker continues the turn before it
(docs/autoqa.md, "Trying rules").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    Field,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from ..interactions.models import Channel, Interaction
from ..scorecards.models import ScorecardVersion
from ..textinput import BaseForm
from ..ui.labels import label

MAX_TRANSCRIPT_CHARS = 20_000
PASTE, STORED = "paste", "stored"
SHOWN_LINE_PROBLEMS = 5
_SPEAKERS = {"agent": "Agent", "customer": "Customer"}
_TURN = re.compile(r"\s*(?:\[(?P<at>[^\]]*)\]\s*)?(?:(?P<speaker>agent|customer)\s*:)?", re.I)
_TIME = re.compile(r"\d{1,3}:[0-5]\d(?::[0-5]\d)?")


def _line_problem(number: int, at: str | None, speaker: str | None, first: bool) -> str | None:
    timed = at is not None and _TIME.fullmatch(at.strip()) is not None
    if at is not None and not timed and speaker is not None:
        return _(
            "line %(line)d: “%(time)s” is not a time (mm:ss or hh:mm:ss)", line=number, time=at
        )
    if timed and speaker is None:
        return _("line %(line)d: a time must be followed by Agent: or Customer:", line=number)
    if first and speaker is None:
        return _("line %(line)d: the first turn must start with Agent: or Customer:", line=number)
    return None


def parse_transcript(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The turns of a pasted transcript, as stored interactions hold them, and its problems."""
    turns: list[dict[str, Any]] = []
    problems: list[str] = []
    starts: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        found = _TURN.match(line)
        assert found is not None  # every part of the pattern is optional
        at, speaker = found["at"], found["speaker"]
        problem = _line_problem(number, at, speaker, not turns and not problems)
        if problem:
            problems.append(problem)
        elif speaker is None and turns:
            turns[-1]["text"] = f"{turns[-1]['text']}\n{line.strip()}".strip()
        elif speaker is None:
            continue  # it continues a line that was refused, and named, above
        else:
            turn = {"speaker": _SPEAKERS[speaker.lower()], "text": line[found.end() :].strip()}
            turns.append(turn | ({"at": at.strip()} if at else {}))
            starts.append(number)
    for number, turn in zip(starts, turns, strict=True):
        if not turn["text"]:
            problems.append(_("line %(line)d: the turn has no text", line=number))
    return turns, problems


def _summed(problems: Sequence[str]) -> list[str]:
    shown = list(problems[:SHOWN_LINE_PROBLEMS])
    if len(problems) > SHOWN_LINE_PROBLEMS:
        shown.append(_("and %(num)d more", num=len(problems) - SHOWN_LINE_PROBLEMS))
    return shown


def _option(version: ScorecardVersion) -> str:
    """The scorecard's name too: a closed list shows the option alone, without its group."""
    return f"{version.name} v{version.version} ({label(version.status)})"


def _grouped(versions: Sequence[ScorecardVersion]) -> list[SelectChoice]:
    """One option group per scorecard, named as its newest version (listed first) is."""
    names: dict[int, str] = {}
    for version in versions:
        names.setdefault(version.scorecard_id, version.name)
    ordered = sorted(versions, key=lambda v: (names[v.scorecard_id].casefold(), -v.version))
    return [SelectChoice(str(v.id), _option(v), optgroup=names[v.scorecard_id]) for v in ordered]


class PlaygroundForm(BaseForm):
    version = SelectField(_l("Scorecard version"), validate_choice=False)
    source = RadioField(_l("Try the rules on"), default=PASTE)
    interaction = StringField(_l("Interaction id or external id"), validators=[Length(max=200)])
    transcript = TextAreaField(
        _l("Transcript"),
        validators=[Length(max=MAX_TRANSCRIPT_CHARS)],
        description=_l("One turn per line: [mm:ss] Agent: text, or Customer: text."),
    )
    channel = SelectField(_l("Channel"), default=Channel.CHAT.value)
    language = StringField(_l("Language"), default="en", validators=[Length(max=35)])
    handle_seconds = IntegerField(
        _l("Handle time (seconds)"), validators=[Optional(), NumberRange(0, 10_000_000)]
    )
    csat = IntegerField("CSAT", validators=[Optional(), NumberRange(1, 5)])
    nps = IntegerField("NPS", validators=[Optional(), NumberRange(0, 10)])
    ces = IntegerField("CES", validators=[Optional(), NumberRange(1, 7)])
    first_contact_resolved = SelectField(_l("Resolved at first contact"), default="")

    def __init__(self, versions: Sequence[ScorecardVersion], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.versions = {str(v.id): v for v in versions}
        self.version.choices = _grouped(versions)
        self.source.choices = [
            SelectChoice(PASTE, _("a pasted transcript")),
            SelectChoice(STORED, _("a stored interaction")),
        ]
        self.channel.choices = [SelectChoice(c.value, label(c)) for c in Channel]
        self.first_contact_resolved.choices = [
            SelectChoice("", _("Not known")),
            SelectChoice("yes", _("Yes")),
            SelectChoice("no", _("No")),
        ]
        self.turns: list[dict[str, Any]] = []

    def preselect(self, version_id: str | None) -> None:
        """Start with the version a link names; one that is not in the list is said so."""
        if version_id is not None:
            self.version.data = version_id
            if version_id not in self.versions:
                self.version.errors = [_("This scorecard version was not found.")]

    @property
    def chosen_version(self) -> ScorecardVersion:
        return self.versions[self.version.data]

    def validate_version(self, field: Field) -> None:
        if field.data not in self.versions:
            raise ValidationError(_("Pick a scorecard version from the list."))

    def validate_interaction(self, field: Field) -> None:
        if self.source.data == STORED and not (field.data or "").strip():
            raise ValidationError(_("Give the id or the external id of an interaction."))

    def validate_transcript(self, field: Field) -> None:
        if self.source.data != PASTE or field.errors:
            return
        if not (field.data or "").strip():
            raise ValidationError(_("Paste a transcript."))
        self.turns, problems = parse_transcript(field.data)
        field.errors.extend(_summed(problems))

    def pasted(self) -> Interaction | None:
        """The pasted transcript as an interaction that is never stored (None: a stored one)."""
        if self.source.data != PASTE:
            return None
        resolved = {"yes": True, "no": False}.get(self.first_contact_resolved.data or "")
        return Interaction(
            channel=Channel(self.channel.data),
            occurred_at=datetime.now(UTC),
            language=(self.language.data or "").strip() or None,
            transcript_turns=self.turns,
            handle_seconds=self.handle_seconds.data,
            csat=self.csat.data,
            nps=self.nps.data,
            ces=self.ces.data,
            first_contact_resolved=resolved,
        )
