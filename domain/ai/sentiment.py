"""How a customer feels in one message, on a VADER-style lexicon scorer (decision 0027).

The lexicons of LeIA (Brazilian Portuguese) and vaderSentiment (English) are the base; PyTake's
customer-service overlay (`lexicons/*.tsv`) corrects them for support conversations: words that
carry a feeling there ("péssimo", "extraviada", "overcharged"), phrases that mean more than their
words ("nota zero", "fed up"), verbs a customer expects to be true ("funciona", "arrived", so that
"não funciona" is negative), and request vocabulary that the translated lexicon wrongly colours
("garantia", "please", "ok"). The scorer is PyTake's own rather than the libraries' so that both
languages share one tested set of rules: Portuguese negators beyond "não" ("nunca", "nem",
"ninguém", and the "n" of chat), "nunca ... tão" as an intensifier, repeated letters ("amei!!!",
"obrigadaaa"), chat abbreviations, and emoji valued for what they mean in a support chat.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, cached_property, lru_cache
from importlib import resources

from LeIA import leia
from vaderSentiment import vaderSentiment

PORTUGUESE = "pt-BR"
ENGLISH = "en"

POSITIVE_THRESHOLD = 0.05
NEGATIVE_THRESHOLD = -0.05
"""VADER's own cut-offs on the compound score, kept: measured best on the evaluation sets."""

NEGATION_SCALAR = -0.74
BOOSTER_STEP = 0.293
CAPS_EMPHASIS = 0.733
EXCLAMATION_EMPHASIS = 0.292
MAX_EXCLAMATIONS = 4
NORMALIZATION_ALPHA = 15
LOOK_BACK = 3
"""How many words before a feeling word a negator or booster reaches, as in VADER."""
MAX_PHRASE_WORDS = 6


class SentimentLabel(StrEnum):
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


@dataclass(frozen=True)
class Sentiment:
    label: SentimentLabel
    score: float
    """VADER's compound score, from -1 (most negative) to 1 (most positive)."""


def label_for(
    score: float,
    positive_threshold: float = POSITIVE_THRESHOLD,
    negative_threshold: float = NEGATIVE_THRESHOLD,
) -> SentimentLabel:
    if score >= positive_threshold:
        return SentimentLabel.POSITIVE
    if score <= negative_threshold:
        return SentimentLabel.NEGATIVE
    return SentimentLabel.NEUTRAL


def plain(text: str) -> str:
    """Lower case without accents, as LeIA's lexicon is written: "Péssimo" is "pessimo"."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("\u2019", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


REPEATED_LETTER = re.compile(r"([a-z])\1{2,}")
WORD_OR_EMOJI = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[^\s\w]", re.UNICODE)
SKIN_TONES_AND_JOINERS = re.compile("[\U0001f3fb-\U0001f3ff\ufe0f\u200d]")


@dataclass(frozen=True)
class Lexicon:
    """One language's data: valences of words and phrases, and the words that change them."""

    valences: Mapping[str, float]
    phrases: Mapping[tuple[str, ...], float]
    negators: frozenset[str]
    boosters: Mapping[str, float]
    contrasts: frozenset[str]
    """"But": what comes after it weighs more than what came before."""
    intensifying_after_negator: frozenset[str]
    """"Nunca fui tão bem atendido": the negator makes the feeling stronger, not opposite."""
    abbreviations: Mapping[str, tuple[str, ...]]

    @cached_property
    def phrase_table(self) -> _Phrases:
        return _Phrases.of(self.phrases)


@dataclass(frozen=True)
class _Phrases:
    """Phrases with what finding them in a text needs: how long the longest is and which words
    can start one (most words start none, and are passed over with one look-up)."""

    values: Mapping[tuple[str, ...], float]
    longest: int
    first_words: frozenset[str]

    @classmethod
    def of(cls, values: Mapping[tuple[str, ...], float]) -> _Phrases:
        return cls(
            values=values,
            longest=min(MAX_PHRASE_WORDS, max((len(phrase) for phrase in values), default=0)),
            first_words=frozenset(phrase[0] for phrase in values),
        )


@dataclass(frozen=True)
class _Token:
    text: str
    """Empty for a phrase, which is read as one token."""
    shouting: bool = False
    valence: float | None = None
    """Set for a phrase and an emoji; a word's comes from the lexicon."""
    negatable: bool = True
    """False for a phrase that holds its own negator ("não recebi")."""


CLAUSE_END = _Token("|")
"""Punctuation ends what a negator or booster reaches: "não consigo, que saco"."""
CLAUSE_PUNCTUATION = frozenset(",.;:!?")


