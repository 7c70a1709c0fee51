"""A lasting change asks first, without a script; the list shows a published version and its
draft side by side."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from qa_app.accounts.models import Role

LASTING = re.compile(r"/(discard|archive|delete)$")


class _Forms(HTMLParser):
    """The action of every form, and whether it sits inside a <details class="confirm">."""

    def __init__(self) -> None:
        super().__init__()
        self.open_details: list[bool] = []
        self.forms: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "details":
            self.open_details.append("confirm" in (values.get("class") or "").split())
        elif tag == "form":
            self.forms.append((values.get("action") or "", any(self.open_details)))

    def handle_endtag(self, tag):
        if tag == "details" and self.open_details:
            self.open_details.pop()


def _lasting_forms(page: str) -> list[tuple[str, bool]]:
    parser = _Forms()
    parser.feed(page)
    return [(action, asked) for action, asked in parser.forms if LASTING.search(action)]


def test_deleting_and_archiving_ask_a_second_time(app, login_as, shipped):
    reviewer = login_as(Role.REVIEWER)
    published, draft = shipped("phone", publish=True), shipped("chat")
    pages = [
        reviewer.get(f"/scorecards/{published}").get_data(as_text=True),  # archive
        reviewer.get(f"/scorecards/{draft}").get_data(as_text=True),  # delete the draft
        reviewer.get(f"/scorecards/{draft}/edit").get_data(as_text=True),  # sections, criteria
    ]
    found = [form for page in pages for form in _lasting_forms(page)]
    kinds = {re.search(r"(section|criteri|discard|archive)", a).group(1) for a, _ in found}
    assert kinds == {"section", "criteri", "discard", "archive"}
    assert all(asked for _, asked in found), [a for a, asked in found if not asked]
    assert "Yes, delete the section" in pages[2] and "Yes, archive it" in pages[0]


def test_the_list_shows_the_published_version_beside_its_draft(app, login_as, shipped):
    reviewer = login_as(Role.REVIEWER)
    published = shipped("phone", publish=True)
    draft = reviewer.submit(f"/scorecards/{published}/new-version", token_from="/")
    draft_id = int(re.search(r"/(\d+)/edit", draft.headers["Location"]).group(1))
    listed = reviewer.get("/scorecards/").get_data(as_text=True)
    assert f'href="/scorecards/{published}"' in listed
    assert f'href="/scorecards/{draft_id}"' in listed
    agent_list = login_as(Role.AGENT).get("/scorecards/").get_data(as_text=True)
    assert f'href="/scorecards/{published}"' in agent_list
    assert f'href="/scorecards/{draft_id}"' not in agent_list  # drafts stay with their makers
