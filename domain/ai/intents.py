"""What a customer wants, learnt per organization from its own examples (decision 0029).

Character n-grams (2 to 5 letters inside word boundaries, lower case, accents stripped) weighted
by TF-IDF and a multinomial logistic regression: character n-grams survive the typos, missing
accents and chat spellings of WhatsApp ("cancela", "cancelamento", "cancelar" share most of
theirs) and the model gives probabilities, so a flow can tell a confident answer from a guess.

Accuracy is measured on a stratified held-out fifth of the examples before the model that is
kept is fitted on all of them. A trained model is stored as plain arrays (numpy's format without
pickle), so loading one from the database never runs code, and it classifies without
scikit-learn's estimators: the vectoriser's analyser, the IDF weights and the coefficients.
"""

from __future__ import annotations

import io
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

PORTUGUESE = "pt-BR"
INTENT_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
"""Intent names are flow ways too: lower case, digits and "_"."""
UNSURE = "unsure"
"""The way a flow's intent node takes below its confidence threshold; no intent is named so."""
MIN_INTENTS = 2
MIN_EXAMPLES_PER_INTENT = 5
"""Enough for one of them to be held out and four to learn from."""
HELD_OUT_SHARE = 0.2
SEED = 20261205
"""Training is reproducible: the same examples give the same split and the same model."""
ARTIFACT_FORMAT = 1
WORD_CACHE = 32_768

NGRAMS = (2, 5)
REGULARISATION = 10.0
"""Logistic regression's C. On the starter set (5-fold cross-validation) C from 1 to 100 and
n-grams of 1-4, 2-5 or 3-5 letters, with or without word n-grams, and a linear SVM all land
within two points of 79%: what limits accuracy is how much intents overlap, not the model."""

Progress = Callable[[str, float], None]
"""A stage's name and the share of training done (0 to 1)."""


class TrainingRefused(ValueError):
    """The examples cannot make a model (too few intents, or an intent with too few examples)."""


@dataclass(frozen=True)
class Example:
    intent: str
    text: str


@dataclass(frozen=True)
class IntentGuess:
    name: str
    confidence: float
    """The model's probability for this intent, 0 to 1."""


@dataclass(frozen=True)
class Evaluation:
    """How the model did on examples it did not learn from."""

    accuracy: float
    macro_f1: float
    labels: tuple[str, ...]
    confusion: tuple[tuple[int, ...], ...]
    """Rows are the true intents, columns the predicted ones, in `labels` order."""
    held_out: int
    trained_on: int


