"""Scorecard YAML schema: shipped templates, round trips and every rejection rule."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from qa_app.scorecards.schema import (
    DEFAULT_SCALE,
    MAX_DOCUMENT_BYTES,
    SHIPPED_DIR,
    CriterionDoc,
    ScorecardDoc,
    ScorecardSchemaError,
    SectionDoc,
    dump_scorecard_yaml,
    list_shipped_templates,
    load_shipped_template,
    parse_scorecard_yaml,
    shipped_name,
    validate_scorecard_data,
)

SHIPPED = list_shipped_templates()
CHANNEL_TEMPLATES = {"email": "email", "phone": "call", "chat": "chat"}


SAMPLE_YAML = """\
schema_version: 1
slug: sample
name: Sample
channels: [call]
sections:
  - name: Opening
    criteria:
      - name: Greets the customer
        description: Opens with a greeting.
        anchors: {1: No greeting., 3: A bare hello., 5: A warm greeting.}
  - name: Closing
    criteria:
      - name: Offers more help
        description: Asks whether anything else is needed.
        weight: 2
        anchors: {1: Never., 3: Sometimes., 5: Always.}
"""


def criterion(name: str = "Uses the customer's name", **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": name,
        "description": "Says the customer's name at least once.",
        "anchors": {1: "Never uses it.", 3: "Uses it once.", 5: "Uses it naturally."},
    }
    data.update(extra)
    return data


def scorecard(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "schema_version": 1,
        "slug": "sample",
        "name": "Sample",
        "channels": ["call"],
        "sections": [
            {"name": "Opening", "criteria": [criterion()]},
            {"name": "Closing", "criteria": [criterion("Offers more help")]},
        ],
    }
    data.update(extra)
    return data


def as_yaml(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def problems_in(document: dict[str, Any] | str | bytes) -> list[tuple[str, str]]:
    text = document if isinstance(document, str | bytes) else as_yaml(document)
    with pytest.raises(ScorecardSchemaError) as info:
        parse_scorecard_yaml(text)
    return [(problem.path, problem.message) for problem in info.value.errors]


def assert_only_problem(document: dict[str, Any] | str | bytes, path: str, fragment: str) -> None:
    problems = problems_in(document)
    assert len(problems) == 1, problems
    assert problems[0][0] == path
    assert fragment in problems[0][1]


# Shipped templates


def test_five_templates_and_a_translation_are_shipped_from_the_top_level_folder() -> None:
    assert Path(__file__).resolve().parents[2] / "scorecards" == SHIPPED_DIR
    assert [path.stem for path in SHIPPED] == [
        "chat",
        "communication-essentials",
        "email",
        "five-key-elements.hu",
        "five-key-elements",
        "phone",
    ]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_shipped_template_parses_dumps_and_reparses_to_an_equal_document(path: Path) -> None:
    doc = load_shipped_template(path)
    assert parse_scorecard_yaml(dump_scorecard_yaml(doc)) == doc
    assert doc == parse_scorecard_yaml(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_shipped_template_slug_and_language_match_the_file_name(path: Path) -> None:
    doc = load_shipped_template(path)
    slug, _, language = path.stem.partition(".")
    assert (doc.slug, doc.language) == (slug, language or "en")
    assert shipped_name(path) == (slug, language or None)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_shipped_criteria_have_anchors_and_coaching_tips(path: Path) -> None:
    doc = load_shipped_template(path)
    assert 5 <= len(doc.criteria) <= 10
    assert doc.pass_mark == 80
    for item in doc.criteria:
        assert [point for point, _ in item.anchors] == [1, 3, 5]
        assert all(text.strip() for _, text in item.anchors)
        assert item.coaching_tips.strip()
        assert len(set(dict(item.anchors).values())) == 3, item.name


@pytest.mark.parametrize("stem", sorted(CHANNEL_TEMPLATES))
def test_channel_templates_serve_one_channel_and_mark_a_critical_criterion(stem: str) -> None:
    doc = load_shipped_template(SHIPPED_DIR / f"{stem}.yaml")
    assert doc.channels == (CHANNEL_TEMPLATES[stem],)
    assert 1 <= sum(item.critical for item in doc.criteria) <= 2
    assert any(item.allow_na for item in doc.criteria)


def test_general_templates_serve_every_channel() -> None:
    for stem in ("five-key-elements", "communication-essentials"):
        assert load_shipped_template(SHIPPED_DIR / f"{stem}.yaml").channels == (
            "call",
            "chat",
            "email",
        )


def _keys(data: object) -> object:
    """The shape of a YAML document: its keys at every level, without the values."""
    if isinstance(data, dict):
        return {key: _keys(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_keys(item) for item in data]
    return None


def _texts(doc: ScorecardDoc) -> list[str]:
    """Every text a reader sees, in document order."""
    texts = [doc.name, doc.description, *(label for _, label in doc.scale)]
    for section in doc.sections:
        texts.append(section.name)
        for item in section.criteria:
            texts += [item.name, item.description, item.coaching_tips]
            texts += [text for _, text in item.anchors]
    return texts


def test_hungarian_five_key_elements_matches_the_english_one_but_its_texts() -> None:
    english_path = SHIPPED_DIR / "five-key-elements.yaml"
    hungarian_path = SHIPPED_DIR / "five-key-elements.hu.yaml"
    english, hungarian = map(load_shipped_template, (english_path, hungarian_path))
    assert (english.language, hungarian.language) == ("en", "hu")
    assert _keys(yaml.safe_load(hungarian_path.read_text(encoding="utf-8"))) == _keys(
        yaml.safe_load(english_path.read_text(encoding="utf-8"))
    )
    same = ("slug", "channels", "pass_mark", "schema_version")
    assert [getattr(hungarian, key) for key in same] == [getattr(english, key) for key in same]
    assert [len(section.criteria) for section in hungarian.sections] == [
        len(section.criteria) for section in english.sections
    ]
    assert [(c.weight, c.critical, c.allow_na) for c in hungarian.criteria] == [
        (c.weight, c.critical, c.allow_na) for c in english.criteria
    ]
    pairs = list(zip(_texts(english), _texts(hungarian), strict=True))
    assert all(hu.strip() and hu != en for en, hu in pairs), [p for p in pairs if p[0] == p[1]]
    assert hungarian.label(5) == "Kiváló"


def test_load_shipped_template_requires_matching_slug_and_coaching_tips(tmp_path: Path) -> None:
    path = tmp_path / "other-name.yaml"
    path.write_text(as_yaml(scorecard()), encoding="utf-8")
    with pytest.raises(ScorecardSchemaError) as info:
        load_shipped_template(path)
    paths = [problem.path for problem in info.value.errors]
    assert paths == [
        "slug",
        "sections[0].criteria[0].coaching_tips",
        "sections[1].criteria[0].coaching_tips",
    ]


def test_a_translated_template_must_be_in_the_language_of_its_file_name(tmp_path: Path) -> None:
    path = tmp_path / "sample.hu.yaml"
    data = scorecard(language="en")
    for section in data["sections"]:
        section["criteria"][0]["coaching_tips"] = "Practise."
    path.write_text(as_yaml(data), encoding="utf-8")
    with pytest.raises(ScorecardSchemaError) as info:
        load_shipped_template(path)
    assert [(p.path, p.message) for p in info.value.errors] == [
        ("language", "must be 'hu', the language in the file name of a shipped template")
    ]
    path.write_text(as_yaml({**data, "language": "hu"}), encoding="utf-8")
    assert load_shipped_template(path).slug == "sample"


def test_list_shipped_templates_returns_only_yaml_files_sorted(tmp_path: Path) -> None:
    for name in ("b.yaml", "a.yaml", "notes.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "folder.yaml").mkdir()
    assert [path.name for path in list_shipped_templates(tmp_path)] == ["a.yaml", "b.yaml"]


# Parsing and dumping


def test_sample_yaml_parses() -> None:
    doc = parse_scorecard_yaml(SAMPLE_YAML)
    assert doc.sections[1].criteria[0].weight == 2
    assert doc.sections[0].criteria[0].anchor(5) == "A warm greeting."


def test_minimal_document_gets_the_documented_defaults() -> None:
    doc = parse_scorecard_yaml(as_yaml(scorecard()))
    assert doc.language == "en"
    assert doc.description == ""
    assert doc.pass_mark == 80
    assert doc.scale == DEFAULT_SCALE
    assert doc.label(5) == "Excellent"
    first = doc.sections[0].criteria[0]
    assert (first.weight, first.allow_na, first.critical, first.coaching_tips) == (
        1,
        False,
        False,
        "",
    )
    assert first.anchor(3) == "Uses it once."
    assert isinstance(doc.sections, tuple)
    assert isinstance(doc.channels, tuple)


def test_documents_are_frozen_and_hashable() -> None:
    doc = parse_scorecard_yaml(as_yaml(scorecard()))
    with pytest.raises(AttributeError):
        doc.name = "Changed"  # type: ignore[misc]
    assert hash(doc) == hash(parse_scorecard_yaml(as_yaml(scorecard())))


def test_dump_writes_keys_in_schema_order_and_scale_from_5_to_1() -> None:
    doc = ScorecardDoc(
        slug="ordered",
        name="Ordered",
        description="Checks the order.",
        channels=("chat",),
        sections=(
            SectionDoc(
                name="Only",
                criteria=(
                    CriterionDoc(
                        name="One",
                        description="The only criterion.",
                        anchors=((1, "Bad."), (3, "Fair."), (5, "Great.")),
                        coaching_tips="Practise.",
                    ),
                ),
            ),
        ),
    )
    data = yaml.safe_load(dump_scorecard_yaml(doc))
    assert list(data) == [
        "schema_version",
        "slug",
        "name",
        "language",
        "description",
        "channels",
        "pass_mark",
        "scale",
        "sections",
    ]
    assert list(data["scale"]) == [5, 4, 3, 2, 1]
    assert list(data["sections"][0]["criteria"][0]) == [
        "name",
        "description",
        "weight",
        "allow_na",
        "critical",
        "anchors",
        "coaching_tips",
    ]
    assert parse_scorecard_yaml(dump_scorecard_yaml(doc)) == doc


def test_greek_hungarian_and_telugu_text_round_trips_exactly() -> None:
    greek = "Ενεργητική ακρόαση: «ακούστε πραγματικά»"
    hungarian = "Árvíztűrő tükörfúrógép — ügyfél név szerinti megszólítása"
    telugu = "కస్టమర్ పేరుతో పలకరించడం"
    data = scorecard(
        name=greek,
        language="el",
        description=hungarian,
        scale={5: "Άριστα", 4: "Jó", 3: "సరే", 2: "Gyenge", 1: "Κακό"},
        sections=[
            {
                "name": telugu,
                "criteria": [
                    criterion(greek, anchors={1: hungarian, 3: telugu, 5: greek}),
                    criterion(hungarian, description=telugu, coaching_tips=greek),
                ],
            }
        ],
    )
    doc = parse_scorecard_yaml(as_yaml(data))
    text = dump_scorecard_yaml(doc)
    assert greek in text and hungarian in text and telugu in text
    again = parse_scorecard_yaml(text.encode("utf-8"))
    assert again == doc
    assert again.name == greek
    assert again.description == hungarian
    assert again.sections[0].name == telugu
    assert again.sections[0].criteria[0].anchors == ((1, hungarian), (3, telugu), (5, greek))
    assert again.sections[0].criteria[1].coaching_tips == greek
    assert again.label(3) == "సరే"


def test_point_keys_may_be_strings_when_data_comes_from_json() -> None:
    data = scorecard(scale={"5": "Top", "4": "Fine", "3": "Mid", "2": "Low", "1": "None"})
    data["sections"][0]["criteria"][0]["anchors"] = {"1": "a", "3": "b", "5": "c"}
    doc = validate_scorecard_data(data)
    assert doc.label(5) == "Top"
    assert doc.sections[0].criteria[0].anchors == ((1, "a"), (3, "b"), (5, "c"))


def test_fractional_weight_and_pass_mark_are_kept() -> None:
    data = scorecard(pass_mark=72.5)
    data["sections"][0]["criteria"][0]["weight"] = 0.5
    doc = parse_scorecard_yaml(as_yaml(data))
    assert doc.pass_mark == 72.5
    assert doc.sections[0].criteria[0].weight == 0.5
    assert parse_scorecard_yaml(dump_scorecard_yaml(doc)) == doc


# Rejections


def test_unknown_top_level_key_is_named() -> None:
    assert_only_problem(scorecard(owner="qa-team"), "owner", "unknown key 'owner'")


def test_unknown_criterion_key_is_named_with_a_suggestion() -> None:
    data = scorecard()
    data["sections"][1]["criteria"][0]["wieght"] = 2
    assert_only_problem(
        data, "sections[1].criteria[0].wieght", "unknown key 'wieght' (did you mean 'weight'?)"
    )


def test_sixth_scale_point_is_rejected() -> None:
    scale = {6: "Outstanding", 5: "Excellent", 4: "Good", 3: "OK", 2: "Weak", 1: "Poor"}
    assert_only_problem(
        scorecard(scale=scale), "scale", "scale must have exactly the points 1, 2, 3, 4, 5"
    )


def test_missing_scale_point_is_rejected() -> None:
    scale = {5: "Excellent", 4: "Good", 3: "OK", 1: "Poor"}
    assert_only_problem(
        scorecard(scale=scale), "scale", "scale must have exactly the points 1, 2, 3, 4, 5"
    )


def test_zero_weight_is_rejected() -> None:
    data = scorecard()
    data["sections"][0]["criteria"][0]["weight"] = 0
    assert_only_problem(data, "sections[0].criteria[0].weight", "must be a number greater than 0")


def test_negative_weight_is_rejected() -> None:
    data = scorecard()
    data["sections"][1]["criteria"][0]["weight"] = -2
    assert_only_problem(data, "sections[1].criteria[0].weight", "must be a number greater than 0")


def test_weight_above_100_is_rejected() -> None:
    data = scorecard()
    data["sections"][0]["criteria"][0]["weight"] = 101
    assert_only_problem(data, "sections[0].criteria[0].weight", "must be at most 100")


def test_boolean_weight_is_rejected() -> None:
    text = SAMPLE_YAML.replace("weight: 2", "weight: true")
    assert_only_problem(text, "sections[1].criteria[0].weight", "not a boolean (true)")


def test_non_finite_weight_is_rejected() -> None:
    data = scorecard()
    data["sections"][0]["criteria"][0]["weight"] = math.nan
    assert_only_problem(data, "sections[0].criteria[0].weight", "must be a finite number")


def test_duplicate_criterion_names_name_both_positions() -> None:
    data = scorecard()
    data["sections"][1]["criteria"].append(criterion("  USES the customer's name "))
    assert_only_problem(
        data,
        "sections[1].criteria[1].name",
        "duplicate criterion name 'USES the customer's name' "
        "(also at sections[0].criteria[0].name)",
    )


def test_duplicate_section_names_are_rejected() -> None:
    data = scorecard()
    data["sections"][1]["name"] = "opening"
    assert_only_problem(data, "sections[1].name", "also at sections[0].name")


def test_scorecard_without_sections_needs_a_criterion() -> None:
    assert_only_problem(
        scorecard(sections=[]), "sections", "a scorecard needs at least one criterion"
    )


def test_section_without_criteria_is_rejected() -> None:
    data = scorecard()
    data["sections"][1]["criteria"] = []
    assert_only_problem(data, "sections[1].criteria", "a section needs at least one criterion")


def test_unknown_channel_is_rejected() -> None:
    assert_only_problem(scorecard(channels=["call", "sms"]), "channels[1]", "unknown channel 'sms'")


def test_duplicate_channel_is_rejected() -> None:
    assert_only_problem(
        scorecard(channels=["chat", "call", "chat"]), "channels[2]", "duplicate channel 'chat'"
    )


def test_empty_channel_list_is_rejected() -> None:
    assert_only_problem(scorecard(channels=[]), "channels", "at least one channel")


@pytest.mark.parametrize(
    ("pass_mark", "fragment"),
    [(101, "must be at most 100"), (-1, "must be a number at least 0"), (True, "not a boolean")],
)
def test_pass_mark_outside_0_to_100_is_rejected(pass_mark: object, fragment: str) -> None:
    assert_only_problem(scorecard(pass_mark=pass_mark), "pass_mark", fragment)


@pytest.mark.parametrize(
    ("place", "limit"),
    [
        ("name", 120),
        ("description", 2000),
        ("sections[0].name", 120),
        ("sections[0].criteria[0].name", 120),
        ("sections[0].criteria[0].description", 2000),
        ("sections[0].criteria[0].anchors.3", 1000),
        ("sections[0].criteria[0].coaching_tips", 2000),
        ("scale.4", 40),
    ],
)
def test_texts_over_their_limit_are_rejected(place: str, limit: int) -> None:
    data = scorecard(scale=dict(DEFAULT_SCALE))
    section, item = data["sections"][0], data["sections"][0]["criteria"][0]
    targets = {
        "name": (data, "name"),
        "description": (data, "description"),
        "sections[0].name": (section, "name"),
        "sections[0].criteria[0].name": (item, "name"),
        "sections[0].criteria[0].description": (item, "description"),
        "sections[0].criteria[0].anchors.3": (item["anchors"], 3),
        "sections[0].criteria[0].coaching_tips": (item, "coaching_tips"),
        "scale.4": (data["scale"], 4),
    }
    container, key = targets[place]
    container[key] = "x" * limit
    validate_scorecard_data(data)
    container[key] = "x" * (limit + 1)
    assert_only_problem(data, place, f"must be at most {limit} characters (got {limit + 1})")


def test_anchors_need_exactly_points_1_3_5() -> None:
    data = scorecard()
    data["sections"][0]["criteria"][0]["anchors"] = {1: "a", 2: "b", 5: "c"}
    assert_only_problem(
        data, "sections[0].criteria[0].anchors", "anchors must have exactly the points 1, 3, 5"
    )


def test_empty_anchor_text_is_rejected() -> None:
    data = scorecard()
    data["sections"][0]["criteria"][0]["anchors"][5] = "   "
    assert_only_problem(data, "sections[0].criteria[0].anchors.5", "must not be empty")


def test_document_over_1_mb_is_refused_before_parsing() -> None:
    padding = "# " + "x" * MAX_DOCUMENT_BYTES + "\n"
    for document in (padding + as_yaml(scorecard()), (padding + "[broken").encode("utf-8")):
        assert_only_problem(document, "(document)", "larger than 1 MB")


def test_size_limit_counts_bytes_not_characters() -> None:
    greek = "α" * (MAX_DOCUMENT_BYTES // 2 + 1)
    assert len(greek) < MAX_DOCUMENT_BYTES
    assert_only_problem(as_yaml(scorecard(description=greek)), "(document)", "larger than 1 MB")


@pytest.mark.parametrize(
    ("text", "kind"), [("- a\n- b\n", "a list"), ("just text\n", "text"), ("", "an empty value")]
)
def test_non_mapping_top_level_is_rejected(text: str, kind: str) -> None:
    assert_only_problem(
        text, "(document)", f"the top level must be a mapping of keys to values, not {kind}"
    )


def test_malformed_yaml_reports_line_and_column() -> None:
    assert_only_problem(
        "slug: sample\nchannels: [call, chat\nname: x\n", "(document)", "line 3, column 5"
    )
    assert problems_in("slug: sample\nchannels: [call, chat\nname: x\n")[0][1].startswith(
        "is not valid YAML: "
    )


@pytest.mark.parametrize(
    ("line", "fragment"),
    [("when: 2024-13-45", "month must be in 1..12"), ("pass_mark: " + "9" * 5000, "4300 digits")],
)
def test_scalars_yaml_cannot_construct_are_reported_not_raised(line: str, fragment: str) -> None:
    assert_only_problem(line + "\n", "(document)", fragment)


def test_huge_integer_weight_is_rejected_without_overflow() -> None:
    text = SAMPLE_YAML.replace("weight: 2", "weight: " + "9" * 400)
    assert_only_problem(text, "sections[1].criteria[0].weight", "must be at most 100")


def test_deeply_nested_yaml_is_refused() -> None:
    assert_only_problem("[" * 5000 + "]" * 5000, "(document)", "nested too deeply")


def test_missing_required_keys_are_reported_by_path() -> None:
    data = scorecard()
    del data["slug"]
    del data["sections"][0]["criteria"][0]["anchors"]
    problems = problems_in(data)
    assert problems == [
        ("slug", "is required"),
        ("sections[0].criteria[0].anchors", "is required"),
    ]


def test_only_schema_version_1_is_read() -> None:
    assert_only_problem(scorecard(schema_version=2), "schema_version", "must be 1")


@pytest.mark.parametrize("slug", ["Five-Key", "with space", "-leading", "double--hyphen", "x" * 81])
def test_invalid_slug_is_rejected(slug: str) -> None:
    assert_only_problem(scorecard(slug=slug), "slug", "must")


def test_yaml_boolean_where_text_is_expected_is_rejected() -> None:
    text = SAMPLE_YAML.replace("- name: Opening", "- name: yes")
    assert_only_problem(text, "sections[0].name", "must be text, not a boolean (true)")


def test_flags_must_be_booleans() -> None:
    data = scorecard()
    data["sections"][0]["criteria"][0]["critical"] = "no"
    assert_only_problem(data, "sections[0].criteria[0].critical", "must be true or false")


def test_multiple_problems_are_all_reported() -> None:
    data = scorecard(channels=["fax"], pass_mark=150, colour="blue")
    data["sections"][0]["criteria"][0]["weight"] = 0
    data["sections"][1]["criteria"][0]["anchors"] = {1: "a", 3: "b"}
    data["sections"].append({"name": "Empty", "criteria": []})
    with pytest.raises(ScorecardSchemaError) as info:
        parse_scorecard_yaml(as_yaml(data))
    assert [problem.path for problem in info.value.errors] == [
        "colour",
        "channels[0]",
        "pass_mark",
        "sections[0].criteria[0].weight",
        "sections[1].criteria[0].anchors",
        "sections[2].criteria",
    ]
    assert str(info.value).startswith("6 problems in scorecard: colour: unknown key")
