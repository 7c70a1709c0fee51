"""The progress callback of a job, drawn as a bar on the terminal for the command-line runs."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click


@contextmanager
def terminal_progress(total: int, label: str) -> Iterator[Callable[[int], None]]:
    """A callback taking the units done so far (as a job's Progress does), drawing a bar on stderr.

    Click draws nothing but the label when stderr is not a terminal.
    """
    with click.progressbar(length=max(total, 1), label=label, file=sys.stderr) as bar:

        def report(done: int) -> None:
            bar.update(max(0, min(done, total) - bar.pos))

        yield report