class IntentClassifier:
    def __init__(
        self,
        labels: Sequence[str],
        terms: Sequence[str],
        idf: NDArray[np.float64],
        coefficients: NDArray[np.float32],
        intercepts: NDArray[np.float32],
    ) -> None:
        self.labels = tuple(labels)
        self._vocabulary = {term: index for index, term in enumerate(terms)}
        self._analyse: Callable[[str], list[str]] = _counter(self._vocabulary).build_analyzer()
        # Per word, since n-grams never cross a word's edges: customers write few words many
        # times, and most of a text's analysis is then one look-up per word.
        self._word_terms = lru_cache(maxsize=WORD_CACHE)(self._terms_of_word)
        self._idf = idf
        self._coefficients = coefficients
        self._intercepts = intercepts

    def classify(self, text: str) -> IntentGuess:
        return self.classify_many([text])[0]

    def classify_many(self, texts: Sequence[str]) -> list[IntentGuess]:
        probabilities = self.probabilities(texts)
        best = probabilities.argmax(axis=1)
        return [
            IntentGuess(self.labels[int(index)], round(float(row[index]), 4))
            for index, row in zip(best, probabilities, strict=True)
        ]

    def probabilities(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """One row per text, one column per label, each row summing to 1."""
        counts = self._counts(texts)
        counts.data = 1.0 + np.log(counts.data)
        weighted = counts.multiply(self._idf).tocsr()
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        normalised = weighted.multiply(1.0 / norms[:, None]).tocsr()
        scores = np.asarray(normalised @ self._coefficients.T) + self._intercepts
        if scores.shape[1] == 1:
            scores = np.hstack([np.zeros_like(scores), scores])
        scores -= scores.max(axis=1, keepdims=True)
        exponentials = np.exp(scores)
        return np.asarray(exponentials / exponentials.sum(axis=1, keepdims=True))

    def _terms_of_word(self, word: str) -> tuple[int, ...]:
        vocabulary = self._vocabulary
        return tuple(vocabulary[gram] for gram in self._analyse(word) if gram in vocabulary)

    def _counts(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """How often each of the model's n-grams occurs in each text, as scikit-learn's
        `CountVectorizer.transform` counts them."""
        indptr = [0]
        indices: list[int] = []
        values: list[int] = []
        for text in texts:
            counted = Counter(term for word in text.split() for term in self._word_terms(word))
            indices.extend(counted)
            values.extend(counted.values())
            indptr.append(len(indices))
        return sparse.csr_matrix(
            (np.asarray(values, dtype=np.float64), indices, indptr),
            shape=(len(texts), len(self._vocabulary)),
        )

    def to_bytes(self) -> bytes:
        terms = sorted(self._vocabulary, key=self._vocabulary.__getitem__)
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            format=np.array(ARTIFACT_FORMAT),
            labels=np.array(self.labels, dtype=str),
            terms=np.array(terms, dtype=str),
            idf=self._idf,
            coefficients=self._coefficients,
            intercepts=self._intercepts,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, artifact: bytes) -> IntentClassifier:
        with np.load(io.BytesIO(artifact), allow_pickle=False) as arrays:
            if int(arrays["format"]) != ARTIFACT_FORMAT:
                raise ValueError(f"intent model format {int(arrays['format'])} is not readable")
            return cls(
                labels=[str(label) for label in arrays["labels"]],
                terms=[str(term) for term in arrays["terms"]],
                idf=arrays["idf"],
                coefficients=arrays["coefficients"],
                intercepts=arrays["intercepts"],
            )


@dataclass(frozen=True)
class TrainedIntents:
    classifier: IntentClassifier
    evaluation: Evaluation
    seconds: float
    """Wall-clock time of training on one core."""


def refusal(examples: Sequence[Example]) -> str | None:
    """Why these examples cannot be trained on, or None when they can."""
    per_intent = Counter(example.intent for example in examples)
    if len(per_intent) < MIN_INTENTS:
        return f"at least {MIN_INTENTS} intents with examples are needed"
    short = sorted(name for name, count in per_intent.items() if count < MIN_EXAMPLES_PER_INTENT)
    if short:
        return (
            f"each intent needs at least {MIN_EXAMPLES_PER_INTENT} examples; "
            f"too few in: {', '.join(short)}"
        )
    return None


def train(examples: Sequence[Example], progress: Progress | None = None) -> TrainedIntents:
    """Measures a model on a held-out split, then fits the one kept on every example."""
    from threadpoolctl import threadpool_limits

    reason = refusal(examples)
    if reason is not None:
        raise TrainingRefused(reason)
    # One core, as the worker promises: BLAS must not take the cores ingestion runs on.
    with threadpool_limits(limits=1):
        return _trained(examples, progress or (lambda stage, done: None))


def _trained(examples: Sequence[Example], report: Progress) -> TrainedIntents:
    from sklearn.metrics import confusion_matrix, f1_score
    from sklearn.model_selection import train_test_split

    started = time.perf_counter()
    texts = [example.text for example in examples]
    intents = [example.intent for example in examples]
    labels = sorted(set(intents))
    held_out = max(round(len(examples) * HELD_OUT_SHARE), len(labels))
    report("splitting", 0.05)
    learn_texts, test_texts, learn_intents, test_intents = train_test_split(
        texts, intents, test_size=held_out, stratify=intents, random_state=SEED
    )
    report("evaluating", 0.1)
    measured = _fitted(learn_texts, learn_intents)
    predicted = [guess.name for guess in measured.classify_many(test_texts)]
    right = sum(p == t for p, t in zip(predicted, test_intents, strict=True))
    evaluation = Evaluation(
        accuracy=round(right / held_out, 4),
        macro_f1=round(float(f1_score(test_intents, predicted, labels=labels, average="macro")), 4),
        labels=tuple(labels),
        confusion=tuple(
            tuple(int(cell) for cell in row)
            for row in confusion_matrix(test_intents, predicted, labels=labels)
        ),
        held_out=held_out,
        trained_on=len(examples),
    )
    report("training", 0.55)
    classifier = _fitted(texts, intents)
    report("trained", 1.0)
    return TrainedIntents(classifier, evaluation, round(time.perf_counter() - started, 3))


def _fitted(texts: Sequence[str], intents: Sequence[str]) -> IntentClassifier:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectoriser = TfidfVectorizer(**_ANALYSER, sublinear_tf=True)
    features = vectoriser.fit_transform(list(texts))
    model = LogisticRegression(C=REGULARISATION, max_iter=2000, random_state=SEED)
    model.fit(features, list(intents))
    terms = vectoriser.get_feature_names_out()
    return IntentClassifier(
        labels=[str(label) for label in model.classes_],
        terms=[str(term) for term in terms],
        idf=vectoriser.idf_.astype(np.float64),
        coefficients=model.coef_.astype(np.float32),
        intercepts=model.intercept_.astype(np.float32),
    )


_ANALYSER: dict[str, Any] = {
    "analyzer": "char_wb",
    "ngram_range": NGRAMS,
    "lowercase": True,
    "strip_accents": "unicode",
}


def _counter(vocabulary: dict[str, int]) -> Any:
    """The analyser a model was trained with, over its vocabulary."""
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(**_ANALYSER, vocabulary=vocabulary)


@dataclass(frozen=True)
class StarterIntent:
    name: str
    description: str
    examples: tuple[str, ...]


@cache
def starter_intents(language: str = PORTUGUESE) -> tuple[StarterIntent, ...]:
    """PyTake's starter set, written for Brazilian customer service."""
    if language != PORTUGUESE:
        return ()
    descriptions = dict(_rows("intents_pt_br.tsv"))
    examples: dict[str, list[str]] = {name: [] for name in descriptions}
    for name, text in _rows("examples_pt_br.tsv"):
        examples[name].append(text)
    return tuple(
        StarterIntent(name, description, tuple(examples[name]))
        for name, description in descriptions.items()
    )


def _rows(name: str) -> Iterable[tuple[str, str]]:
    text = resources.files("domain.ai").joinpath("starter", name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            first, second = line.split("\t")
            yield first, second
