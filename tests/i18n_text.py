"""What a reader sees of a template or a page: used by the i18n tests to find untranslated text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

from jinja2 import Environment

# Attributes whose values people read (or hear, from a screen reader).
READ_ATTRIBUTES = frozenset({"title", "placeholder", "aria-label", "alt", "label"})
BUTTON_TYPES = frozenset({"submit", "button", "reset"})
# Words that are the same in every language we ship: names of standard customer metrics.
UNIVERSAL = frozenset({"CSAT", "NPS", "CES", "UTC", "QA"})
PLACEHOLDER = "\x00"
_WORD = re.compile(r"[^\W\d_]{2,}")


class _Reader(HTMLParser):
    """Collects text nodes and read attribute values; skips scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skipping += 1
        values = dict(attrs)
        for name, value in attrs:
            if value and name in READ_ATTRIBUTES:
                self.texts.append(value)
        if tag == "input" and values.get("type") in BUTTON_TYPES and values.get("value"):
            self.texts.append(str(values["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping and data.strip():
            self.texts.append(" ".join(data.split()))


def page_texts(html: str) -> list[str]:
    """The text nodes and read attributes of an HTML page, whitespace collapsed."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.texts


def has_words(text: str) -> bool:
    """True when the text holds a word (two letters or more) that is not universal."""
    return any(word not in UNIVERSAL for word in _WORD.findall(text.replace(PLACEHOLDER, " ")))


def _literal_source(env: Environment, source: str) -> str:
    """The template with every tag, expression and {% trans %} block replaced by a placeholder."""
    parts: list[str] = []
    in_block, in_trans, words = False, False, []
    for _, kind, value in env.lex(source):
        if kind == "block_begin":
            in_block, words = True, []
        elif kind == "block_end":
            in_block = False
            if words[:1] == ["trans"]:
                in_trans = True
            elif words[:1] == ["endtrans"]:
                in_trans = False
        elif in_block and kind == "name":
            words.append(value)
        if kind == "data" and not in_trans:
            parts.append(value)
        elif not parts or parts[-1] != PLACEHOLDER:
            parts.append(PLACEHOLDER)
    return "".join(parts)


def untranslated_literals(env: Environment, source: str) -> Iterator[str]:
    """Readable text written straight into a template instead of through the catalogue."""
    for text in page_texts(_literal_source(env, source)):
        if has_words(text):
            yield text.replace(PLACEHOLDER, "…")
