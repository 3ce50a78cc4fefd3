"""The labelled sentiment sets shipped with PyTake, and how a scorer does on them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from domain.ai.sentiment import ENGLISH, PORTUGUESE, SentimentLabel

HERE = Path(__file__).parent
SETS = {PORTUGUESE: HERE / "sentiment_pt_br.tsv", ENGLISH: HERE / "sentiment_en.tsv"}
HOLDOUT_SETS = {
    PORTUGUESE: HERE / "sentiment_holdout_pt_br.tsv",
    ENGLISH: HERE / "sentiment_holdout_en.tsv",
}
"""Written after the overlay was tuned, and never used to tune it: the honest figure."""


@dataclass(frozen=True)
class Example:
    label: SentimentLabel
    text: str


@dataclass(frozen=True)
class Evaluation:
    examples: int
    correct: int
    macro_f1: float
    mistakes: list[tuple[Example, SentimentLabel]]

    @property
    def accuracy(self) -> float:
        return self.correct / self.examples


def examples(path: Path) -> list[Example]:
    rows = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, text = line.split("\t", 1)
            rows.append(Example(SentimentLabel(label), text))
    return rows


def evaluate(labelled: list[Example], predict: Callable[[str], SentimentLabel]) -> Evaluation:
    predicted = [predict(example.text) for example in labelled]
    f1s = []
    for label in SentimentLabel:
        true_positive = sum(
            p is label and e.label is label for p, e in zip(predicted, labelled, strict=True)
        )
        said = sum(p is label for p in predicted)
        actual = sum(e.label is label for e in labelled)
        precision = true_positive / said if said else 0.0
        recall = true_positive / actual if actual else 0.0
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    mistakes = [
        (example, said)
        for example, said in zip(labelled, predicted, strict=True)
        if said is not example.label
    ]
    return Evaluation(len(labelled), len(labelled) - len(mistakes), sum(f1s) / len(f1s), mistakes)
