"""Finding items by Chinese keywords: jieba segmentation and BM25 ranking, all in memory.

``TextIndex`` knows nothing about items, so the incident router can reuse it to match a
complaint's text to items. The item index is cached per process and rebuilt when the catalog's
version counter (``CatalogVersion``, bumped by every catalog write) has moved.
"""

from __future__ import annotations

import logging
import math
import threading
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable

import jieba

jieba.setLogLevel(logging.WARNING)

#: Words of enforcement practice that jieba's general dictionary splits; kept whole so that a
#: query "占道经营" matches the item whose keywords say 占道经营 better than any item that
#: merely mentions 经营.
DOMAIN_WORDS = (
    "占道经营",
    "店外经营",
    "出店经营",
    "流动摊贩",
    "违法建设",
    "违章建筑",
    "违章搭建",
    "乱搭乱建",
    "私搭乱建",
    "违法用地",
    "非法占地",
    "渣土",
    "建筑垃圾",
    "油烟",
    "噪声扰民",
    "乱倒垃圾",
    "乱贴乱画",
    "户外广告",
    "燃气",
    "瓶装燃气",
    "无证经营",
    "无照经营",
    "食品安全",
    "超限运输",
    "非法营运",
    "黑车",
    "露天焚烧",
    "散装水泥",
    "共享单车",
    "毁绿",
    "损坏绿地",
    "河道采砂",
    "非法采砂",
    "生活垃圾分类",
    "违规排污",
)
STOP_WORDS = frozenset("的 对 和 或 与 及 等 在 了 是 其 之 于 以 为 有 由 将 被 从 向 按".split())

_tokenizer: jieba.Tokenizer | None = None
_tokenizer_lock = threading.Lock()


def _jieba() -> jieba.Tokenizer:
    global _tokenizer
    with _tokenizer_lock:
        if _tokenizer is None:
            tokenizer = jieba.Tokenizer()
            for word in DOMAIN_WORDS:
                tokenizer.add_word(word, freq=50000)
            _tokenizer = tokenizer
    return _tokenizer


def tokenize(text: str) -> list[str]:
    """Search-mode tokens (a long word also yields its parts), lower-cased, without spaces,
    punctuation and function words."""
    tokens = []
    for token in _jieba().lcut_for_search(text or ""):
        token = token.strip().lower()
        if token and token not in STOP_WORDS and any(ch.isalnum() for ch in token):
            tokens.append(token)
    return tokens


class TextIndex:
    """Okapi BM25 over short documents. ``build`` once, ``search`` many times; immutable."""

    k1 = 1.5
    b = 0.75

    def __init__(self, ids: list[Hashable], lengths: list[int], postings: dict[str, list[tuple[int, int]]]):
        self.ids = ids
        self.lengths = lengths
        self.postings = postings
        self.avg_length = (sum(lengths) / len(lengths)) if lengths else 0.0

    @classmethod
    def build(cls, docs: Iterable[tuple[Hashable, str]]) -> TextIndex:
        ids, lengths, postings = [], [], defaultdict(list)
        for position, (doc_id, text) in enumerate(docs):
            counts = Counter(tokenize(text))
            ids.append(doc_id)
            lengths.append(sum(counts.values()))
            for term, tf in counts.items():
                postings[term].append((position, tf))
        return cls(ids, lengths, dict(postings))

    def __len__(self) -> int:
        return len(self.ids)

    def idf(self, term: str) -> float:
        df = len(self.postings.get(term, ()))
        return math.log(1 + (len(self.ids) - df + 0.5) / (df + 0.5))

    def search(self, query: str, k: int = 10) -> list[tuple[Hashable, float]]:
        """The ``k`` best documents for ``query`` as (id, score), best first; only documents
        sharing at least one term with the query."""
        scores: dict[int, float] = defaultdict(float)
        for term in set(tokenize(query)):
            idf = self.idf(term)
            for position, tf in self.postings.get(term, ()):
                norm = 1 - self.b + self.b * self.lengths[position] / (self.avg_length or 1)
                scores[position] += idf * tf * (self.k1 + 1) / (tf + self.k1 * norm)
        best = sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))[:k]
        return [(self.ids[position], round(score, 4)) for position, score in best]


# ---- the item index ----

_cache: tuple[str, TextIndex, frozenset[int]] | None = None
_cache_lock = threading.Lock()


def item_document(item) -> str:
    """What a query is matched against: the name and keywords twice (they say what the item is
    about), the legal bases once. Needs ``legal_bases`` prefetched."""
    bases = " ".join(f"{b.law} {b.text}" for b in item.legal_bases.all())
    return " ".join((item.name, item.name, item.keywords, item.keywords, item.domain.name, bases))


def _build_item_index() -> tuple[TextIndex, frozenset[int]]:
    from .models import EnforcementItem

    items = list(EnforcementItem.objects.select_related("domain").prefetch_related("legal_bases"))
    index = TextIndex.build((item.pk, item_document(item)) for item in items)
    return index, frozenset(item.pk for item in items if item.status == "in_force")


def item_index() -> tuple[TextIndex, frozenset[int]]:
    """The cached index of all items and the ids of those in force; rebuilt after a catalog write."""
    global _cache
    from .models import CatalogVersion

    version = CatalogVersion.objects.values_list("token", flat=True).first() or ""
    with _cache_lock:
        if _cache is None or _cache[0] != version:
            index, in_force = _build_item_index()
            _cache = (version, index, in_force)
        return _cache[1], _cache[2]


def search_item_ids(
    query: str, limit: int = 10, *, include_repealed: bool = False
) -> list[tuple[int, float]]:
    index, in_force = item_index()
    hits = index.search(query, k=len(index) if not include_repealed else limit)
    if not include_repealed:
        hits = [(pk, score) for pk, score in hits if pk in in_force]
    return hits[:limit]


def search_items(
    query: str, limit: int = 10, *, include_repealed: bool = False
) -> list[tuple[object, float]]:
    """Items best matching ``query`` as (item, score), best first."""
    from .models import EnforcementItem

    hits = search_item_ids(query, limit, include_repealed=include_repealed)
    items = EnforcementItem.objects.select_related("domain", "regulator").in_bulk([pk for pk, _ in hits])
    return [(items[pk], score) for pk, score in hits if pk in items]
