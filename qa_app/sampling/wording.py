"""The sampling pages' sentences: counts of interactions and why an agent fell short."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from ..scoring.sampling import Shortfall


def counted(channel: str | None, n: int) -> str:
    """ "3 calls", "1 chat", "2 interactions" (any channel) in the reader's language."""
    if channel == "call":
        return ngettext("%(num)d call", "%(num)d calls", n)
    if channel == "chat":
        return ngettext("%(num)d chat", "%(num)d chats", n)
    if channel == "email":
        return ngettext("%(num)d email", "%(num)d emails", n)
    return ngettext("%(num)d interaction", "%(num)d interactions", n)


def _none_in_period(channel: str | None) -> str:
    if channel == "call":
        return _("No calls in the period")
    if channel == "chat":
        return _("No chats in the period")
    if channel == "email":
        return _("No emails in the period")
    return _("No interactions in the period")


def _targeted_reason(short: Shortfall) -> str:
    found = ngettext(
        "%(num)d interaction with a signal", "%(num)d interactions with a signal", short.in_period
    )
    if short.in_period == 0:
        return _("By signals: no interactions with a signal in the period")
    if short.drawn == 0:
        return _("By signals: %(counted)s in the period, none still free", counted=found)
    return _(
        "By signals: %(counted)s in the period, only %(drawn)d still free",
        counted=found,
        drawn=short.drawn,
    )


def shortfall_reason(short: Shortfall) -> str:
    """Why an agent got fewer interactions than the quota, as a sentence for the plan page."""
    if short.targeted:
        return _targeted_reason(short)
    if short.in_period == 0:
        return _none_in_period(short.channel)
    found = counted(short.channel, short.in_period)
    if short.drawn == short.in_period:
        return _("Only %(counted)s in the period", counted=found)
    if short.drawn == 0:
        return _("%(counted)s in the period, all already evaluated or assigned", counted=found)
    return _(
        "%(counted)s in the period, only %(drawn)d not yet evaluated or assigned",
        counted=found,
        drawn=short.drawn,
    )
