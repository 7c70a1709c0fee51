"""Scorecard documents in YAML (schema version 1): parse and validate them, and dump them back.

Pure module: no Flask, no database. Every problem in a document is reported at once, each with
a path such as ``sections[1].criteria[0].weight`` so the author can find it, and a message that the
page showing it translates (see ``SchemaProblem.text``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from ._checks import CHANNELS as CHANNELS
from ._checks import (
    N_,
    Fields,
    Message,
    Problems,
    channels,
    check_unique,
    describe,
    flag,
    join,
    language,
    mapping,
    number,
    point_texts,
    sequence,
    slug,
    text,
    version,
)
from ._checks import SCHEMA_VERSION as SCHEMA_VERSION
from ._checks import SchemaProblem as SchemaProblem

MAX_DOCUMENT_BYTES = 1024 * 1024
SCALE_POINTS = (1, 2, 3, 4, 5)
ANCHOR_POINTS = (1, 3, 5)
# Stored as data once a scorecard has them; marked so a new scorecard can offer them translated.
_DEFAULT_LABELS = (
    N_("Poor"),
    N_("Needs improvement"),
    N_("Satisfactory"),
    N_("Good"),
    N_("Excellent"),
)
DEFAULT_SCALE: tuple[tuple[int, str], ...] = tuple(enumerate(_DEFAULT_LABELS, start=1))
SHIPPED_DIR = Path(__file__).resolve().parents[2] / "scorecards"
DOCUMENT = "(document)"
DEFAULT_PASS_MARK: float = 80
DEFAULT_WEIGHT: float = 1
# Caps keep the work bounded even when YAML aliases repeat one node thousands of times.
MAX_SECTIONS = 50
MAX_CRITERIA = 200

_TOP_KEYS = (
    "schema_version",
    "slug",
    "name",
    "language",
    "description",
    "channels",
    "pass_mark",
    "scale",
    "sections",
)
_TOP_REQUIRED = ("schema_version", "slug", "name", "channels", "sections")
_SECTION_KEYS = ("name", "criteria")
_CRITERION_KEYS = (
    "name",
    "description",
    "weight",
    "allow_na",
    "critical",
    "anchors",
    "coaching_tips",
)
_CRITERION_REQUIRED = ("name", "description", "anchors")


@dataclass(frozen=True)
class CriterionDoc:
    """One criterion; ``anchors`` holds ``(point, text)`` pairs for the points 1, 3 and 5."""

    name: str
    description: str
    anchors: tuple[tuple[int, str], ...]
    weight: float = DEFAULT_WEIGHT
    allow_na: bool = False
    critical: bool = False
    coaching_tips: str = ""

    def anchor(self, point: int) -> str:
        """The anchor text for ``point`` (1, 3 or 5)."""
        return dict(self.anchors)[point]


@dataclass(frozen=True)
class SectionDoc:
    """A named group of criteria."""

    name: str
    criteria: tuple[CriterionDoc, ...]


@dataclass(frozen=True)
class ScorecardDoc:
    """A whole scorecard; ``scale`` holds ``(point, label)`` pairs for the points 1 to 5."""

    slug: str
    name: str
    channels: tuple[str, ...]
    sections: tuple[SectionDoc, ...]
    language: str = "en"
    description: str = ""
    pass_mark: float = DEFAULT_PASS_MARK
    scale: tuple[tuple[int, str], ...] = DEFAULT_SCALE
    schema_version: int = SCHEMA_VERSION

    @property
    def criteria(self) -> tuple[CriterionDoc, ...]:
        """Every criterion, section by section."""
        return tuple(c for section in self.sections for c in section.criteria)

    def label(self, point: int) -> str:
        """The scale label for ``point`` (1 to 5)."""
        return dict(self.scale)[point]


class ScorecardSchemaError(ValueError):
    """A scorecard document was refused; ``errors`` lists every problem found."""

    def __init__(self, errors: list[SchemaProblem]) -> None:
        self.errors = list(errors)
        count = len(self.errors)
        summary = "; ".join(str(problem) for problem in self.errors)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in scorecard: {summary}")


def parse_scorecard_yaml(text: str | bytes) -> ScorecardDoc:
    """Parse YAML text (at most 1 MB) into a validated scorecard."""
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if len(raw) > MAX_DOCUMENT_BYTES:
        message = N_("is larger than 1 MB (%(size)s bytes; the limit is %(limit)s)")
        too_big = Message.of(message, size=len(raw), limit=MAX_DOCUMENT_BYTES)
        raise ScorecardSchemaError([SchemaProblem(DOCUMENT, too_big)])
    return validate_scorecard_data(_load_yaml(text))


def _load_yaml(text: str | bytes) -> object:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        problem = _yaml_problem(exc)
    except RecursionError:
        problem = SchemaProblem(DOCUMENT, Message(N_("is nested too deeply")))
    except ValueError as exc:  # a date-like or tagged scalar the YAML constructor cannot build
        message = N_("has a value YAML cannot read: %(reason)s")
        problem = SchemaProblem(DOCUMENT, Message.of(message, reason=str(exc).split(";")[0]))
    raise ScorecardSchemaError([problem])


def _yaml_problem(exc: yaml.YAMLError) -> SchemaProblem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    reason = (
        getattr(exc, "problem", None) or getattr(exc, "context", None) or " ".join(str(exc).split())
    )
    if mark is None:
        return SchemaProblem(
            DOCUMENT, Message.of(N_("is not valid YAML: %(reason)s"), reason=reason)
        )
    message = N_("is not valid YAML: %(reason)s (line %(line)s, column %(column)s)")
    located = Message.of(message, reason=reason, line=mark.line + 1, column=mark.column + 1)
    return SchemaProblem(DOCUMENT, located)


def validate_scorecard_data(data: object) -> ScorecardDoc:
    """Validate already-loaded data (from YAML or JSON) into a scorecard."""
    if not isinstance(data, Mapping):
        message = N_("the top level must be a mapping of keys to values, not %(kind)s")
        raise ScorecardSchemaError(
            [SchemaProblem(DOCUMENT, Message.of(message, kind=describe(data)))]
        )
    problems = Problems()
    doc = _scorecard(Fields(data, "", problems))
    if problems.items:
        raise ScorecardSchemaError(problems.items)
    return doc


def _scorecard(fields: Fields) -> ScorecardDoc:
    fields.check_keys(_TOP_KEYS, _TOP_REQUIRED)
    return ScorecardDoc(
        schema_version=fields.get("schema_version", 0, version),
        slug=fields.get("slug", "", slug),
        name=fields.get("name", "", text, max_len=120),
        language=fields.get("language", "en", language),
        description=fields.get("description", "", text, max_len=2000, optional=True),
        channels=fields.get("channels", (), channels),
        pass_mark=fields.get(
            "pass_mark", DEFAULT_PASS_MARK, number, low=0, high=100, low_open=False
        ),
        scale=fields.get("scale", DEFAULT_SCALE, point_texts, points=SCALE_POINTS, max_len=40),
        sections=fields.get("sections", (), _sections),
    )


def _sections(value: object, path: str, problems: Problems) -> tuple[SectionDoc, ...]:
    items = sequence(value, path, problems, max_items=MAX_SECTIONS)
    if items is None:
        return ()
    sections = tuple(_section(item, join(path, i), problems) for i, item in enumerate(items))
    total = sum(len(section.criteria) for section in sections)
    if total == 0:
        problems.add(path, N_("a scorecard needs at least one criterion"))
    elif total > MAX_CRITERIA:
        message = N_("a scorecard may have at most %(max)s criteria (got %(count)s)")
        problems.add(path, message, max=MAX_CRITERIA, count=total)
    names = ((f"{path}[{i}].name", s.name) for i, s in enumerate(sections))
    check_unique(names, N_("duplicate section name '%(name)s' (also at %(first)s)"), problems)
    criteria = (
        (f"{path}[{i}].criteria[{j}].name", c.name)
        for i, s in enumerate(sections)
        for j, c in enumerate(s.criteria)
    )
    check_unique(criteria, N_("duplicate criterion name '%(name)s' (also at %(first)s)"), problems)
    return sections


def _section(value: object, path: str, problems: Problems) -> SectionDoc:
    fields = mapping(value, path, problems)
    if fields is None:
        return SectionDoc(name="", criteria=())
    fields.check_keys(_SECTION_KEYS, _SECTION_KEYS)
    return SectionDoc(
        name=fields.get("name", "", text, max_len=120),
        criteria=fields.get("criteria", (), _criteria),
    )


def _criteria(value: object, path: str, problems: Problems) -> tuple[CriterionDoc, ...]:
    items = sequence(value, path, problems, max_items=MAX_CRITERIA)
    if items is None:
        return ()
    if not items:
        problems.add(path, N_("a section needs at least one criterion"))
    return tuple(_criterion(item, join(path, i), problems) for i, item in enumerate(items))


def _criterion(value: object, path: str, problems: Problems) -> CriterionDoc:
    fields = mapping(value, path, problems)
    if fields is None:
        return CriterionDoc(name="", description="", anchors=())
    fields.check_keys(_CRITERION_KEYS, _CRITERION_REQUIRED)
    return CriterionDoc(
        name=fields.get("name", "", text, max_len=120),
        description=fields.get("description", "", text, max_len=2000),
        weight=fields.get("weight", DEFAULT_WEIGHT, number, low=0, high=100, low_open=True),
        allow_na=fields.get("allow_na", False, flag),
        critical=fields.get("critical", False, flag),
        anchors=fields.get("anchors", (), point_texts, points=ANCHOR_POINTS, max_len=1000),
        coaching_tips=fields.get("coaching_tips", "", text, max_len=2000, optional=True),
    )


def dump_scorecard_yaml(doc: ScorecardDoc) -> str:
    """Serialise a scorecard to YAML text that ``parse_scorecard_yaml`` reads back unchanged."""
    return yaml.safe_dump(_scorecard_data(doc), allow_unicode=True, sort_keys=False)


def _scorecard_data(doc: ScorecardDoc) -> dict[str, object]:
    data: dict[str, object] = {
        "schema_version": doc.schema_version,
        "slug": doc.slug,
        "name": doc.name,
        "language": doc.language,
    }
    if doc.description:
        data["description"] = doc.description
    data["channels"] = list(doc.channels)
    data["pass_mark"] = doc.pass_mark
    data["scale"] = dict(sorted(doc.scale, reverse=True))
    data["sections"] = [
        {"name": s.name, "criteria": [_criterion_data(c) for c in s.criteria]} for s in doc.sections
    ]
    return data


def _criterion_data(criterion: CriterionDoc) -> dict[str, object]:
    data: dict[str, object] = {
        "name": criterion.name,
        "description": criterion.description,
        "weight": criterion.weight,
        "allow_na": criterion.allow_na,
        "critical": criterion.critical,
        "anchors": dict(sorted(criterion.anchors)),
    }
    if criterion.coaching_tips:
        data["coaching_tips"] = criterion.coaching_tips
    return data


def list_shipped_templates(directory: Path = SHIPPED_DIR) -> list[Path]:
    """The template files (``*.yaml``) in ``directory``, sorted by name."""
    return sorted(path for path in Path(directory).glob("*.yaml") if path.is_file())


def shipped_name(path: Path | str) -> tuple[str, str | None]:
    """The slug and language a template's file name gives: ``phone.yaml``, ``phone.hu.yaml``.

    A translation shares the slug of the template it translates and names its language.
    """
    slug, _, language = Path(path).stem.partition(".")
    return slug, language or None


def load_shipped_template(path: Path | str) -> ScorecardDoc:
    """Load a template we ship: the schema, plus a slug and language matching the file name."""
    path = Path(path)
    doc = parse_scorecard_yaml(path.read_bytes())
    problems = Problems()
    slug, language = shipped_name(path)
    if doc.slug != slug:
        message = N_("must equal the file name '%(stem)s' in a shipped template")
        problems.add("slug", message, stem=slug)
    if language is not None and doc.language != language:
        message = N_("must be '%(language)s', the language in the file name of a shipped template")
        problems.add("language", message, language=language)
    for i, section in enumerate(doc.sections):
        for j, criterion in enumerate(section.criteria):
            if not criterion.coaching_tips:
                where = f"sections[{i}].criteria[{j}].coaching_tips"
                problems.add(where, N_("must not be empty in a shipped template"))
    if problems.items:
        raise ScorecardSchemaError(problems.items)
    return doc
