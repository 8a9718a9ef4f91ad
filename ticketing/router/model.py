"""The complaint router: override rules in front of a calibrated linear text classifier over categories.

Predicting the category gives the OPD through the city's category table, so one model serves both and a
city can move a category to another OPD without retraining. `lainnya` (not a complaint) is an ordinary
class; a message is only ever sent to an OPD when the model is confident *and* the non-complaint class is
not a serious contender (`none_guard`), because a greeting or an ad landing in an agency queue is worse
than an operator spending a few seconds on triage.
"""
from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import logging
import os
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.calibration import CalibratedClassifierCV
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from ticketing.router.categories import NONE_CATEGORY, load_category_opds
from ticketing.router.normalize import CONFIG_DIR, normalize, stem_text
from ticketing.router.rules import Rule, first_match, load_rules

log = logging.getLogger(__name__)

SEEDS_PATH = CONFIG_DIR / "seed_examples.csv"
DEFAULT_MODEL_PATH = Path(__file__).resolve().parents[2] / "instance" / "router.joblib"
FORMAT_VERSION = 1
RULE_CONFIDENCE = 0.99
# Threshold search: a wrong automatic assignment costs an agency a bounce and the citizen a day, a triage
# costs an operator a few seconds, and a non-complaint in an agency queue looks careless; hence the weights.
COST_WRONG, COST_TRIAGE, COST_NONE_TO_OPD = 3.0, 1.0, 20.0
MAX_TRIAGE = 0.12
DEFAULT_THRESHOLD, DEFAULT_NONE_GUARD = 0.35, 0.30


@dataclass(frozen=True)
class RoutingDecision:
    category: str | None
    opd: str | None
    confidence: float
    is_complaint: bool
    needs_triage: bool
    candidates: list[tuple[str, str | None, float]]
    model_version: str
    rule: str | None


@dataclass
class _Model:
    """The statistical part alone (no thresholds), so CV can reuse it."""

    word: TfidfVectorizer
    char: TfidfVectorizer
    clf: CalibratedClassifierCV
    classes: list[str]

    def proba(self, texts: list[str]) -> np.ndarray:
        stems = [stem_text(t) for t in texts]
        norms = [normalize(t) for t in texts]
        features = hstack([self.word.transform(stems), self.char.transform(norms)]).tocsr()
        return self.clf.predict_proba(features)

    def proba_one(self, text: str) -> np.ndarray:
        """Same numbers as proba([text])[0] in ~0.3 ms instead of ~10 ms: sklearn's per-call input
        validation dominates for a single short document, so the linear algebra is redone in numpy."""
        fast = self.__dict__.get("_fast") or self._compile()
        if fast is None:
            return self.proba([text])[0]
        word_an, char_an, word_vocab, char_vocab, word_idf, char_idf, offset, weights, intercepts, betas = fast
        idx_parts, val_parts = [], []
        for analyzer, vocab, idf, doc, shift in ((word_an, word_vocab, word_idf, stem_text(text), 0),
                                                 (char_an, char_vocab, char_idf, normalize(text), offset)):
            counts = Counter(vocab[t] for t in analyzer(doc) if t in vocab)
            if not counts:
                continue
            idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            vals = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * idf[idx]
            vals /= np.sqrt(vals @ vals)
            idx_parts.append(idx + shift)
            val_parts.append(vals)
        n_classes = len(self.classes)
        if idx_parts:
            scores = np.concatenate(val_parts) @ weights[np.concatenate(idx_parts)] + intercepts
        else:
            scores = intercepts.copy()
        proba = np.zeros(n_classes)
        for k, beta in enumerate(betas):  # the calibrated ensemble: mean of softmax(beta * margins)
            z = beta * scores[k * n_classes:(k + 1) * n_classes]
            z = np.exp(z - z.max())
            proba += z / z.sum()
        return proba / len(betas)

    def _compile(self):
        parts = []
        for cc in self.clf.calibrated_classifiers_:
            est = cc.estimator
            if (len(cc.calibrators) != 1 or not hasattr(cc.calibrators[0], "beta_")
                    or list(est.classes_) != list(range(len(self.classes)))):
                self.__dict__["_fast"] = None  # unusual shape (class missing from a fold): use sklearn
                return None
            parts.append((est.coef_, est.intercept_, float(cc.calibrators[0].beta_)))
        fast = (self.word.build_analyzer(), self.char.build_analyzer(), self.word.vocabulary_,
                self.char.vocabulary_, self.word.idf_, self.char.idf_, len(self.word.vocabulary_),
                np.ascontiguousarray(np.hstack([w.T for w, _, _ in parts])),
                np.concatenate([b for _, b, _ in parts]), [beta for _, _, beta in parts])
        self.__dict__["_fast"] = fast
        return fast

    def __getstate__(self) -> dict:
        # The compiled fast path holds analyzer closures that do not pickle; it is rebuilt on first use.
        return {k: v for k, v in self.__dict__.items() if k != "_fast"}


