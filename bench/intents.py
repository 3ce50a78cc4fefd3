"""Intent classification on PyTake's Portuguese starter set, in this process, on one core.

(a) Accuracy and macro-F1 on the held-out fifth (what `intentModel` reports), and 5-fold
cross-validated accuracy for a steadier figure.
(b) Training time (split, measure, fit on everything) and the stored model's size.
(c) Messages classified per second, one at a time (as the signals worker's small batches) and
in a batch of 1,000.

    .venv/bin/python -m bench.intents
"""

from __future__ import annotations

import statistics
import time

from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

from domain.ai.intents import Example, starter_intents, train


def main() -> None:
    examples = [Example(i.name, text) for i in starter_intents() for text in i.examples]
    print(f"starter set: {len(starter_intents())} intents, {len(examples)} examples")
    trained = train(examples)
    evaluation = trained.evaluation
    print(
        f"(a) held-out split ({evaluation.held_out} examples): accuracy "
        f"{evaluation.accuracy:.1%}, macro-F1 {evaluation.macro_f1:.3f}"
    )
    folds = StratifiedKFold(5, shuffle=True, random_state=1)
    intents = [e.intent for e in examples]
    scores = []
    for learn, test in folds.split(examples, intents):
        fold = train([examples[i] for i in learn])
        guesses = fold.classifier.classify_many([examples[i].text for i in test])
        scores.append(
            sum(g.name == examples[i].intent for g, i in zip(guesses, test, strict=True))
            / len(test)
        )
    print(f"    5-fold cross-validation: accuracy {statistics.fmean(scores):.1%}")
    runs = [train(examples).seconds for _ in range(3)]
    artifact = trained.classifier.to_bytes()
    print(
        f"(b) training on one core: {min(runs):.2f} s (best of 3); stored model "
        f"{len(artifact) / 1024:.0f} KiB"
    )
    texts = [e.text for e in examples]
    with threadpool_limits(limits=1):
        started = time.perf_counter()
        for text in texts * 3:
            trained.classifier.classify(text)
        one_by_one = 3 * len(texts) / (time.perf_counter() - started)
        batch = (texts * 4)[:1000]
        started = time.perf_counter()
        trained.classifier.classify_many(batch)
        batched = len(batch) / (time.perf_counter() - started)
    print(f"(c) classified per second: {one_by_one:,.0f} one at a time, {batched:,.0f} batched")


if __name__ == "__main__":
    main()
