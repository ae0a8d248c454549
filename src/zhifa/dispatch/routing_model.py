"""The routing model: which enforcement item a complaint text is about, with a probability that
means what it says, and when to say "I don't know". Pure Python + scikit-learn, no Django.

Features of a text:

* character 1–3-grams (TF-IDF): Chinese needs no segmentation for them, and a typo spoils only the
  n-grams around it;
* pinyin syllables and syllable pairs (pypinyin, toneless): a homophone typo (站道 for 占道) has
  the same pinyin as the word meant;
* the catalog text index: the BM25 score of every item's document (name, keywords, domain, legal
  basis) for the text, scaled by the best one — what the catalog itself says about the text, so
  that words the labelled set never used still count.

A linear SVM (one-vs-rest) is trained on the labelled texts plus each item's name and keywords;
a class ``NONE`` stands for texts that match no item. Its scores are calibrated by temperature
scaling (``CalibratedClassifierCV(method="temperature")``) on the **dev** split, whose vocabulary
is partly unseen in training — as real texts are — so that a confidence of 0.8 is right about
eight times in ten. Below ``threshold`` (chosen on the dev split by the cost of a wrong
assignment against the cost of a manual triage) or when ``NONE`` is the most likely class, the
model abstains and the incident goes to manual triage with the two closest items.
"""

from __future__ import annotations

import hashlib
import io
import pickle
import re
import unicodedata
import warnings
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

NONE = "__none__"
#: A wrong automatic assignment (returned, reassigned, days lost) costs this many manual triages.
#: With calibrated probabilities the best threshold is then about 1 - 1/WRONG_COST.
WRONG_COST = 3.0
#: The threshold never goes below this, whatever the dev split says.
MIN_THRESHOLD = 0.35
#: Weights of the parts of the feature vector.
CATALOG_WEIGHT = 1.0
HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
NOT_TEXT = re.compile(r"[\s\d０-９，。！？、：；,.!?:;“”\"'（）()【】\[\]@#\-~～…—]+")


def _normalise(text: str) -> str:
    return NOT_TEXT.sub(" ", text or "")


_SYLLABLES: dict[str, str] = {}


def _syllable(ch: str) -> str:
    """The toneless pinyin of a character's first reading (pypinyin's table; a dictionary
    lookup, not pypinyin's phrase-aware conversion: 20× faster, and a polyphone read the same way
    in training and at use is all a feature needs)."""
    syllable = _SYLLABLES.get(ch)
    if syllable is None:
        from pypinyin.pinyin_dict import pinyin_dict

        raw = (pinyin_dict.get(ord(ch)) or "").split(",")[0]
        syllable = "".join(c for c in unicodedata.normalize("NFD", raw) if not unicodedata.combining(c))
        _SYLLABLES[ch] = syllable
    return syllable


def _pinyin(text: str) -> str:
    return " | ".join(" ".join(_syllable(ch) for ch in run) for run in HAN_RUN.findall(text or ""))


def _tfidf(vectorizer, analyzer, texts: Sequence[str]):
    """``vectorizer.transform(texts)`` (sublinear tf × idf, l2-normalised) without scikit-learn's
    per-call input checks — a third of the routing time for one text."""
    vocabulary, idf = vectorizer.vocabulary_, vectorizer.idf_
    indptr, indices, values = [0], [], []
    for text in texts:
        counts = Counter(j for term in analyzer(text) if (j := vocabulary.get(term)) is not None)
        if counts:
            cols = np.fromiter(counts, dtype=np.int64, count=len(counts))
            weights = (1.0 + np.log(np.fromiter(counts.values(), dtype=float, count=len(counts)))) * idf[cols]
            weights /= np.sqrt((weights * weights).sum())
            order = np.argsort(cols)
            indices.extend(cols[order].tolist())
            values.extend(weights[order].tolist())
        indptr.append(len(indices))
    return sp.csr_matrix((values, indices, indptr), shape=(len(texts), len(vocabulary)))


@dataclass(frozen=True)
class Candidate:
    code: str
    probability: float