class SentimentAnalyzer:
    """Scores texts in the languages it has lexicons for; pure and safe to share."""

    def __init__(
        self,
        lexicons: Mapping[str, Lexicon] | None = None,
        emoji: Mapping[str, float] | None = None,
    ) -> None:
        self._lexicons = lexicons or {PORTUGUESE: portuguese(), ENGLISH: english()}
        self._emoji = emoji if emoji is not None else emoji_valences()

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self._lexicons)

    def score(
        self, text: str, language: str, additions: Mapping[str, float] | None = None
    ) -> Sentiment:
        """`additions` are an organization's own words and phrases, over PyTake's lexicon."""
        lexicon = self._lexicons[language]
        phrases = lexicon.phrase_table
        valences: Mapping[str, float] = lexicon.valences
        if additions:
            own = {plain(term).strip(): value for term, value in additions.items()}
            valences = {**valences, **{t: v for t, v in own.items() if " " not in t}}
            own_phrases = {tuple(t.split()): v for t, v in own.items() if " " in t}
            if own_phrases:
                phrases = _Phrases.of({**lexicon.phrases, **own_phrases})
        tokens = _join_phrases(self._tokens(text, lexicon), phrases, lexicon.negators)
        sentiments = _valences(tokens, lexicon, valences)
        total = sum(sentiments)
        if total:
            emphasis = min(text.count("!"), MAX_EXCLAMATIONS) * EXCLAMATION_EMPHASIS
            total += emphasis if total > 0 else -emphasis
        compound = total / math.sqrt(total * total + NORMALIZATION_ALPHA)
        compound = round(max(-1.0, min(1.0, compound)), 4)
        return Sentiment(label_for(compound), compound)

    def _tokens(self, text: str, lexicon: Lexicon) -> list[_Token]:
        shouting_allowed = not text.isupper()
        tokens: list[_Token] = []
        for original in text.split():
            shouting = shouting_allowed and original.isupper() and len(original) > 1
            for part in _word_parts(original):
                if part in self._emoji:
                    tokens.append(_Token(part, valence=self._emoji[part], negatable=False))
                elif part[0].isalnum():
                    expanded = lexicon.abbreviations.get(part, (part,))
                    tokens.extend(_Token(word, shouting) for word in expanded)
                elif part in CLAUSE_PUNCTUATION and tokens and tokens[-1] is not CLAUSE_END:
                    tokens.append(CLAUSE_END)
        return tokens


@lru_cache(maxsize=65_536)
def _word_parts(original: str) -> tuple[str, ...]:
    """A written word's plain words, numbers and symbols; cached, since customers use few words
    many times."""
    cleaned = REPEATED_LETTER.sub(r"\1", plain(original))
    return tuple(WORD_OR_EMOJI.findall(SKIN_TONES_AND_JOINERS.sub("", cleaned)))


def _join_phrases(
    tokens: list[_Token], phrases: _Phrases, negators: frozenset[str]
) -> list[_Token]:
    """Phrases become one valued token, longest first: "nota zero" is not "nota" and "zero"."""
    if not phrases.values:
        return tokens
    texts = [token.text for token in tokens]
    joined: list[_Token] = []
    index = 0
    while index < len(tokens):
        if texts[index] not in phrases.first_words:
            joined.append(tokens[index])
            index += 1
            continue
        for size in range(min(phrases.longest, len(tokens) - index), 1, -1):
            value = phrases.values.get(tuple(texts[index : index + size]))
            if value is not None:
                joined.append(_Token("", valence=value, negatable=texts[index] not in negators))
                index += size
                break
        else:
            joined.append(tokens[index])
            index += 1
    return joined


def _valences(
    tokens: Sequence[_Token], lexicon: Lexicon, valences: Mapping[str, float]
) -> list[float]:
    found: list[float | None] = []
    for token in tokens:
        if token.valence is not None:
            found.append(token.valence)
        elif token.text in valences and token.text not in lexicon.boosters:
            valence = valences[token.text]
            if token.shouting:
                valence += CAPS_EMPHASIS if valence > 0 else -CAPS_EMPHASIS
            found.append(valence)
        else:
            found.append(None)
    sentiments = [
        _modified(valence, tokens, found, index, lexicon) if valence else 0.0
        for index, valence in enumerate(found)
    ]
    return _contrasted(sentiments, tokens, lexicon)


def _modified(
    valence: float,
    tokens: Sequence[_Token],
    found: Sequence[float | None],
    index: int,
    lexicon: Lexicon,
) -> float:
    """Boosters and negators among the few words before, nearer ones weighing more. A negator
    reaches only the first feeling after it ("não resolveram meu problema" is one complaint,
    not two cancelling out), and several negators are one negation, as Portuguese means them
    ("não estou nada satisfeita")."""
    negated = False
    for distance in range(1, LOOK_BACK + 1):
        position = index - distance
        if position < 0:
            break
        before = tokens[position].text
        if tokens[position] is CLAUSE_END or before in lexicon.contrasts:
            break
        boost = lexicon.boosters.get(before)
        if boost is not None:
            scaled = boost * (1 - 0.05 * (distance - 1))
            valence += scaled if valence > 0 else -scaled
        if before in lexicon.negators and tokens[index].negatable:
            between = range(position + 1, index)
            if any(tokens[i].text in lexicon.intensifying_after_negator for i in between):
                valence *= 1.25
            elif not any(found[i] for i in between):
                negated = True
    return valence * NEGATION_SCALAR if negated else valence


