"""The pure helpdesk converters: HTML to text, recognising a vendor, and odd documents."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_app.interactions.helpdesk import VENDORS, detect
from qa_app.interactions.helpdesk.text import html_to_text, offset, parse_time


def test_html_becomes_the_text_a_reader_sees():
    html = (
        "<div><p>Hello&nbsp;Anna &amp; co,</p><script>alert(1)</script><style>p{}</style>"
        "<ul><li>one</li><li>two &lt;b&gt;</li></ul>first<br>second <!-- hidden --></div>"
    )
    assert html_to_text(html) == "Hello Anna & co,\none\ntwo <b>\nfirst\nsecond"
    assert html_to_text("Árvíztűrő <b>tükör</b>fúrógép 👍") == "Árvíztűrő tükörfúrógép 👍"
    assert html_to_text("<p>unclosed <b>tags") == "unclosed tags"


def test_times_become_offsets_from_the_start():
    start = parse_time("2026-03-02T09:00:00Z")
    assert offset(start, "2026-03-02T10:00:05+01:00") == 5
    assert offset(start, 1772442065) == 65  # Unix seconds, as Intercom sends them
    assert offset(start, "2026-03-02T08:00:00Z") == 0  # never negative
    assert offset(start, "yesterday") is None and offset(None, 5) is None


@pytest.mark.parametrize(
    ("document", "vendor"),
    [
        ({"tickets": [{"id": 1, "via": {"channel": "email"}}]}, "zendesk"),
        ({"tickets": [{"id": 1}], "users": []}, "zendesk"),
        ({"tickets": [{"id": 1, "source": 1, "conversations": []}]}, "freshdesk"),
        ({"tickets": [{"id": 1}], "agents": []}, "freshdesk"),
        ({"type": "conversation.list", "conversations": []}, "intercom"),
        ({"external_id": "T-1", "tickets": 3}, None),
        ({"tickets": []}, None),
        ([{"id": 1}], None),
    ],
)
def test_a_vendor_is_recognised_by_the_document_shape(document: Any, vendor: str | None):
    assert detect(document) == vendor


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
KEYS = [
    "id",
    "created_at",
    "comments",
    "conversations",
    "conversation_parts",
    "source",
    "via",
    "author",
    "body",
    "html_body",
    "public",
    "private",
    "incoming",
    "assignee_id",
    "stats",
    "satisfaction_rating",
    "conversation_rating",
    "statistics",
    "subject",
    "description",
]
ITEM = st.dictionaries(st.sampled_from(KEYS), JSON, max_size=8)


@settings(max_examples=150, deadline=None)
@given(
    item=ITEM,
    context=st.dictionaries(st.sampled_from(["users", "agents", "admins", "metric_sets"]), JSON),
)
def test_odd_tickets_give_a_row_or_a_refusal_the_import_reports(item, context):
    for vendor in VENDORS.values():
        try:
            values = vendor.row(item, vendor.context(context))
        except (TypeError, ValueError, AttributeError, KeyError, OverflowError):
            continue  # reported as "cannot be read as a ... ticket"
        assert isinstance(values, dict)
