"""Sentiment on the labelled sets shipped with PyTake, and the rules a support chat needs."""

from __future__ import annotations

import pytest

from domain.ai.language import detected_language
from domain.ai.sentiment import ENGLISH, PORTUGUESE, SentimentAnalyzer, SentimentLabel
from tests.ai.evaluation import HOLDOUT_SETS, SETS, evaluate, examples

ANALYZER = SentimentAnalyzer()

# What PyTake reached when these were written (docs/decisions/0027): the tuning sets are what the
# overlay was built on; the holdout sets were written afterwards and never tuned on. LeIA as
# shipped scores 63% and 56% on the Portuguese ones, VADER 76% and 71% on the English ones.
FLOORS = {
    ("tuning", PORTUGUESE): 0.97,
    ("tuning", ENGLISH): 0.97,
    ("holdout", PORTUGUESE): 0.75,
    ("holdout", ENGLISH): 0.72,
}


@pytest.mark.parametrize(("kind", "language"), list(FLOORS))
def test_accuracy_stays_above_what_pytake_reached(kind: str, language: str) -> None:
    path = (SETS if kind == "tuning" else HOLDOUT_SETS)[language]
    labelled = examples(path)
    result = evaluate(labelled, lambda text: ANALYZER.score(text, language).label)
    assert result.accuracy >= FLOORS[kind, language], [
        f"{example.text!r}: {example.label} read as {said}" for example, said in result.mistakes
    ]


def test_the_shipped_sets_are_large_enough_to_mean_something() -> None:
    assert len(examples(SETS[PORTUGUESE])) >= 300
    assert len(examples(SETS[ENGLISH])) >= 100
    for path in SETS.values():
        assert {example.label for example in examples(path)} == set(SentimentLabel)


def label(text: str, language: str = PORTUGUESE) -> SentimentLabel:
    return ANALYZER.score(text, language).label


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "não" turns the feeling it reaches, and is no feeling by itself.
        ("Não gostei do produto", SentimentLabel.NEGATIVE),
        ("Não estou satisfeito", SentimentLabel.NEGATIVE),
        ("não", SentimentLabel.NEUTRAL),
        # What a customer expects to work, negated, is a complaint.
        ("O aplicativo não funciona", SentimentLabel.NEGATIVE),
        ("Agora funcionou", SentimentLabel.POSITIVE),
        ("ninguém responde", SentimentLabel.NEGATIVE),
        # Portuguese negators agree rather than cancel out.
        ("não tô nada satisfeita", SentimentLabel.NEGATIVE),
        # A negator reaches the first feeling after it only.
        ("Não resolveram meu problema", SentimentLabel.NEGATIVE),
        # "never so" praises.
        ("Nunca fui tão bem atendido", SentimentLabel.POSITIVE),
        # Punctuation ends a negator's reach.
        ("não consigo entrar, que saco", SentimentLabel.NEGATIVE),
        # A phrase is negated as a whole.
        ("Infelizmente não deu certo", SentimentLabel.NEGATIVE),
        ("Deu certo!", SentimentLabel.POSITIVE),
        # Chat spelling: abbreviations, missing accents, repeated letters, emoji.
        ("vcs sao pessimos", SentimentLabel.NEGATIVE),
        ("n gostei", SentimentLabel.NEGATIVE),
        ("obrigadaaaa", SentimentLabel.POSITIVE),
        ("😡", SentimentLabel.NEGATIVE),
        ("❤️", SentimentLabel.POSITIVE),
        ("👍🏽", SentimentLabel.POSITIVE),
        # Requests stay neutral whatever their words meant when translated.
        ("Qual o prazo de entrega?", SentimentLabel.NEUTRAL),
        ("Como funciona a garantia?", SentimentLabel.NEUTRAL),
        ("Bom dia, tudo bem?", SentimentLabel.NEUTRAL),
    ],
)
def test_portuguese_rules(text: str, expected: SentimentLabel) -> None:
    assert label(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My order hasn't arrived", SentimentLabel.NEGATIVE),
        ("Nobody answers", SentimentLabel.NEGATIVE),
        ("I'm fed up", SentimentLabel.NEGATIVE),
        ("ok", SentimentLabel.NEUTRAL),
        ("Please send me the invoice", SentimentLabel.NEUTRAL),
        ("thx, works now", SentimentLabel.POSITIVE),
    ],
)
def test_english_rules(text: str, expected: SentimentLabel) -> None:
    assert label(text, ENGLISH) is expected


def test_shouting_and_exclamation_make_a_feeling_stronger() -> None:
    calm = ANALYZER.score("Estou irritado", PORTUGUESE).score
    assert ANALYZER.score("Estou IRRITADO", PORTUGUESE).score < calm
    assert ANALYZER.score("Estou irritado!!!", PORTUGUESE).score < calm
    assert -1 <= ANALYZER.score("PÉSSIMO HORRÍVEL ABSURDO!!!! 😡😡😡", PORTUGUESE).score < -0.9


def test_an_organizations_own_words_count_for_it_only() -> None:
    text = "meu cadastro ficou na malha fina"
    assert label(text) is SentimentLabel.NEUTRAL
    own = ANALYZER.score(text, PORTUGUESE, additions={"malha fina": -2.0})
    assert own.label is SentimentLabel.NEGATIVE
    assert label(text) is SentimentLabel.NEUTRAL
    word = ANALYZER.score("chegou o Xpto", PORTUGUESE, additions={"XPTO": 2.5})
    assert word.label is SentimentLabel.POSITIVE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Não gostei do produto que chegou ontem", PORTUGUESE),
        ("My order never arrived and nobody answers", ENGLISH),
        ("cade meu pedido", PORTUGUESE),
        ("👍", PORTUGUESE),
        ("ok", PORTUGUESE),
    ],
)
def test_language_is_detected_among_pytakes_own(text: str, expected: str) -> None:
    assert detected_language(text) == expected


def test_too_short_to_tell_is_in_the_organizations_language() -> None:
    assert detected_language("ok", default=ENGLISH) == ENGLISH
    assert detected_language("123", default=ENGLISH) == ENGLISH


def test_the_shipped_sets_are_detected_in_their_language() -> None:
    for language, path in SETS.items():
        texts = [example.text for example in examples(path)]
        right = sum(detected_language(text, default=language) == language for text in texts)
        wrong_default = ENGLISH if language == PORTUGUESE else PORTUGUESE
        against = sum(detected_language(text, default=wrong_default) == language for text in texts)
        assert right >= 0.99 * len(texts)
        assert against >= 0.9 * len(texts)
