"""Sentiment accuracy on the labelled sets, and scoring speed on one core, in this process.

(a) Accuracy and macro-F1 per language on the tuning sets (the overlay was built on them) and
on the holdout sets (written afterwards, never tuned on), against LeIA and VADER as shipped.
(b) Messages scored per second on one core: language detection and scoring, over the sets'
texts repeated.

    .venv/bin/python -m bench.sentiment [--messages 50000]
"""

from __future__ import annotations

import argparse
import time
from functools import partial
from typing import Any

from LeIA import SentimentIntensityAnalyzer as LeiaAnalyzer
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer as VaderAnalyzer

from domain.ai.language import detected_language
from domain.ai.sentiment import ENGLISH, PORTUGUESE, SentimentAnalyzer, SentimentLabel, label_for
from tests.ai.evaluation import HOLDOUT_SETS, SETS, evaluate, examples


def ours_label(analyzer: SentimentAnalyzer, language: str, text: str) -> SentimentLabel:
    return analyzer.score(text, language).label


def shipped_label(analyzer: Any, text: str) -> SentimentLabel:
    return label_for(analyzer.polarity_scores(text)["compound"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=50_000)
    args = parser.parse_args()
    analyzer = SentimentAnalyzer()
    shipped = {PORTUGUESE: LeiaAnalyzer(), ENGLISH: VaderAnalyzer()}
    print("(a) set                         n   accuracy  macro-F1   as shipped (acc / F1)")
    for kind, sets in (("tuning", SETS), ("holdout", HOLDOUT_SETS)):
        for language, path in sets.items():
            labelled = examples(path)
            ours = evaluate(labelled, partial(ours_label, analyzer, language))
            theirs = evaluate(labelled, partial(shipped_label, shipped[language]))
            print(
                f"    {kind:8} {language:6} {len(labelled):12}   {ours.accuracy:7.1%}"
                f"  {ours.macro_f1:8.3f}   {theirs.accuracy:6.1%} / {theirs.macro_f1:.3f}"
            )
    texts = [e.text for path in (*SETS.values(), *HOLDOUT_SETS.values()) for e in examples(path)]
    stream = (texts * (args.messages // len(texts) + 1))[: args.messages]
    for text in texts:
        analyzer.score(text, detected_language(text))
    started = time.perf_counter()
    for text in stream:
        analyzer.score(text, detected_language(text))
    elapsed = time.perf_counter() - started
    print(f"(b) {len(stream) / elapsed:,.0f} messages/s on one core (detection and scoring)")


if __name__ == "__main__":
    main()
