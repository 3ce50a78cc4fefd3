"""Ranking reply suggestions as a pure decision over candidates."""

from __future__ import annotations

from domain.replies.suggestions import Candidate, SuggestionSource, ranked, terms

HOURS = Candidate(
    SuggestionSource.CANNED,
    "Horário de funcionamento horario Abrimos de segunda a sexta, das 9h às 18h.",
    "Abrimos de segunda a sexta, das 9h às 18h.",
    "c1",
)
TRACKING = Candidate(
    SuggestionSource.CANNED,
    "Rastreio do pedido rastreio Seu código de rastreio chega por e-mail.",
    "Seu código de rastreio chega por e-mail.",
    "c2",
)
PAST_REFUND = Candidate(
    SuggestionSource.PAST_REPLY,
    "quero meu dinheiro de volta, o produto veio quebrado",
    "Sinto muito! Já abri o reembolso, cai em até 5 dias úteis.",
)


def texts(query: str, *candidates: Candidate, first: int = 3) -> list[str]:
    return [s.candidate.reply for s in ranked(query, list(candidates), first)]


def test_terms_drop_accents_stop_words_and_plurals() -> None:
    assert terms("Quais são os horários dos Pedidos?") == ["quai", "sao", "horario", "pedido"]


def test_the_candidate_answering_the_same_thing_comes_first() -> None:
    assert texts("Qual o horário de vocês?", TRACKING, HOURS, PAST_REFUND)[0] == HOURS.reply
    assert texts("cadê o rastreio do meu pedido", HOURS, TRACKING)[0] == TRACKING.reply


def test_a_past_reply_is_found_by_the_customer_text_it_answered() -> None:
    found = texts("o produto chegou quebrado, quero reembolso", HOURS, TRACKING, PAST_REFUND)
    assert found == [PAST_REFUND.reply]


def test_nothing_is_suggested_when_nothing_matches_or_nothing_was_said() -> None:
    assert texts("bom dia", HOURS, TRACKING) == []
    assert texts("abacaxi", HOURS, TRACKING) == []


def test_the_same_text_is_offered_once_from_the_preferred_source() -> None:
    typed = Candidate(SuggestionSource.PAST_REPLY, "horário hoje?", HOURS.reply)
    found = ranked("horário", [typed, HOURS, TRACKING], 3)
    assert [(s.candidate.source, s.candidate.reply) for s in found] == [
        (SuggestionSource.CANNED, HOURS.reply)
    ]
    assert len(ranked("horário rastreio", [HOURS, TRACKING], 1)) == 1