def _contrasted(sentiments: list[float], tokens: Sequence[_Token], lexicon: Lexicon) -> list[float]:
    contrast = next((i for i, t in enumerate(tokens) if t.text in lexicon.contrasts), None)
    if contrast is None:
        return sentiments
    return [
        value * 0.5 if i < contrast else value * 1.5 if i > contrast else value
        for i, value in enumerate(sentiments)
    ]


def _overlay(name: str) -> tuple[dict[str, float], dict[tuple[str, ...], float]]:
    words: dict[str, float] = {}
    phrases: dict[tuple[str, ...], float] = {}
    text = resources.files("domain.ai").joinpath("lexicons", name).read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        term, value = line.split("\t")[:2]
        key = plain(term.strip())
        if " " in key:
            phrases[tuple(key.split())] = float(value)
        else:
            words[key] = float(value)
    return words, phrases


def _base_lexicon(package: str, name: str) -> dict[str, float]:
    valences: dict[str, float] = {}
    text = resources.files(package).joinpath(name).read_text("utf-8")
    for line in text.splitlines():
        fields = line.split("\t")
        if len(fields) >= 2 and " " not in fields[0].strip():
            valences[plain(fields[0].strip())] = float(fields[1])
    return valences


def _abbreviations(pairs: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    return {short: tuple(full.split()) for short, full in pairs.items()}


@cache
def portuguese() -> Lexicon:
    base = _base_lexicon("LeIA", "lexicons/vader_lexicon_ptbr.txt")
    words, phrases = _overlay("customer_service_pt_br.tsv")
    valences = {term: value for term, value in {**base, **words}.items() if value}
    return Lexicon(
        valences=valences,
        phrases=phrases,
        negators=frozenset(
            {w for w in leia.NEGATE if " " not in w}
            | {"nunca", "jamais", "nem", "ninguem", "nada", "nenhum", "nenhuma", "sem"}
        ),
        boosters={
            **{plain(word): value for word, value in leia.BOOSTER_DICT.items() if " " not in word},
            "muito": BOOSTER_STEP,
            "super": BOOSTER_STEP,
            "mega": BOOSTER_STEP,
            "tao": BOOSTER_STEP,
            "bem": BOOSTER_STEP,
            "bastante": BOOSTER_STEP,
            "pouco": -BOOSTER_STEP,
        },
        contrasts=frozenset({"mas", "porem", "contudo", "entretanto"}),
        intensifying_after_negator=frozenset({"tao", "tanto", "tanta"}),
        abbreviations=_abbreviations(
            {
                "n": "nao",
                "nn": "nao",
                "naum": "nao",
                "vc": "voce",
                "vcs": "voces",
                "q": "que",
                "pq": "porque",
                "tb": "tambem",
                "tbm": "tambem",
                "obg": "obrigado",
                "obgd": "obrigado",
                "obgda": "obrigada",
                "vlw": "valeu",
                "blz": "beleza",
                "mt": "muito",
                "mto": "muito",
                "td": "tudo",
                "hj": "hoje",
                "cmg": "comigo",
                "msg": "mensagem",
                "pfv": "por favor",
                "pf": "por favor",
                "ta": "esta",
                "to": "estou",
                "tava": "estava",
                "pra": "para",
                "pro": "para o",
            }
        ),
    )


@cache
def english() -> Lexicon:
    base = _base_lexicon("vaderSentiment", "vader_lexicon.txt")
    words, phrases = _overlay("customer_service_en.tsv")
    valences = {term: value for term, value in {**base, **words}.items() if value}
    return Lexicon(
        valences=valences,
        phrases=phrases,
        negators=frozenset(vaderSentiment.NEGATE) | {"nobody", "noone", "no"},
        boosters=dict(vaderSentiment.BOOSTER_DICT),
        contrasts=frozenset({"but", "however"}),
        intensifying_after_negator=frozenset({"so", "such"}),
        abbreviations=_abbreviations(
            {
                "u": "you",
                "ur": "your",
                "thx": "thanks",
                "ty": "thank you",
                "pls": "please",
                "plz": "please",
                "im": "i'm",
                "cant": "can't",
                "dont": "don't",
                "doesnt": "doesn't",
                "didnt": "didn't",
                "isnt": "isn't",
                "wont": "won't",
            }
        ),
    )


@cache
def emoji_valences() -> dict[str, float]:
    """Emoji as a support chat reads them, from PyTake's table (lexicons/emoji.tsv)."""
    words, _ = _overlay("emoji.tsv")
    return {SKIN_TONES_AND_JOINERS.sub("", emoji): value for emoji, value in words.items()}