def _fit_model(texts: list[str], labels: list[str], *, C: float = 1.0) -> _Model:
    # Word n-grams on stems carry the meaning; char n-grams on the unstemmed text catch typos,
    # glued words and the shorthand the slang table does not know yet.
    word = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b")
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)
    # Calibration splits each class three ways; a class with fewer examples (a city adding a category
    # with two examples) is repeated rather than refused.
    counts = Counter(labels)
    texts, labels = list(texts), list(labels)
    for label, count in counts.items():
        if count < 3:
            extra = [t for t, lab in zip(texts, labels) if lab == label] * 3
            texts += extra[: 3 - count]
            labels += [label] * (3 - count)
    stems = [stem_text(t) for t in texts]
    norms = [normalize(t) for t in texts]
    features = hstack([word.fit_transform(stems), char.fit_transform(norms)]).tocsr()
    # LinearSVC fits in a fraction of a second (multinomial lbfgs took ~10 s here) and sigmoid
    # calibration turns its margins into probabilities the triage threshold can be tuned on.
    clf = CalibratedClassifierCV(LinearSVC(C=C, class_weight="balanced"), cv=3, method="temperature")
    clf.fit(features, labels)
    return _Model(word=word, char=char, clf=clf, classes=list(clf.classes_))


@dataclass
class Router:
    model: _Model
    categories: dict[str, str | None]
    rules: tuple[Rule, ...]
    version: str
    threshold: float
    none_guard: float = DEFAULT_NONE_GUARD
    metrics: dict = field(default_factory=dict)

    def route(self, text: str) -> RoutingDecision:
        return self._decide(text, self.model.proba_one(text))

    def route_many(self, texts: list[str]) -> list[RoutingDecision]:
        """Batch form of route(); one matrix product instead of one per text."""
        if not texts:
            return []
        probas = self.model.proba(list(texts))
        return [self._decide(t, p) for t, p in zip(texts, probas)]

    def _decide(self, text: str, proba: np.ndarray) -> RoutingDecision:
        classes = self.model.classes
        ranked = sorted(zip(classes, proba.tolist()), key=lambda cp: cp[1], reverse=True)
        norm = normalize(text)
        rule_name: str | None = None
        if not norm.strip():
            # Emoji-only, empty or punctuation-only messages carry nothing to route.
            rule_name, ranked = "empty-text", [(NONE_CATEGORY, 1.0)] + [cp for cp in ranked if cp[0] != NONE_CATEGORY]
        else:
            rule = first_match(self.rules, norm)
            if rule is not None:
                rule_name = rule.name
                ranked = [(rule.category, RULE_CONFIDENCE)] + [cp for cp in ranked if cp[0] != rule.category]
        top, confidence = ranked[0]
        p_none = dict(ranked).get(NONE_CATEGORY, 0.0) if rule_name is None else 0.0
        is_complaint = top != NONE_CATEGORY
        if rule_name is not None:
            needs_triage = False
        elif is_complaint:
            needs_triage = confidence < self.threshold or p_none >= self.none_guard
        else:
            needs_triage = confidence < self.threshold
        if needs_triage and rule_name is None:
            # A purely local matter the model cannot place (kerja bakti, the RT) is the kelurahan's.
            local = first_match(self.rules, norm, when="unsure")
            if local is not None:
                rule_name, needs_triage, is_complaint = local.name, False, True
                ranked = [(local.category, RULE_CONFIDENCE)] + [cp for cp in ranked if cp[0] != local.category]
                top, confidence = ranked[0]
        opd = self.categories.get(top) if is_complaint and not needs_triage else None
        return RoutingDecision(
            category=str(top) if is_complaint else None,
            opd=opd,
            confidence=float(confidence),
            is_complaint=is_complaint,
            needs_triage=needs_triage,
            candidates=[(str(c), self.categories.get(c), float(p)) for c, p in ranked[:3]],
            model_version=self.version,
            rule=rule_name,
        )

    def with_categories(self, categories: dict[str, str | None]) -> Router:
        """The same model with another category -> OPD table (a city moved a category to another OPD)."""
        return Router(self.model, dict(categories), self.rules, self.version, self.threshold, self.none_guard,
                      dict(self.metrics))

    def save(self, path: str | os.PathLike) -> None:
        import joblib

        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        joblib.dump({"format": FORMAT_VERSION, "router": self}, tmp, compress=3)
        os.replace(tmp, target)  # atomic: a worker loading concurrently never sees half a file


def _decisions_cost(probas: np.ndarray, classes: list[str], labels: list[str], threshold: float,
                    guard: float, categories: dict[str, str | None]) -> tuple[float, float]:
    none_idx = classes.index(NONE_CATEGORY) if NONE_CATEGORY in classes else None
    top_idx = probas.argmax(axis=1)
    top_p = probas[np.arange(len(probas)), top_idx]
    p_none = probas[:, none_idx] if none_idx is not None else np.zeros(len(probas))
    top_cls = [classes[i] for i in top_idx]
    cost, triaged = 0.0, 0
    for cls, p, pn, label in zip(top_cls, top_p, p_none, labels):
        triage = p < threshold or (cls != NONE_CATEGORY and pn >= guard)
        if triage:
            triaged += 1
            cost += COST_TRIAGE
            continue
        if categories.get(cls) != categories.get(label):
            cost += COST_NONE_TO_OPD if label == NONE_CATEGORY else COST_WRONG
    return cost, triaged / max(len(labels), 1)


