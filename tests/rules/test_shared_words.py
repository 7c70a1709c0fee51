"""The words, spans and match keys a transcript shares between rules equal the plain ones."""

from hypothesis import given, settings
from hypothesis import strategies as st

from qa_app.rules import Interaction, Speaker, Turn
from qa_app.rules.text import key_text, lexicon, spans, tokens
from qa_app.rules.transcript import AgentKeys, Transcript

words = st.sampled_from(
    ["apologise", "Thank", "ΕΥΧΑΡΙΣΤΟΎΜΕ", "köszönjük", "SS", "İ", "ﬁ", "e\u0301", "\u0301", "_a"]
)
texts = st.lists(st.one_of(words, st.text(max_size=8)), max_size=12).map(" ".join)
turns = st.lists(st.builds(Turn, st.sampled_from(list(Speaker)), texts), max_size=6).map(tuple)


@settings(max_examples=300, deadline=None)
@given(turns, st.sampled_from(["en", "hu", "el"]), st.booleans())
def test_shared_keys_and_spans_match_the_plain_computation(turns, language, fold) -> None:
    transcript = Transcript(Interaction("chat", language, turns))
    lex = lexicon(language, True, fold)
    plain = AgentKeys([key_text(tokens(turns[i].text), lex) for i in transcript.agent_turns])
    shared = transcript.agent_keys(lex)
    assert (shared.text, shared.starts) == (plain.text, plain.starts)
    for index, turn in enumerate(turns):
        count = len(tokens(turn.text))
        assert transcript.spans(index, 1)[:1] == spans(turn.text, 1)
        assert transcript.spans(index, count) == spans(turn.text, count)
