"""Citing provisions: the laws, ``Ref`` (article, paragraph, item) and ``cite``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

PENALTY_LAW = "行政处罚法"
COMPULSION_LAW = "行政强制法"
RECONSIDERATION_LAW = "行政复议法"
LITIGATION_LAW = "行政诉讼法"
#: 最高人民法院关于适用《中华人民共和国行政诉讼法》的解释 (法释〔2018〕1号)
LITIGATION_INTERPRETATION = "行政诉讼法解释"

_DIGITS = "零一二三四五六七八九"


def _cn(n: int) -> str:
    """Chinese numeral for 1–999 as used in article numbers (第一百五十六条)."""
    if not 0 < n < 1000:
        raise ValueError(n)
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _DIGITS[hundreds] + "百"
        if rest and tens == 0:
            return out + "零" + _DIGITS[ones]
        if tens:
            out += _DIGITS[tens] + "十"
    elif tens:
        out += ("" if tens == 1 else _DIGITS[tens]) + "十"
    if ones:
        out += _DIGITS[ones]
    return out


@dataclass(frozen=True)
class Ref:
    """One provision: law, article, optional paragraph (款) and item (项)."""

    article: int
    paragraph: int | None = None
    item: int | None = None
    law: str = PENALTY_LAW

    @property
    def key(self) -> str:
        """Machine form: ``行政处罚法:45.2`` (art. 45 para 2), ``行政处罚法:64(1)`` (art. 64 item 1)."""
        out = f"{self.law}:{self.article}"
        if self.paragraph:
            out += f".{self.paragraph}"
        if self.item:
            out += f"({self.item})"
        return out

    @property
    def text(self) -> str:
        out = f"第{_cn(self.article)}条"
        if self.paragraph:
            out += f"第{_cn(self.paragraph)}款"
        if self.item:
            out += f"第{_cn(self.item)}项"
        return out


def _A(article: int, paragraph: int | None = None, item: int | None = None) -> Ref:
    return Ref(article, paragraph, item, PENALTY_LAW)


def _C(article: int, paragraph: int | None = None, item: int | None = None) -> Ref:
    return Ref(article, paragraph, item, COMPULSION_LAW)


def cite(refs: Iterable[Ref]) -> str:
    """``《行政处罚法》第四十二条、第五十五条；《行政强制法》第五十三条``."""
    groups: dict[str, list[str]] = {}
    for ref in refs:
        groups.setdefault(ref.law, []).append(ref.text)
    return "；".join(f"《{law}》" + "、".join(texts) for law, texts in groups.items())


def ref_matches(key: str, expected: str) -> bool:
    """Whether provision ``key`` is (within) ``expected``: ``行政处罚法:64(1)`` matches ``行政处罚法:64``."""
    return key == expected or (key.startswith(expected) and key[len(expected)] in ".(")
