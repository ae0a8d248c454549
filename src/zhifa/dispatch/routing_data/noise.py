"""The ways real complaint texts differ from clean ones: homophone typos (same pinyin, and the
southern accent's z/zh, s/sh, c/ch, n/l, en/eng, in/ing confusions), shape typos (形近字) and
dialect or colloquial words. Deterministic for a given ``random.Random``. No Django.

Homophones come from pypinyin's character table, limited to the 3,500 characters most used in
jieba's word-frequency dictionary (people mistype into common characters).
"""

from __future__ import annotations

import random
import re
import threading
from collections import Counter, defaultdict
from pathlib import Path

HAN = re.compile(r"[\u4e00-\u9fff]")

#: 形近字: pairs people (and handwriting input) confuse. Either side may replace the other.
SHAPE_PAIRS = (
    "己已 未末 土士 人入 拨拔 侯候 贷货 辨辩 析折 历厉 堆推 摊滩 噪燥 躁燥 吵抄 烟姻 燃然 建健 垃拉 圾级 渣查 "
    "扰忧 饭饮 铺浦 楼搂 搭塔 捕铺 伐代 河何 沙砂 挖控 烧浇 秸桔 秆杆 油由 喇刺 装妆 钻站 摆罢 卖买 贴帖 "
    "涂徐 晾凉 栏拦 桶捅 罐灌 料科 鱼渔 证正 诊珍 施旅 噪澡 扬杨 灰恢 篷蓬 撒撤 洒酒 堤提 塘唐 井并 违韦 "
    "章彰 棚硼 臭具 熏薰 营菅 经径 道遒 店占 排俳 污圬 暗喑 管菅 废度 车东 厂广 房防 院完 犬大 鸡鸭 牌脾"
).split()

#: (standard, dialect or colloquial): Wu and 衢州 speech as people type it. The first
#: ``SHARED_DIALECT`` pairs may appear in any split; the rest only in dev and test.
DIALECT = (
    ("很", "蛮"),
    ("不知道", "弗晓得"),
    ("知道", "晓得"),
    ("吗", "伐"),
    ("这个", "格个"),
    ("那个", "嗰个"),
    ("吵死了", "吵煞了"),
    ("臭死了", "臭煞了"),
    ("没有", "呒没"),
    ("晚上", "夜里"),
    ("什么", "啥西"),
    ("我们", "阿拉"),
    ("小孩", "小人"),
    ("东西", "物事"),
    ("他", "渠"),
    # held out
    ("非常", "交关"),
    ("不", "弗"),
    ("都", "侪"),
    ("厉害", "结棍"),
    ("一点", "一眼眼"),
    ("早上", "天亮头"),
    ("怎么", "哪亨"),
    ("她", "佢"),
    ("这里", "格里"),
    ("那里", "嗰里"),
)
SHARED_DIALECT = 15

#: Colloquial endings and fillers (the first half shared, the second only in dev and test).
PARTICLES = ("哦", "啊", "呀", "嘛", "啦", "的嘞", "哈", "咯", "哟", "噻")
SHARED_PARTICLES = 5

COMMON_CHARS = 3500

_tables: tuple[dict[str, list[str]], dict[str, str], dict[str, list[str]]] | None = None
_lock = threading.Lock()


def _char_frequencies() -> Counter:
    import jieba

    counts: Counter = Counter()
    path = Path(jieba.__file__).with_name("dict.txt")
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                for ch in parts[0]:
                    if HAN.match(ch):
                        counts[ch] += int(parts[1])
    return counts


def _build_tables():
    from pypinyin import Style, lazy_pinyin

    common = [ch for ch, _ in _char_frequencies().most_common(COMMON_CHARS)]
    by_sound: dict[str, list[str]] = defaultdict(list)
    sound_of: dict[str, str] = {}
    for ch in common:  # most frequent first
        sound = lazy_pinyin(ch, style=Style.NORMAL)[0]
        if sound and sound.isalpha():
            by_sound[sound].append(ch)
            sound_of[ch] = sound
    shapes: dict[str, list[str]] = defaultdict(list)
    for pair in SHAPE_PAIRS:
        a, b = pair[0], pair[1]
        shapes[a].append(b)
        shapes[b].append(a)
    return dict(by_sound), sound_of, dict(shapes)


def tables():
    global _tables
    with _lock:
        if _tables is None:
            _tables = _build_tables()
        return _tables


ACCENT_RULES = (
    ("zh", "z"),
    ("ch", "c"),
    ("sh", "s"),
    ("z", "zh"),
    ("c", "ch"),
    ("s", "sh"),
    ("n", "l"),
    ("l", "n"),
    ("h", "f"),
    ("f", "h"),
)
FINAL_RULES = (("ing", "in"), ("in", "ing"), ("eng", "en"), ("en", "eng"), ("ang", "an"), ("an", "ang"))


def _accented(sound: str) -> list[str]:
    """Sounds a southern speaker may type for ``sound`` (initials and finals confused)."""
    out = []
    for a, b in ACCENT_RULES:
        if sound.startswith(a) and not (a in ("z", "c", "s") and sound.startswith(a + "h")):
            out.append(b + sound[len(a) :])
    for a, b in FINAL_RULES:
        if sound.endswith(a) and not (a in ("in", "en", "an") and sound.endswith(a[:-1] + "ng")):
            out.append(sound[: -len(a)] + b)
    return out


def typo_for(ch: str, rng: random.Random) -> str | None:
    """A plausible mistyped character for ``ch``, or None if none is known."""
    by_sound, sound_of, shapes = tables()
    roll = rng.random()
    if roll < 0.2 and ch in shapes:
        return rng.choice(shapes[ch])
    sound = sound_of.get(ch)
    if sound is None:
        return rng.choice(shapes[ch]) if ch in shapes else None
    if roll < 0.45:
        candidates = [c for s in _accented(sound) for c in by_sound.get(s, [])[:6]]
        if candidates:
            return rng.choice(candidates)
    candidates = [c for c in by_sound.get(sound, [])[:10] if c != ch]
    return rng.choice(candidates) if candidates else None


def add_typos(text: str, rng: random.Random, count: int, *, span: tuple[int, int] | None = None) -> str:
    """Replace ``count`` Han characters with typos; most of them inside ``span`` (the problem)."""
    chars = list(text)
    positions = [i for i, ch in enumerate(chars) if HAN.match(ch)]
    inside = [i for i in positions if span and span[0] <= i < span[1]]
    done: set[int] = set()
    for _ in range(count * 4):
        if len(done) >= count or not positions:
            break
        pool = inside if inside and rng.random() < 0.75 else positions
        i = rng.choice(pool)
        if i in done:
            continue
        typo = typo_for(chars[i], rng)
        if typo:
            chars[i] = typo
            done.add(i)
    return "".join(chars)


def dialect(text: str, rng: random.Random, *, held_out: bool, rate: float = 0.7) -> str:
    """Swap standard words for dialect ones (each occurrence with probability ``rate``)."""
    pairs = DIALECT if held_out else DIALECT[:SHARED_DIALECT]
    for standard, local in pairs:
        if standard in text and rng.random() < rate:
            text = text.replace(standard, local, 1 if rng.random() < 0.5 else -1)
    return text


def particle(rng: random.Random, *, held_out: bool) -> str:
    return rng.choice(PARTICLES if held_out else PARTICLES[:SHARED_PARTICLES])