def tune_threshold(texts: list[str], labels: list[str], categories: dict[str, str | None], *,
                   folds: int = 3, seed: int = 0) -> tuple[float, float, dict]:
    """Pick the triage threshold and none-guard from out-of-fold probabilities of the training data only."""
    counts = Counter(labels)
    folds = min(folds, min(counts.values()))
    if folds < 2 or len(counts) < 2:
        return DEFAULT_THRESHOLD, DEFAULT_NONE_GUARD, {"tuned": False}
    classes = sorted(counts)
    oof = np.zeros((len(texts), len(classes)))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train_idx, test_idx in splitter.split(texts, labels):
        model = _fit_model([texts[i] for i in train_idx], [labels[i] for i in train_idx])
        cols = [classes.index(c) for c in model.classes]
        oof[np.ix_(test_idx, cols)] = model.proba([texts[i] for i in test_idx])
    best = None
    for threshold in np.arange(0.10, 0.80, 0.01):
        for guard in (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 1.01):
            cost, triage = _decisions_cost(oof, classes, labels, threshold, guard, categories)
            if triage > MAX_TRIAGE:
                continue
            key = (cost, -threshold)
            if best is None or key < best[0]:
                best = (key, float(round(threshold, 2)), guard, triage)
    if best is None:
        return DEFAULT_THRESHOLD, DEFAULT_NONE_GUARD, {"tuned": False}
    _, threshold, guard, triage = best
    return threshold, guard, {"tuned": True, "folds": folds, "oof_triage": round(triage, 4),
                              "oof_cost": best[0][0]}


def train_router(examples: Iterable[tuple[str, str]], *, categories: dict[str, str | None],
                 version: str | None = None, threshold: float | None = None,
                 none_guard: float | None = None, rules: tuple[Rule, ...] | None = None) -> Router:
    """Train on (text, category_code) pairs. threshold=None tunes it by CV on these examples."""
    pairs = [(t, c) for t, c in examples if t and c]
    unknown = sorted({c for _, c in pairs} - set(categories))
    if unknown:
        raise ValueError(f"examples use categories missing from the table: {unknown}")
    texts, labels = [t for t, _ in pairs], [c for _, c in pairs]
    if len(set(labels)) < 2:
        raise ValueError("need examples of at least two categories")
    active_rules = load_rules() if rules is None else rules
    active_rules = tuple(r for r in active_rules if r.category in categories)
    tuning: dict = {"tuned": False}
    if threshold is None:
        threshold, tuned_guard, tuning = tune_threshold(texts, labels, categories)
        none_guard = tuned_guard if none_guard is None else none_guard
    model = _fit_model(texts, labels)
    digest = hashlib.sha1("\n".join(f"{c}\t{t}" for t, c in pairs).encode("utf-8")).hexdigest()[:8]
    version = version or f"router-{_dt.date.today():%Y%m%d}-{digest}"
    metrics = {"training_size": len(pairs), "class_counts": dict(Counter(labels)), "threshold_tuning": tuning,
               "trained_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")}
    return Router(model=model, categories=dict(categories), rules=active_rules, version=version,
                  threshold=float(threshold), none_guard=DEFAULT_NONE_GUARD if none_guard is None else none_guard,
                  metrics=metrics)


def read_rows(path: str | os.PathLike) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_seed_examples(path: str | os.PathLike | None = None) -> list[tuple[str, str]]:
    return [(r["text"], r["category"]) for r in read_rows(path or SEEDS_PATH)]


_cache: dict[str, Router] = {}
_cache_lock = threading.Lock()


def load_router(path: str | os.PathLike | None = None) -> Router:
    """Load a saved router. With no file at the path, train one from the seed examples (seconds), keep it
    in memory, and, when an explicit path was given, save it there so the next process starts fast."""
    explicit = path is not None
    target = Path(path) if explicit else Path(os.environ.get("ADUAN_ROUTER_MODEL", DEFAULT_MODEL_PATH))
    key = str(target.resolve())
    if target.exists():
        import joblib

        payload = joblib.load(target)
        return payload["router"] if isinstance(payload, dict) else payload
    with _cache_lock:
        if key not in _cache:
            log.warning("router model %s not found; training from seed examples", target)
            router = train_router(load_seed_examples(), categories=load_category_opds())
            if explicit:
                try:
                    router.save(target)
                except OSError as exc:  # a read-only deployment still routes, it just retrains per process
                    log.warning("could not save router model to %s: %s", target, exc)
            _cache[key] = router
        return _cache[key]


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()
