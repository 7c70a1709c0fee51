"""Properties of phrase rules over arbitrary text: spans, and required versus forbidden."""

from hypothesis import given, settings
from hypothesis import strategies as st

from qa_app.rules import Interaction, Outcome, Speaker, Turn, compile_rule, suggest

PHRASES = {"en": ["apologise", "thank you", "ß"], "el": ["ευχαριστώ"], "hu": ["köszönöm"]}
REQUIRED = compile_rule({"kind": "phrases", "phrases": PHRASES, "ignore_accents": True})
FORBIDDEN = compile_rule(
    {"kind": "phrases", "mode": "forbidden", "phrases": PHRASES, "ignore_accents": True}
)

words = st.sampled_from(
    ["apologise", "Thank", "you", "ΕΥΧΑΡΙΣΤΟΎΜΕ", "köszönjük", "SS", "İ", "ﬁ", "e\u0301", "!"]
)
texts = st.lists(st.one_of(words, st.text(max_size=8)), max_size=12).map(" ".join)
turns = st.lists(st.builds(Turn, st.sampled_from(list(Speaker)), texts, st.none()), max_size=6).map(
    tuple
)
interactions = st.builds(
    Interaction, st.just("chat"), st.sampled_from(["en", "el", "hu", None]), turns
)


@settings(max_examples=300, deadline=None)
@given(interactions)
def test_every_span_lies_within_its_turn_and_starts_and_ends_a_word(
    interaction: Interaction,
) -> None:
    found = suggest(REQUIRED, interaction)
    for match in found.evidence:
        text = interaction.turns[match.turn].text
        assert interaction.turns[match.turn].speaker is Speaker.AGENT
        assert 0 <= match.start < match.end <= len(text)
        assert text[match.start].isalnum()
        assert match.end == len(text) or not text[match.end].isalnum()


@settings(max_examples=300, deadline=None)
@given(interactions)
def test_forbidding_and_requiring_are_complements_when_decidable(interaction: Interaction) -> None:
    required, forbidden = suggest(REQUIRED, interaction), suggest(FORBIDDEN, interaction)
    assert required.outcome == forbidden.outcome or Outcome.CANNOT_DECIDE not in (
        required.outcome,
        forbidden.outcome,
    )
    if required.decided:
        assert {required.point, forbidden.point} == {1, 5}
        assert required.evidence == forbidden.evidence
    else:
        assert required.reason == forbidden.reason
