"""The audit anchor: the chain head exported outside the database, signed.

The hash chain shows an edited or removed row in the middle, but not a shortened or recomputed
tail: whoever can write the table can delete the last rows, or rewrite them and hash again. So at
fixed intervals (Celery beat, ``ZHIFA_AUDIT_ANCHOR_MINUTES``) and on demand (``manage.py
anchor_audit``) the head — the last ``seq`` and its ``hash`` — is signed with HMAC-SHA256 under
``ZHIFA_AUDIT_ANCHOR_KEY`` (an environment variable: the key is not in the database) and appended
as one JSON line to ``ZHIFA_AUDIT_ANCHOR_PATH``, a file the application opens only to append — in
production on another volume, shipped to object storage with a retention lock
(docs/operations.md). :func:`verify` then checks every signed anchor against the chain: an anchor
whose ``seq`` is missing shows a deleted tail, one whose hash differs shows a recomputed chain.

Key rotation: a new key signs new anchors; old keys stay listed in
``ZHIFA_AUDIT_ANCHOR_OLD_KEYS`` (comma-separated) so earlier anchors still verify. Each anchor
names its key by ``key_id`` (the first 16 hex digits of the key's SHA-256).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from .audit import canonical_json, district_head, heads, verify_chain
from .models import AuditEvent


class AnchorKeyMissing(RuntimeError):
    pass


def key_id(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _keys() -> dict[str, str]:
    keys = [settings.ZHIFA_AUDIT_ANCHOR_KEY, *getattr(settings, "ZHIFA_AUDIT_ANCHOR_OLD_KEYS", [])]
    return {key_id(k): k for k in keys if k}


def _sign(key: str, record: dict) -> str:
    return hmac.new(key.encode("utf-8"), canonical_json(record).encode("utf-8"), hashlib.sha256).hexdigest()


def anchor_path() -> Path:
    return Path(settings.ZHIFA_AUDIT_ANCHOR_PATH)


def export(reason: str = "scheduled") -> dict:
    """Sign the current chain head and append it to the anchor file; the line written."""
    key = settings.ZHIFA_AUDIT_ANCHOR_KEY
    if not key:
        raise AnchorKeyMissing("ZHIFA_AUDIT_ANCHOR_KEY is not set: cannot sign an audit anchor")
    chain_heads = heads()
    first = chain_heads[0] if chain_heads and chain_heads[0][0] == 0 else (0, 0, "")
    record = {
        "seq": first[1],
        "hash": first[2],
        "heads": [list(h) for h in chain_heads],
        "head": district_head(chain_heads),
        "at": timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds"),
        "reason": reason[:100],
        "key_id": key_id(key),
    }
    record["signature"] = _sign(key, record)
    path = anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    # O_APPEND: each write lands at the end, whole, even with several writers; nothing is rewritten.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)
    return record


@dataclass(frozen=True)
class Problem:
    seq: int | None
    reason: str


def read(path: Path | None = None) -> tuple[list[dict], list[Problem]]:
    """The anchors whose signature verifies, and a problem for each line that does not."""
    path = path or anchor_path()
    anchors: list[dict] = []
    problems: list[Problem] = []
    if not path.exists():
        return anchors, problems
    keys = _keys()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            signature = record.pop("signature")
            key = keys.get(record.get("key_id"))
        except (ValueError, KeyError, AttributeError):
            problems.append(Problem(None, f"锚点文件第 {number} 行无法解析"))
            continue
        if key is None:
            problems.append(
                Problem(record.get("seq"), f"锚点文件第 {number} 行的密钥（{record.get('key_id')}）未配置")
            )
        elif not hmac.compare_digest(signature, _sign(key, record)):
            problems.append(Problem(record.get("seq"), f"锚点文件第 {number} 行签名不符（锚点被篡改）"))
        else:
            anchors.append(record)
    return anchors, problems


def verify(path: Path | None = None) -> tuple[int, list[Problem]]:
    """Walk the chain, then hold it against every signed anchor. Returns the events checked and
    every problem found (empty: the chain is whole and no exported head was lost or rewritten)."""
    checked, broken = verify_chain()
    problems = [Problem(broken.seq, broken.reason)] if broken else []
    anchors, anchor_problems = read(path)
    problems.extend(anchor_problems)
    wanted: dict[tuple[int, int], dict] = {}
    for anchor in anchors:
        for chain, seq, hash_ in anchor.get("heads") or [[0, anchor["seq"], anchor["hash"]]]:
            if seq:
                wanted[(chain, seq)] = {**anchor, "hash": hash_}
    last = dict(AuditEvent.objects.values_list("chain").annotate(Max("seq")))
    stored = {}
    for chain in {c for c, _ in wanted}:
        seqs = [s for c, s in wanted if c == chain]
        stored.update(
            {
                (chain, s): h
                for s, h in AuditEvent.objects.filter(chain=chain, seq__in=seqs).values_list("seq", "hash")
            }
        )
    for (chain, seq), anchor in sorted(wanted.items()):
        label = f"第 {chain} 链第 {seq} 条" if chain else f"第 {seq} 条"
        if seq > last.get(chain, 0):
            problems.append(
                Problem(
                    seq,
                    f"链尾被删除：{anchor['at']} 导出的锚点在{label}，现在链只到第 {last.get(chain, 0)} 条",
                )
            )
        elif stored.get((chain, seq)) != anchor["hash"]:
            problems.append(Problem(seq, f"链被重算：{label}的哈希与 {anchor['at']} 导出的锚点不符"))
    return checked, problems


def last_anchor_age_seconds(path: Path | None = None) -> float | None:
    """Seconds since the newest anchor line was written (the file's modification time), or None."""
    path = path or anchor_path()
    try:
        return max(0.0, timezone.now().timestamp() - path.stat().st_mtime)
    except FileNotFoundError:
        return None
