"""The top bar's menu and bell, rendered once per process for each thing they can show.

Every page of a signed-in user draws the same bar: a dozen entries, their counts, the reader's
name and the bell. Rendering it took about a millisecond of every request, more than a kept
result page's own work. What the bar shows is decided by a short list of values: the reader's
language, role and name, the menu's counts (the bell's unread count among them), the current
entry and the mount point. The markup is kept under exactly those values, in memory (cachelib's
SimpleCache, one per app); the session's CSRF token for the sign-out form is put in after,
so nothing of one session is ever kept. Templates reloaded while developing are never kept.
"""

from __future__ import annotations

import secrets

from cachelib import SimpleCache
from flask import Flask, current_app, render_template, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from ..i18n import current_locale
from .navigation import build_menu, current_entry, menu_counts, visible_entries

KEPT = "site_headers"
# In the kept markup where the session's CSRF token goes: random per process, so no page text
# can name it.
_SLOT = f"csrf-{secrets.token_hex(16)}"
# Headers kept per app: one per combination of role, language, name, counts and current entry
# of the readers of the last while (a few KB each).
MAX_KEPT = 2000


def site_header() -> Markup:
    """The signed-in reader's menu and bell; nothing for a visitor."""
    if not current_user.is_authenticated:
        return Markup("")
    role, counts = current_user.role, menu_counts()
    entries = visible_entries(role)
    current, kind = current_entry(entries)
    key = repr(
        (
            str(current_locale()),
            request.script_root,
            role.value,
            current_user.display_name,
            sorted(counts.items()),
            None if current is None else entries.index(current),
            kind,
        )
    )
    kept: SimpleCache | None = current_app.extensions.get(KEPT)
    markup = None if kept is None else kept.get(key)
    if markup is None:
        menu = build_menu(role, counts)
        markup = render_template("_site_header.html", site_menu=menu, csrf_slot=_SLOT)
        if kept is not None:
            kept.set(key, markup)
    return Markup(markup.replace(_SLOT, escape(generate_csrf())))  # noqa: S704 (a template's)


def init_header(app: Flask) -> None:
    """Give the templates `site_header`; keep its markup unless templates reload."""
    app.jinja_env.globals["site_header"] = site_header
    if not app.jinja_env.auto_reload:
        app.extensions[KEPT] = SimpleCache(threshold=MAX_KEPT, default_timeout=0)