@dataclass(frozen=True)
class Prediction:
    """The model's answer for one text: the ranked items (best first), how likely the text
    matches no item, and whether to route it automatically."""

    candidates: tuple[Candidate, ...]
    none_probability: float
    threshold: float
    abstain: bool
    none_top: bool = False
    reason: str = ""

    @property
    def confidence(self) -> float:
        return self.candidates[0].probability if self.candidates else 0.0

    @property
    def top(self) -> str | None:
        return self.candidates[0].code if self.candidates else None


def reason_for(abstain: bool, none_top: bool) -> str:
    if not abstain:
        return ""
    if none_top:
        return "不像执法事项：可能不属于行政执法职责（咨询、纠纷、公共服务等）"
    return "没有把握的匹配"


@dataclass
class Metrics:
    """Figures of a model on a labelled split. A text naming two problems counts as right at top 1
    when the first suggestion is one of them (each must be dispatched; ``top1_main`` asks for the
    main one), and at top 3 when one of them is among the three."""

    n: int = 0
    top1: float = 0.0
    top3: float = 0.0
    top1_main: float = 0.0  # the first suggestion is the text's main (first-named) problem
    none_abstain: float = 0.0  # share of no-match texts the model abstains on
    routed: float = 0.0  # share of matchable texts routed automatically
    routed_accuracy: float = 0.0  # top-1 accuracy among those routed
    ece: float = 0.0  # expected calibration error of the top-1 confidence (matchable texts)
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "n": self.n,
            "top1": self.top1,
            "top3": self.top3,
            "top1_main": self.top1_main,
            "none_abstain": self.none_abstain,
            "routed": self.routed,
            "routed_accuracy": self.routed_accuracy,
            "ece": self.ece,
            **self.extra,
        }

    def not_worse_than(self, other: dict | None) -> bool:
        """Whether these figures are at least as good as ``other``'s on the same split (top-1,
        then top-3 and the abstention balance within half a point)."""
        if not other:
            return True
        return (
            self.top1 >= other.get("top1", 0)
            and self.top3 >= other.get("top3", 0) - 0.005
            and self.none_abstain >= other.get("none_abstain", 0) - 0.02
            and self.routed >= other.get("routed", 0) - 0.02
        )


