#!/usr/bin/env python3
"""Check a published 双随机 draw of zhifa yourself, with the Python standard library only.

Download the draw's inputs from its public page (``…/inspections/public/draw/<plan>/?format=json``)
and run::

    python3 verify_draw.py draw-12-1.json

It checks, without any code of the platform:

1. the inputs are those published: their SHA-256 (canonical JSON) equals the published digest;
2. the seed was fixed before the draw: the SHA-256 of the revealed secret equals the commitment
   published with the plan, and the seed is ``plan|date|secret`` (``|第N轮`` for a re-draw);
3. the result follows from the inputs: the parties of each risk colour are drawn with
   ``random.Random(seed + "|" + colour)`` from the candidates sorted by id (the colour's ratio of
   them, rounded up); the inspectors of each party with ``random.Random(seed + "|officers|" + party)``
   (a partner department's with ``…|officers|<department>|<party>``) among the officers who on the
   draw's date hold a valid certificate, are not auxiliary staff and did not inspect that party last
   time: for each domain of the plan, scarcest first, at least two certified for it; at least two in all
   (行政处罚法第四十二条、第五十五条).

Exit status 0 when everything agrees; the first disagreement is printed otherwise.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import random
import sys

MIN_OFFICERS = 2


def canonical(data) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def draw_parties(candidates: list[list], ratios: dict[str, float], seed: str) -> list[int]:
    by_color: dict[str, list[int]] = {}
    for party_id, color in candidates:
        by_color.setdefault(color, []).append(party_id)
    drawn = []
    for color in sorted(ratios):
        pool = sorted(by_color.get(color, ()))
        drawn += random.Random(f"{seed}|{color}").sample(pool, math.ceil(ratios[color] * len(pool)))
    return drawn


def _valid(certificate: dict, day: dt.date) -> bool:
    return certificate["active"] and certificate["from"] <= day.isoformat() <= certificate["to"]


def draw_officers(officers: list[dict], seed: str, day: dt.date, domains: list[str], previous: list[int]) -> list[int]:
    rng = random.Random(seed)
    pool = sorted((o for o in officers if o["id"] not in set(previous) and not o["auxiliary"]
                   and any(_valid(c, day) for c in o["certificates"])), key=lambda o: o["id"])
    covers = {o["id"]: {d for c in o["certificates"] if _valid(c, day) for d in c["domains"]} for o in pool}

    def able(domain: str) -> list[int]:
        return [oid for oid, held in covers.items() if domain in held]

    drawn: list[int] = []
    for domain in sorted(set(domains), key=lambda d: (len(able(d)), d)):
        eligible = able(domain)
        if len(eligible) < MIN_OFFICERS:
            raise ValueError(f"too few officers for {domain}")
        missing = MIN_OFFICERS - sum(1 for oid in drawn if domain in covers[oid])
        if missing > 0:
            drawn += rng.sample([oid for oid in eligible if oid not in drawn], missing)
    if len(drawn) < MIN_OFFICERS:
        drawn += rng.sample([o["id"] for o in pool if o["id"] not in drawn], MIN_OFFICERS - len(drawn))
    return drawn


def recompute(inputs: dict) -> dict:
    seed, day = inputs["seed"], dt.date.fromisoformat(inputs["day"])
    parties = draw_parties(inputs["parties"], inputs["ratios"], seed)
    previous = inputs.get("previous", {})

    def staff(officers, domains, prefix):
        return {str(p): draw_officers(officers, f"{prefix}{p}", day, domains, previous.get(str(p), [])) for p in parties}

    result = {"parties": parties, "officers": staff(inputs["officers"], inputs["domains"], f"{seed}|officers|")}
    if inputs.get("partners"):
        result["partners"] = {str(p["id"]): staff(p["officers"], p["domains"], f"{seed}|officers|{p['id']}|")
                              for p in inputs["partners"]}
    return result


def verify(published: dict) -> list[str]:
    """Every disagreement between a published draw and what its inputs give (empty: it holds)."""
    inputs = published["inputs"]
    problems = []
    if hashlib.sha256(canonical(inputs).encode("utf-8")).hexdigest() != published["inputs_digest"]:
        problems.append("inputs: SHA-256 differs from the published digest")
    secret = inputs["nonce"]
    if hashlib.sha256(secret.encode("utf-8")).hexdigest() != published["commitment"]:
        problems.append("secret: SHA-256 differs from the commitment published with the plan")
    seed = f"{inputs['plan']}|{inputs['day']}|{secret}"
    if inputs.get("round", 1) > 1:
        seed += f"|第{inputs['round']}轮"
    if seed != inputs["seed"] or seed != published["seed"]:
        problems.append("seed: not plan|date|secret")
    if canonical(recompute(inputs)) != canonical(published["result"]):
        problems.append("result: recomputing the inputs gives another result")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        problems = verify(json.load(handle))
    for problem in problems:
        print("DIFFERS", problem)
    if not problems:
        print("OK: the draw follows from its published inputs and its seed was committed before it")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
