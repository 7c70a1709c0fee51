"""The sweep's page check (tests/hostile/pages.py): a broken page is named, and a page seen again
gets the same verdict without being parsed again."""

from __future__ import annotations

from tests.hostile import pages

GOOD = b"<!doctype html><html><body><p>fine</p></body></html>"
BROKEN = b"<!doctype html><html><body><div><p>x</span></div></body></html>"


def test_a_page_seen_again_gets_the_same_verdict_without_a_parse(monkeypatch):
    parsed: list[str] = []
    check = pages._html_problem

    def counted(html: str) -> str | None:
        parsed.append(html)
        return check(html)

    monkeypatch.setattr(pages, "_html_problem", counted)
    monkeypatch.setattr(pages, "_HTML_VERDICTS", {})
    first = [pages.malformed("text/html; charset=utf-8", body) for body in (GOOD, BROKEN)]
    again = [pages.malformed("text/html", body) for body in (GOOD, BROKEN)]
    assert first == again
    assert first[0] is None and first[1] is not None and "</span>" in first[1]
    assert len(parsed) == 2
    assert pages.malformed("text/html", b"\xff<html>") is not None  # not UTF-8: named each time
