"""Auto QA rules at scale: 100,000 chat interactions of 20 turns against a ten-rule scorecard.

Writes the interactions as JSON lines to a temporary file (streamed: never all in memory), then
reads them back twice: a bare pass that only parses and tokenises every turn, and the real pass
that builds each interaction, runs the ten rules and computes the auto score. Prints both rates,
their ratio, and the process's peak memory after a tenth of the data and at the end (flat if the
two agree). Run: `python benchmarks/autoqa_rules.py [count]` (default 100000).
"""

from __future__ import annotations

import json
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa_app.rules import Interaction, Metrics, Speaker, Turn, auto_score, compile_rules, suggest_all  # noqa: E402
from qa_app.rules.text import tokens  # noqa: E402
from qa_app.scoring import CriterionSpec  # noqa: E402

TURNS = 20
SPEAKERS = {speaker.value: speaker for speaker in Speaker}
SENTENCES = {
    "en": [
        "Hello and welcome to the support team, my name is Anna.",
        "I am sorry for the wait, we apologise for the trouble.",
        "Could you please send me the order number?",
        "I understand how frustrating this must be for you.",
        "I have checked the parcel and it left the warehouse yesterday.",
        "Is there anything else I can help you with today?",
        "Thank you for contacting us, have a lovely day!",
        "The refund was issued and should arrive within five working days.",
    ],
    "hu": [
        "Jó napot kívánok, köszönjük, hogy megkeresett minket.",
        "Elnézést kérünk a várakozásért.",
        "Megadná kérem a rendelésszámot?",
        "Értem, hogy ez mennyire bosszantó lehet.",
        "A csomag tegnap elhagyta a raktárt.",
        "Segíthetek még valamiben?",
        "Köszönöm a türelmét, további szép napot!",
    ],
    "el": [
        "Καλημέρα σας, ευχαριστούμε που επικοινωνήσατε μαζί μας.",
        "Ζητούμε συγγνώμη για την αναμονή.",
        "Μπορείτε να μου στείλετε τον αριθμό παραγγελίας;",
        "Καταλαβαίνω πόσο ενοχλητικό είναι αυτό.",
        "Το δέμα έφυγε χθες από την αποθήκη.",
        "Μπορώ να σας βοηθήσω σε κάτι άλλο;",
        "Σας ευχαριστώ για την υπομονή σας, καλή συνέχεια!",
    ],
}
CUSTOMER = [
    "Hi, my order {n} has not arrived.",
    "Szia, a {n} rendelésem hol van?",
    "Γεια, η παραγγελία {n} δεν ήρθε.",
]


def phrases(mode: str, en: list[str], hu: list[str], el: list[str], **extra: Any) -> dict[str, Any]:
    return {"kind": "phrases", "mode": mode, "phrases": {"en": en, "hu": hu, "el": el}, **extra}


def limits(*steps: tuple[float, int], otherwise: int = 1, key: str = "at_most") -> dict[str, Any]:
    return {"thresholds": [{key: limit, "point": p} for limit, p in steps], "otherwise": otherwise}


