"""Ranking reply suggestions for the customer's latest text: BM25 (bm25s) over one index of
what each candidate answers, so canned responses, templates and past replies compete on one
scale. A canned response is matched by its title, shortcut and body; a template by its body; a
past reply by the customer text it answered ("similar messages got this answer")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import bm25s

from domain.ai.sentiment import plain

STOPWORDS = frozenset(
    """
    a o as os um uma uns umas de do da dos das em no na nos nas por para pra pro com sem e ou
    que se me te lhe eu voce voces vc vcs ele ela eles elas meu minha seu sua isso esse essa
    este esta aqui ai la ja mas muito mais bem oi ola bom boa dia tarde noite obrigado
    obrigada the an of to in on at for with and or is are was be it this that i you my your we
    our hi hello please thanks
    """.split()  # noqa: SIM905 - a list literal of 95 words reads worse
)
"""Words that say nothing about what a customer wants (Portuguese, then English)."""
WORD = re.compile(r"[a-z0-9]+")
SOURCE_ORDER = ("canned", "template", "past_reply")
"""Among equal scores: the team's own answers first, then templates, then past replies."""


class SuggestionSource(StrEnum):
    CANNED = "canned"
    TEMPLATE = "template"
    PAST_REPLY = "past_reply"


@dataclass(frozen=True)
class Candidate:
    source: SuggestionSource
    matched_text: str
    """What the customer's text is compared with."""
    reply: str
    """What the agent would send."""
    reference: str | None = None
    """The canned response's id, or the template's name and language."""


@dataclass(frozen=True)
class Suggestion:
    candidate: Candidate
    score: float


def terms(text: str) -> list[str]:
    """Lower case, no accents, no stop words, a plural's "s" dropped: "Pedidos" is "pedido"."""
    words = WORD.findall(plain(text))
    return [
        word[:-1] if len(word) > 3 and word.endswith("s") else word
        for word in words
        if word not in STOPWORDS
    ]


def ranked(query: str, candidates: Sequence[Candidate], first: int) -> list[Suggestion]:
    """The best `first` candidates for the customer's text, best first; none that shares no
    term with it."""
    wanted = terms(query)
    if not wanted or not candidates:
        return []
    # One suggestion per text, from the preferred source: a canned response that agents also
    # typed by hand is offered as the canned response.
    unique: dict[str, Candidate] = {}
    for candidate in sorted(candidates, key=lambda c: SOURCE_ORDER.index(c.source.value)):
        unique.setdefault(candidate.reply.strip(), candidate)
    pool = list(unique.values())
    retriever = bm25s.BM25()
    retriever.index([terms(c.matched_text) or ["\u0000"] for c in pool], show_progress=False)
    scores = retriever.get_scores(wanted)
    scored = [
        Suggestion(candidate, round(float(score), 4))
        for candidate, score in zip(pool, scores, strict=True)
        if score > 0
    ]
    scored.sort(key=lambda s: (-s.score, SOURCE_ORDER.index(s.candidate.source.value)))
    return scored[:first]
