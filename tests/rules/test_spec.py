"""Reading rule specs (every problem with its path) and the auto score."""

import pytest

from qa_app.rules import (
    Metrics,
    RuleSpecError,
    Suggestion,
    auto_score,
    check_rule,
    compile_rule,
    compile_rules,
    suggest_all,
)
from qa_app.rules.suggestions import Reason
from qa_app.scoring import CriterionSpec, score_evaluation

from .helpers import A, C, chat


def test_every_problem_of_a_spec_is_listed_with_its_path() -> None:
    with pytest.raises(RuleSpecError) as raised:
        compile_rules(
            {
                "greeting": {
                    "kind": "phrases",
                    "phrases": {"en": ["hello", "!!"], "zz": ["x"]},
                    "within": "middle",
                    "found": 6,
                    "colour": "red",
                },
                "wait": {
                    "kind": "response_time",
                    "measure": "longest_wait",
                    "channels": {"fax": {"thresholds": [{"at_most": "soon", "point": 5}]}},
                },
                "csat": {"kind": "metric", "metric": "csat", "thresholds": []},
                "odd": {"kind": "magic"},
            }
        )
    assert sorted(problem.path for problem in raised.value.problems) == [
        "csat.otherwise",
        "csat.thresholds",
        "greeting.colour",
        "greeting.found",
        "greeting.phrases.en[1]",
        "greeting.phrases.zz",
        "greeting.within",
        "odd.kind",
        "wait.channels.fax",
        "wait.channels.fax.otherwise",
        "wait.channels.fax.thresholds[0].at_most",
    ]


@pytest.mark.parametrize(
    ("spec", "path"),
    [
        ("not a mapping", ""),
        (
            {"kind": "metric", "metric": "csat", "thresholds": [{"point": 5}], "otherwise": 1},
            "thresholds[0]",
        ),
        (
            {
                "kind": "metric",
                "metric": "csat",
                "thresholds": [{"at_least": 4, "at_most": 5, "point": 5}],
                "otherwise": 1,
            },
            "thresholds[0]",
        ),
        ({"kind": "metric", "metric": "first_contact_resolved", "yes": True}, "yes"),
        (
            {
                "kind": "message_shape",
                "measure": "longest_message",
                "thresholds": [{"at_most": 9, "point": 5}],
                "otherwise": 1,
                "min_agent_turns": 0,
            },
            "min_agent_turns",
        ),
        ({"kind": "phrases", "phrases": {"en": ["hi"]}, "within": "first", "turns": 0}, "turns"),
        ({"kind": "phrases", "phrases": {"en": "hi"}}, "phrases.en"),
        ({"kind": "phrases", "phrases": {}}, "phrases"),
        ({"kind": "phrases", "phrases": {"en": ["hi"]}, "ignore_accents": "yes"}, "ignore_accents"),
    ],
)
def test_a_bad_spec_is_refused_at_the_right_path(spec: object, path: str) -> None:
    rule, problems = check_rule(spec)
    assert rule is None
    assert path in [problem.path for problem in problems]


def test_a_good_spec_has_no_problems_and_knows_its_possible_answers() -> None:
    rule, problems = check_rule({"kind": "phrases", "phrases": {"en": ["hi"]}, "not_found": "N/A"})
    assert problems == [] and rule is not None
    assert rule.points == {5, None}


RULES = {
    "greeting": {"kind": "phrases", "phrases": {"en": ["hello"]}, "within": "first", "turns": 1},
    "rude": {"kind": "phrases", "mode": "forbidden", "phrases": {"en": ["whatever"]}},
    "csat": {
        "kind": "metric",
        "metric": "csat",
        "thresholds": [{"at_least": 4, "point": 4}],
        "otherwise": "n/a",
    },
}
CRITERIA = [
    CriterionSpec("greeting", weight=2),
    CriterionSpec("rude", critical=True),
    CriterionSpec("csat", allow_na=True),
    CriterionSpec("manual"),
]


def test_the_auto_score_uses_the_scoring_rules_over_the_decided_criteria() -> None:
    rules = compile_rules(RULES)
    suggestions = suggest_all(rules, chat("en", (C, "hi"), (A, "Hello!"), metrics=Metrics(csat=5)))
    scored = auto_score(CRITERIA, suggestions)
    expected = score_evaluation(CRITERIA[:3], {"greeting": 5, "rude": 5, "csat": 4})
    assert scored.result == expected
    assert (scored.decided, scored.undecided) == (("greeting", "rude", "csat"), ("manual",))


def test_a_critical_rule_failing_zeroes_the_auto_score() -> None:
    suggestions = suggest_all(compile_rules(RULES), chat("en", (A, "Hello, whatever.")))
    scored = auto_score(CRITERIA, suggestions)
    assert scored.result is not None and scored.result.critical_fail and scored.score == 0.0
    assert "csat" in scored.undecided  # no survey answer: cannot decide, left out


def test_no_decided_criterion_means_no_auto_score() -> None:
    suggestions = {"greeting": Suggestion.cannot_decide(Reason.NO_AGENT_TURN)}
    scored = auto_score(CRITERIA, suggestions)
    assert scored.result is None and scored.score is None and scored.decided == ()


def test_an_na_suggestion_on_a_criterion_without_na_is_refused() -> None:
    with pytest.raises(ValueError, match="does not allow N/A"):
        auto_score(CRITERIA, {"greeting": Suggestion.of(None)})


def test_a_suggestion_for_an_unknown_criterion_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown criterion"):
        auto_score(CRITERIA, {"nope": Suggestion.of(3)})


def test_compile_rule_returns_a_rule_for_a_good_spec() -> None:
    rule = compile_rule(RULES["csat"])
    assert rule.points == {4, None}