class RoutingModel:
    """Trained with :meth:`train`; answers :meth:`predict`. Picklable (``dumps`` / ``loads``)."""

    def __init__(
        self,
        *,
        chars,
        pinyin,
        classifier,
        codes: list[str],
        index,
        threshold: float,
        version: str = "",
        trained_on: int = 0,
    ):
        self.chars = chars
        self.pinyin = pinyin
        self.classifier = classifier
        self.codes = codes  # the items the catalog index scores, in column order
        self.index = index  # catalog.search.TextIndex over the items' documents
        self.threshold = threshold
        self.version = version
        self.trained_on = trained_on
        self.classes = [str(c) for c in classifier.classes_]
        self._none_col = self.classes.index(NONE) if NONE in self.classes else None
        self._col = {code: n for n, code in enumerate(codes)}

    # ---- features -------------------------------------------------------------------------------

    def _catalog(self, texts: Sequence[str]):
        rows, cols, vals = [], [], []
        for n, text in enumerate(texts):
            hits = self.index.search(text, k=30)
            if hits and hits[0][1] > 0:
                best = hits[0][1]
                for code, score in hits:
                    rows.append(n)
                    cols.append(self._col[code])
                    vals.append(CATALOG_WEIGHT * score / best)
        return sp.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(self.codes)))

    def features(self, texts: Sequence[str]):
        analyzers = self.__dict__.get("_analyzers")
        if analyzers is None:
            analyzers = self._analyzers = (self.chars.build_analyzer(), self.pinyin.build_analyzer())
        return sp.hstack(
            [
                _tfidf(self.chars, analyzers[0], texts),
                _tfidf(self.pinyin, analyzers[1], texts),
                self._catalog(texts),
            ],
            format="csr",
        )

    # ---- training ---------------------------------------------------------------------------------

    @classmethod
    def train(
        cls,
        train: Iterable[tuple[str, str]],
        dev: Iterable[tuple[str, str]],
        item_docs: dict[str, str],
        *,
        version: str = "",
        C: float = 0.5,
    ) -> RoutingModel:
        """``train`` and ``dev``: (text, item code or "" for no match); ``item_docs``: code →
        the item's text (name, keywords, domain, legal basis). Items' names and keywords are
        added to the training texts."""
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.frozen import FrozenEstimator
        from sklearn.svm import LinearSVC

        from zhifa.catalog.search import TextIndex

        codes = sorted(item_docs)
        known = set(codes)
        pairs = [(t, c or NONE) for t, c in train if t and (not c or c in known)]
        dev_pairs = [(t, c or NONE) for t, c in dev if t and (not c or c in known)]
        texts, labels = [t for t, _ in pairs], [c for _, c in pairs]
        chars = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(1, 3), min_df=2, sublinear_tf=True, preprocessor=_normalise
        )
        pinyin = TfidfVectorizer(
            analyzer="word",
            ngram_range=(1, 2),
            min_df=2,
            sublinear_tf=True,
            token_pattern=r"[a-z]+",
            preprocessor=_pinyin,
        )
        chars.fit(texts)
        pinyin.fit(texts)
        index = TextIndex.build(item_docs.items())
        blank = cls.__new__(cls)
        blank.chars, blank.pinyin, blank.index, blank.codes = chars, pinyin, index, codes
        blank._col = {code: n for n, code in enumerate(codes)}
        X = blank.features(texts)
        svm = LinearSVC(C=C)
        svm.fit(X, labels)
        _prune(svm)
        seen = set(svm.classes_)
        dev_pairs = [(t, c) for t, c in dev_pairs if c in seen]
        # Calibration needs every class of the model among its labels (an item the generated set does
        # not know is trained on its keywords only): lend it one of its training texts.
        present = {c for _, c in dev_pairs}
        first = {}
        for t, c in pairs:
            first.setdefault(c, t)
        dev_pairs += [(first[c], c) for c in sorted(seen - present) if c in first]
        calibrated = CalibratedClassifierCV(
            FrozenEstimator(svm), method="temperature", cv=None, ensemble=False
        )
        with (
            warnings.catch_warnings()
        ):  # the frozen model is not refitted: folds with few members do not matter
            warnings.simplefilter("ignore", UserWarning)
            calibrated.fit(blank.features([t for t, _ in dev_pairs]), [c for _, c in dev_pairs])
        model = cls(
            chars=chars,
            pinyin=pinyin,
            classifier=calibrated,
            codes=codes,
            index=index,
            threshold=0.5,
            version=version,
            trained_on=len(texts),
        )
        model.threshold = model.choose_threshold(dev_pairs)
        return model

    # ---- answering --------------------------------------------------------------------------------

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated class probabilities, one row per text (columns: ``self.classes``). Same as
        ``classifier.predict_proba`` without its per-call checks (10 ms of the 12 ms per text)."""
        calibrated = self.classifier.calibrated_classifiers_[0]
        if not hasattr(self, "_weights"):
            svm = calibrated.estimator.estimator
            self._weights = sp.csr_matrix(svm.coef_.T)
            self._intercept = np.asarray(svm.intercept_, dtype=float)
        scores = np.asarray((self.features(texts) @ self._weights).todense()) + self._intercept
        return calibrated.calibrators[0].predict(scores)

    def _prediction(self, row: np.ndarray, k: int, threshold: float) -> Prediction:
        none_p = float(row[self._none_col]) if self._none_col is not None else 0.0
        order = np.argsort(-row)
        items = [(self.classes[i], float(row[i])) for i in order if i != self._none_col][:k]
        candidates = tuple(Candidate(code, round(p, 4)) for code, p in items)
        none_top = self._none_col is not None and int(order[0]) == self._none_col
        abstain = none_top or not candidates or candidates[0].probability < threshold
        return Prediction(
            candidates, round(none_p, 4), threshold, abstain, none_top, reason_for(abstain, none_top)
        )

    def predict(self, text: str, k: int = 3) -> Prediction:
        return self._prediction(self.probabilities([text or ""])[0], k, self.threshold)

    def predict_many(
        self, texts: Sequence[str], k: int = 3, threshold: float | None = None
    ) -> list[Prediction]:
        if not texts:
            return []
        probabilities = self.probabilities(list(texts))
        return [
            self._prediction(row, k, self.threshold if threshold is None else threshold)
            for row in probabilities
        ]

    # ---- choosing the threshold, measuring ----------------------------------------------------------

    def choose_threshold(self, dev: Sequence[tuple[str, str]]) -> float:
        """The confidence below which to abstain: the one with the lowest cost on ``dev``, where a
        wrong automatic assignment (or a no-match text routed) costs ``WRONG_COST`` and each
        abstention costs 1."""
        predictions = self.predict_many([t for t, _ in dev], threshold=0.0)
        best, best_cost = MIN_THRESHOLD, float("inf")
        for threshold in np.arange(MIN_THRESHOLD, 0.96, 0.01):
            cost = 0.0
            for (_, gold), p in zip(dev, predictions, strict=True):
                if p.none_top or p.confidence < threshold:
                    cost += 1.0
                elif gold == NONE or p.top != gold:
                    cost += WRONG_COST
            if cost < best_cost - 1e-9:
                best, best_cost = float(threshold), cost
        return round(best, 2)

    def evaluate(self, examples: Sequence[tuple[str, tuple[str, ...]]]) -> Metrics:
        """Figures on (text, codes) pairs; codes ``()`` for no match."""
        predictions = self.predict_many([t for t, _ in examples])
        return measure(examples, predictions)

    # ---- storing ------------------------------------------------------------------------------------

    def dumps(self) -> bytes:
        buffer = io.BytesIO()
        pickle.dump(self, buffer, protocol=pickle.HIGHEST_PROTOCOL)
        return zlib.compress(buffer.getvalue(), 6)

    @staticmethod
    def loads(blob: bytes) -> RoutingModel:
        return pickle.loads(zlib.decompress(blob))  # noqa: S301 (our own blob, from our database)

    def __getstate__(self):
        state = dict(self.__dict__)
        for transient in ("_weights", "_intercept", "_analyzers"):
            state.pop(transient, None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)


def measure(examples: Sequence[tuple[str, tuple[str, ...]]], predictions: Sequence[Prediction]) -> Metrics:
    matchable = [(codes, p) for (_, codes), p in zip(examples, predictions, strict=True) if codes]
    none = [p for (_, codes), p in zip(examples, predictions, strict=True) if not codes]
    m = Metrics(n=len(examples))
    if matchable:
        m.top1 = _share(p.top in codes for codes, p in matchable)
        m.top1_main = _share(p.top == codes[0] for codes, p in matchable)
        m.top3 = _share(any(c.code in codes for c in p.candidates[:3]) for codes, p in matchable)
        routed = [(codes, p) for codes, p in matchable if not p.abstain]
        m.routed = len(routed) / len(matchable)
        m.routed_accuracy = _share(p.top in codes for codes, p in routed) if routed else 0.0
        m.ece = expected_calibration_error(
            [p.confidence for _, p in matchable], [p.top in codes for codes, p in matchable]
        )
    if none:
        m.none_abstain = _share(p.abstain for p in none)
    return m


def _share(flags) -> float:
    flags = list(flags)
    return sum(1 for f in flags if f) / len(flags) if flags else 0.0


def expected_calibration_error(
    confidences: Sequence[float], correct: Sequence[bool], bins: int = 10
) -> float:
    """Σ over confidence bins of |accuracy − mean confidence| × share of texts in the bin."""
    if not confidences:
        return 0.0
    conf = np.asarray(confidences, dtype=float)
    right = np.asarray(correct, dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        in_bin = (conf > lo) & (conf <= hi) if lo > 0 else (conf >= lo) & (conf <= hi)
        if in_bin.any():
            total += abs(right[in_bin].mean() - conf[in_bin].mean()) * in_bin.mean()
    return float(total)


def _prune(svm, keep: float = 0.02) -> None:
    """Zero the weights too small to matter and keep the weight matrix sparse (a dense one for
    180 items × 30,000 features is 40 MB; the pruned one is a few MB, same answers to 3 decimals)."""
    coef = svm.coef_
    cutoff = keep * np.abs(coef).max(axis=1, keepdims=True)
    coef[np.abs(coef) < cutoff] = 0.0
    svm.sparsify()


def fingerprint(*parts: object) -> str:
    """A short stable hash of the inputs of a training (for the model's version)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()[:12]
