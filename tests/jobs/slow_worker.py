"""A jobs worker for the kill test: reports progress every 5 rows and sleeps at each report,
so that a small import runs for seconds. Started as a script by tests/jobs/test_worker.py."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from qa_app import create_app  # noqa: E402
from qa_app.interactions import services as interactions  # noqa: E402
from qa_app.jobs import services as jobs  # noqa: E402

interactions.PROGRESS_ROWS = 5
_report = jobs.Progress.__call__


def _slow_report(self: jobs.Progress, done: int) -> None:
    time.sleep(0.2)
    _report(self, done)


jobs.Progress.__call__ = _slow_report  # type: ignore[method-assign]

if __name__ == "__main__":
    app = create_app()
    with app.app_context():
        consumer = jobs.queue().create_consumer(workers=1, worker_type="thread", periodic=False)
    consumer.run()