RULES = {
    "greeting": phrases(
        "required",
        ["welcome", "hello", "good morning"],
        ["jó napot", "üdvözlöm"],
        ["καλημέρα"],
        within="first",
        turns=2,
    ),
    "closing": phrases(
        "required",
        ["thank you for contacting", "have a lovely day", "anything else"],
        ["köszönöm a türelmét", "szép napot"],
        ["ευχαριστώ", "καλή συνέχεια"],
        within="last",
        turns=2,
    ),
    "apology": phrases(
        "required",
        ["apologise", "apologize", "sorry for the wait"],
        ["elnézést kérek"],
        ["συγγνώμη"],
    ),
    "empathy": phrases(
        "required",
        ["understand how frustrating", "I understand"],
        ["értem", "sajnálom"],
        ["καταλαβαίνω"],
        ignore_accents=True,
    ),
    "rude": phrases(
        "forbidden", ["calm down", "not my problem", "whatever"], ["nyugodjon meg"], ["ηρεμήστε"]
    ),
    "wait": {
        "kind": "response_time",
        "measure": "longest_wait",
        "channels": {"chat": limits((60, 5), (120, 4), (300, 3), (600, 2))},
    },
    "first_reply": {
        "kind": "response_time",
        "measure": "first_reply",
        "channels": {"chat": limits((30, 5), (90, 3))},
    },
    "csat": {"kind": "metric", "metric": "csat", **limits((5, 5), (4, 4), (3, 3), key="at_least")},
    "fcr": {"kind": "metric", "metric": "first_contact_resolved", "yes": 5, "no": 2},
    "sentences": {
        "kind": "message_shape",
        "measure": "average_sentence",
        **limits((12, 5), (20, 3)),
    },
}
CRITERIA = [CriterionSpec(key, critical=key == "rude", allow_na=False) for key in RULES]


def generate(path: Path, count: int, seed: int = 7) -> None:
    """Write ``count`` interactions as JSON lines, one at a time."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for number in range(count):
            language = rng.choice(("en", "hu", "el"))
            clock, turns = 0.0, []
            for index in range(TURNS):
                clock += rng.uniform(2, 240)
                if index % 2:
                    text = " ".join(rng.sample(SENTENCES[language], rng.randint(1, 3)))
                    turns.append(["agent", text, round(clock, 1)])
                else:
                    turns.append(
                        [
                            "customer",
                            CUSTOMER[rng.randrange(3)].format(n=rng.randrange(10**6)),
                            round(clock, 1),
                        ]
                    )
            record = {
                "id": number,
                "channel": "chat",
                "language": language,
                "turns": turns,
                "csat": rng.choice((None, 1, 3, 4, 5)),
                "fcr": rng.choice((None, True, False)),
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def records(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as source:
        for line in source:
            yield json.loads(line)


def interaction(record: dict[str, Any]) -> Interaction:
    turns = tuple(Turn(SPEAKERS[speaker], text, at) for speaker, text, at in record["turns"])
    metrics = Metrics(csat=record["csat"], first_contact_resolved=record["fcr"])
    return Interaction(record["channel"], record["language"], turns, metrics)


def bare_pass(path: Path) -> tuple[int, float]:
    started, words = time.perf_counter(), 0
    for record in records(path):
        for _, text, _ in record["turns"]:
            words += len(tokens(text))
    return words, time.perf_counter() - started


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rules_pass(path: Path, checkpoint: int) -> tuple[int, float, list[tuple[int, float]]]:
    rules = compile_rules(RULES)
    started, done, peaks, scored = time.perf_counter(), 0, [], 0.0
    for record in records(path):
        result = auto_score(CRITERIA, suggest_all(rules, interaction(record)))
        scored += result.score or 0.0
        done += 1
        if done % checkpoint == 0:
            peaks.append((done, peak_mib()))
    return done, time.perf_counter() - started, peaks


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "interactions.jsonl"
        started = time.perf_counter()
        generate(path, count)
        size = path.stat().st_size / 2**20
        print(
            f"generated {count:,} interactions x {TURNS} turns ({size:.0f} MiB) in {time.perf_counter() - started:.1f} s"
        )
        print(f"peak memory before scoring: {peak_mib():.1f} MiB")
        done, seconds, peaks = rules_pass(path, max(count // 10, 1))
        for at, mib in (peaks[0], peaks[-1]):
            print(f"peak memory after {at:,} interactions: {mib:.1f} MiB")
        words, bare = bare_pass(path)
        print(
            f"bare pass (read + tokenise {words:,} words): {bare:.1f} s, {count / bare:,.0f} interactions/s"
        )
        print(f"ten rules + auto score: {seconds:.1f} s, {done / seconds:,.0f} interactions/s")
        print(f"ratio to the bare pass: {seconds / bare:.2f}x")


if __name__ == "__main__":
    main()
