"""What a page offers (its forms and their fields) and whether an answer is well formed."""

from __future__ import annotations

import hashlib
import io
import xml.etree.ElementTree as ET  # noqa: S405 (parses this app's own output)
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import openpyxl

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
# Elements whose end tag may be left out in HTML; the balance check ignores them.
OPTIONAL_END = {
    "p",
    "li",
    "dt",
    "dd",
    "option",
    "optgroup",
    "tr",
    "td",
    "th",
    "thead",
    "tbody",
    "tfoot",
    "colgroup",
    "caption",
    "rt",
    "rp",
    "html",
    "head",
    "body",
}


@dataclass
class Form:
    action: str
    method: str
    values: dict[str, list[str]] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)


class _Reader(HTMLParser):
    """Collects forms with their fields' current values, and checks that elements nest."""

    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url, self.forms, self.stack, self.problems = url, [], [], []
        self._form: Form | None = None
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag not in VOID and tag not in OPTIONAL_END:
            self.stack.append(tag)
        if tag == "form":
            action = urlsplit(a.get("action") or self.url).path
            self._form = Form(action, (a.get("method") or "get").upper())
            self.forms.append(self._form)
        elif self._form is not None and "name" in a or tag == "option":
            self._field(tag, a)

    def _field(self, tag: str, a: dict[str, str]) -> None:
        form, name = self._form, a.get("name", "")
        if form is None:
            return
        kind = a.get("type", "text")
        if tag == "input" and kind == "file":
            form.files.add(name)
        elif tag == "input" and kind in {"checkbox", "radio"}:
            form.values.setdefault(name, [])
            if "checked" in a:
                form.values[name].append(a.get("value", "on"))
        elif tag == "input" and kind not in {"submit", "button", "image", "reset"}:
            form.values.setdefault(name, []).append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = name
            form.values.setdefault(name, [""])
        elif tag == "select":
            self._select, self._first_option = name, None
            form.values.setdefault(name, [])
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._first_option = value if self._first_option is None else self._first_option
            if "selected" in a:
                form.values[self._select].append(value)

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea is not None:
            self._form.values[self._textarea] = [data]

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        if tag == "select" and self._form is not None and self._select is not None:
            if not self._form.values[self._select] and self._first_option is not None:
                self._form.values[self._select] = [self._first_option]
            self._select = None
        if tag == "form":
            self._form = None
        if tag in VOID or tag in OPTIONAL_END:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else ''}>")
            return
        self.stack.pop()


def read_forms(url: str, html: str) -> list[Form]:
    reader = _Reader(url)
    reader.feed(html)
    return reader.forms


# A page's verdict by its digest: most answers of a sweep are the same page (an error page, a
# form shown again) for many hostile values, and parsing each again was an eighth of the sweep.
_HTML_VERDICTS: dict[bytes, str | None] = {}


def malformed(content_type: str, body: bytes) -> str | None:
    """Why an answer is not well formed for its type, or None when it is."""
    kind = content_type.split(";")[0].strip()
    try:
        if kind == "text/html":
            digest = hashlib.blake2b(body).digest()
            if digest not in _HTML_VERDICTS:
                _HTML_VERDICTS[digest] = _html_problem(body.decode("utf-8"))
            return _HTML_VERDICTS[digest]
        if kind == "image/svg+xml":
            ET.fromstring(body)  # noqa: S314
        elif kind.startswith("application/vnd.openxmlformats"):
            openpyxl.load_workbook(io.BytesIO(body), read_only=True).close()
    except Exception as error:  # noqa: BLE001 (any failure to read is the finding)
        return f"{kind}: {type(error).__name__}: {error}"[:300]
    return None


def _html_problem(html: str) -> str | None:
    if "\x00" in html:
        return "NUL character in the page"
    if not html.lstrip().lower().startswith("<!doctype html>") or "</html>" not in html:
        return "not a whole HTML document"
    reader = _Reader("/")
    reader.feed(html)
    reader.close()
    problems = reader.problems + [f"<{tag}> never closed" for tag in reader.stack]
    return "; ".join(problems[:3]) or None
