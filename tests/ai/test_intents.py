"""Intent classification trained from examples: the starter set, the stored model and what
training refuses."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from domain.ai import intents
from domain.ai.intents import (
    Example,
    IntentClassifier,
    TrainingRefused,
    refusal,
    starter_intents,
    train,
)

STARTER = [Example(intent.name, text) for intent in starter_intents() for text in intent.examples]

# What the starter set reached on its held-out fifth when it was written (docs/decisions/0029).
HELD_OUT_ACCURACY_FLOOR = 0.74


@pytest.fixture(scope="module")
def starter_model() -> intents.TrainedIntents:
    return train(STARTER)


def test_the_starter_set_covers_brazilian_support_with_enough_examples_each() -> None:
    names = [intent.name for intent in starter_intents()]
    assert len(names) >= 12
    assert {"status_pedido", "cancelamento", "falar_com_atendente", "reembolso"} <= set(names)
    assert all(len(intent.examples) >= 20 for intent in starter_intents())
    assert all(intent.description for intent in starter_intents())
    assert starter_intents("en") == ()


def test_accuracy_is_measured_on_examples_the_measured_model_never_saw(
    starter_model: intents.TrainedIntents,
) -> None:
    evaluation = starter_model.evaluation
    assert evaluation.trained_on == len(STARTER)
    assert evaluation.held_out == round(len(STARTER) * 0.2)
    assert evaluation.labels == tuple(sorted({e.intent for e in STARTER}))
    matrix = np.array(evaluation.confusion)
    assert matrix.sum() == evaluation.held_out
    assert all(row.sum() >= 1 for row in matrix), "every intent has held-out examples"
    assert evaluation.accuracy == round(np.trace(matrix) / evaluation.held_out, 4)
    assert evaluation.accuracy >= HELD_OUT_ACCURACY_FLOOR
    assert 0 < evaluation.macro_f1 <= 1


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("cade meu pedidooo, ja faz uma semana", "status_pedido"),
        ("quero cancelar essa assinatura agora", "cancelamento"),
        ("me passa pra um atendente humano pfv", "falar_com_atendente"),
        ("o estorno nao caiu ainda no meu cartao", "reembolso"),
        ("vcs aceitam pix ou so boleto?", "pagamento"),
        ("q horas vcs abrem no sabado", "horario_endereco"),
    ],
)
def test_chat_spellings_it_never_saw_are_understood(
    starter_model: intents.TrainedIntents, text: str, intent: str
) -> None:
    guess = starter_model.classifier.classify(text)
    assert (guess.name, guess.confidence > 0.5) == (intent, True)


def test_text_that_means_nothing_to_it_is_a_low_confidence_guess(
    starter_model: intents.TrainedIntents,
) -> None:
    assert starter_model.classifier.classify("xyz blah").confidence < 0.5


def test_a_stored_model_classifies_exactly_as_scikit_learn_fitted_it() -> None:
    texts = [e.text for e in STARTER]
    labels = [e.intent for e in STARTER]
    vectoriser = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=intents.NGRAMS,
        strip_accents="unicode",
        sublinear_tf=True,
    )
    model = LogisticRegression(C=intents.REGULARISATION, max_iter=2000, random_state=intents.SEED)
    model.fit(vectoriser.fit_transform(texts), labels)
    stored = IntentClassifier.from_bytes(train(STARTER).classifier.to_bytes())
    unseen = [
        "quero trocar o tamanho da blusa",
        "boa noite",
        "o app não abre",
        "💸 cadê?",
        "  CANCELA\u00a0o   pedido ¨ já\n",
        "",
        "cancela cancela cancela",
    ]
    assert stored.labels == tuple(model.classes_)
    np.testing.assert_allclose(
        stored.probabilities(unseen),
        model.predict_proba(vectoriser.transform(unseen)),
        atol=1e-5,
    )


def test_training_is_reproducible() -> None:
    first, second = train(STARTER[:120]), train(STARTER[:120])
    assert first.evaluation == second.evaluation
    texts = ["cancela", "obrigado"]
    np.testing.assert_array_equal(
        first.classifier.probabilities(texts), second.classifier.probabilities(texts)
    )


def test_two_intents_are_enough() -> None:
    examples = [
        *(Example("sim", text) for text in ("sim", "quero sim", "pode ser", "claro", "ok, sim")),
        *(Example("nao", text) for text in ("não", "nao quero", "agora não", "negativo", "nem")),
    ]
    trained = train(examples)
    probabilities = trained.classifier.probabilities(["sim, claro"])
    assert trained.classifier.classify("sim, claro").name == "sim"
    assert probabilities.shape == (1, 2)
    assert probabilities.sum() == pytest.approx(1.0)


def test_training_reports_its_progress_to_the_end() -> None:
    stages: list[tuple[str, float]] = []
    train(STARTER[:120], progress=lambda stage, done: stages.append((stage, done)))
    assert [done for _, done in stages] == sorted(done for _, done in stages)
    assert stages[-1] == ("trained", 1.0)


def test_what_cannot_be_trained_is_refused_with_the_reason() -> None:
    one_intent = [Example("saudacao", text) for text in ("oi", "olá", "bom dia", "opa", "e aí")]
    assert refusal(one_intent) == "at least 2 intents with examples are needed"
    short = [*one_intent, *(Example("tchau", text) for text in ("tchau", "até", "fui", "bye"))]
    assert refusal(short) == "each intent needs at least 5 examples; too few in: tchau"
    with pytest.raises(TrainingRefused, match="too few in: tchau"):
        train(short)
    assert refusal(STARTER) is None


def test_a_model_of_another_format_is_not_read() -> None:
    import io

    buffer = io.BytesIO()
    np.savez(buffer, format=np.array(99))
    with pytest.raises(ValueError, match="format 99 is not readable"):
        IntentClassifier.from_bytes(buffer.getvalue())
