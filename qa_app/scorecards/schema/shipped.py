"""The scorecard templates we ship in the top-level ``scorecards/`` folder, with stricter rules."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .checks import N_, Problems
from .documents import ScorecardDoc, ScorecardSchemaError
from .reading import parse_scorecard_yaml

SHIPPED_DIR = Path(__file__).resolve().parents[3] / "scorecards"


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
    """Load a template we ship: the schema, plus a slug and language matching the file name.

    Documents are immutable, so a file read once is kept until it changes on disk.
    """
    found = Path(path).resolve().stat()
    return _load_shipped(str(Path(path).resolve()), found.st_mtime_ns, found.st_size)


@lru_cache(maxsize=32)
def _load_shipped(name: str, _mtime_ns: int, _size: int) -> ScorecardDoc:
    path = Path(name)
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
