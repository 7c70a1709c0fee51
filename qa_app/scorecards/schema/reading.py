"""Reading a scorecard document: YAML text or loaded data in, a validated ``ScorecardDoc`` out."""

from __future__ import annotations

from collections.abc import Mapping

import yaml

from .automation import criterion_rule
from .checks import (
    N_,
    Fields,
    Message,
    Problems,
    SchemaProblem,
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
from .documents import (
    ANCHOR_POINTS,
    DEFAULT_PASS_MARK,
    DEFAULT_SCALE,
    DEFAULT_WEIGHT,
    DOCUMENT,
    MAX_CRITERIA,
    MAX_DOCUMENT_BYTES,
    MAX_RULE_CHARS,
    MAX_SECTIONS,
    RULE,
    SCALE_POINTS,
    CriterionDoc,
    ScorecardDoc,
    ScorecardSchemaError,
    SectionDoc,
)

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
    "rule",
)
_CRITERION_REQUIRED = ("name", "description", "anchors")


def parse_scorecard_yaml(text: str | bytes) -> ScorecardDoc:
    """Parse YAML text (at most 1 MB) into a validated scorecard."""
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if len(raw) > MAX_DOCUMENT_BYTES:
        message = N_("is larger than 1 MB (%(size)s bytes; the limit is %(limit)s)")
        too_big = Message.of(message, size=len(raw), limit=MAX_DOCUMENT_BYTES)
        raise ScorecardSchemaError([SchemaProblem(DOCUMENT, too_big)])
    return validate_scorecard_data(_load_yaml(text))


class _RuleLoader(yaml.SafeLoader):
    """Safe YAML without aliases: a rule is short, and an alias could repeat a node many times."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(None, None, "aliases are not allowed here", mark)
        return super().compose_node(parent, index)


def parse_rule_yaml(text: str) -> object:
    """A rule typed alone in YAML, loaded (None when blank); problems have paths from ``rule``.

    At most MAX_RULE_CHARS characters and no aliases. The result still needs checking
    (``criterion_rule``).
    """
    if len(text) > MAX_RULE_CHARS:
        message = N_("is longer than %(limit)s characters")
        raise ScorecardSchemaError([SchemaProblem(RULE, Message.of(message, limit=MAX_RULE_CHARS))])
    if not text.strip():
        return None
    try:
        return _load_yaml(text, _RuleLoader)
    except ScorecardSchemaError as refused:
        raise ScorecardSchemaError([SchemaProblem(RULE, p.text) for p in refused.errors]) from None


def _load_yaml(text: str | bytes, loader: type[yaml.SafeLoader] = yaml.SafeLoader) -> object:
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
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
    allow_na = fields.get("allow_na", False, flag)
    return CriterionDoc(
        name=fields.get("name", "", text, max_len=120),
        description=fields.get("description", "", text, max_len=2000),
        weight=fields.get("weight", DEFAULT_WEIGHT, number, low=0, high=100, low_open=True),
        allow_na=allow_na,
        critical=fields.get("critical", False, flag),
        anchors=fields.get("anchors", (), point_texts, points=ANCHOR_POINTS, max_len=1000),
        coaching_tips=fields.get("coaching_tips", "", text, max_len=2000, optional=True),
        rule=fields.get("rule", None, criterion_rule, allow_na=allow_na),
    )
