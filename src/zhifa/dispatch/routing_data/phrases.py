"""What people say about each penalty item of the demo catalog (``zhifa/catalog/demo_items.py``):
short colloquial descriptions of the problem, without the place, the voice or the request (the
generator adds those). The phrasings live in ``phrases.txt``, one per line.

``PHRASES[code] = (nuisance, lines)``: ``nuisance`` picks the generic complaints added to a text
(noise keeps people awake, smoke chokes…). The **last** line of an item with four or more lines is
held out: it appears only in dev and test texts, so the test split measures phrasings the model
never saw. Plain data, no Django.
"""

from __future__ import annotations

from pathlib import Path

NUISANCES = (
    "noise",
    "smoke",
    "smell",
    "block",
    "dirty",
    "build",
    "safety",
    "food",
    "money",
    "water",
    "land",
    "forest",
    "health",
    "other",
)

#: Lines an item needs before its last one is held out for dev and test.
HOLD_OUT_FROM = 4


def parse(text: str) -> dict[str, tuple[str, list[str]]]:
    """``[code nuisance]`` starts an item's lines, ``[+code]`` adds lines to an item given before;
    blank lines and lines starting with ``#`` are skipped."""
    phrases: dict[str, tuple[str, list[str]]] = {}
    current = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            head = line[1:-1]
            if head.startswith("+"):
                current = head[1:]
                if current not in phrases:
                    raise ValueError(
                        f"phrases.txt line {number}: more lines for {current}, given before its item"
                    )
            else:
                current, nuisance = head.split()
                if nuisance not in NUISANCES:
                    raise ValueError(f"phrases.txt line {number}: unknown nuisance {nuisance}")
                phrases[current] = (nuisance, [])
            continue
        if current is None:
            raise ValueError(f"phrases.txt line {number}: a phrasing before any item")
        phrases[current][1].append(line)
    return phrases


PHRASES: dict[str, tuple[str, list[str]]] = parse(
    (Path(__file__).with_name("phrases.txt")).read_text("utf-8")
)


def shared_and_held_out(code: str) -> tuple[list[str], list[str]]:
    """(phrasings any split may use, phrasings only dev and test use)."""
    lines = PHRASES[code][1]
    if len(lines) >= HOLD_OUT_FROM:
        return lines[:-1], lines[-1:]
    return lines, []
