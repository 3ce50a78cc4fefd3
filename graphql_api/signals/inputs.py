"""Changing the AI settings, and naming an alert."""

from __future__ import annotations

import strawberry


@strawberry.input(description="A word or phrase and the feeling it carries.")
class LexiconEntryInput:
    term: str = strawberry.field(description="The word or phrase (accents are ignored).")
    valence: float = strawberry.field(description="From -4 (most negative) to 4.")


@strawberry.input(description="What to change in the AI settings; null leaves it as it is.")
class AiSettingsUpdateInput:
    enabled: bool | None = strawberry.field(default=None, description="Read texts at all.")
    languages: list[str] | None = strawberry.field(default=None, description="pt-BR and/or en.")
    negative_threshold: float | None = strawberry.field(
        default=None, description="Between -1 and 0: at or below it a score is negative."
    )
    positive_threshold: float | None = strawberry.field(
        default=None, description="Between 0 and 1: at or above it a score is positive."
    )
    lexicon: list[LexiconEntryInput] | None = strawberry.field(
        default=None,
        description="Replaces the organization's own words and phrases (at most 100; terms of "
        "up to 60 characters).",
    )
    negative_streak: int | None = strawberry.field(
        default=None, description="Negative texts in a row that raise an alert (2 to 4)."
    )
    clear_negative_streak: bool = strawberry.field(
        default=False, description="Turn the streak rule off."
    )
    angry_waiting_minutes: int | None = strawberry.field(
        default=None, description="Minutes waited in a queue after which a negative text alerts."
    )
    clear_angry_waiting_minutes: bool = strawberry.field(
        default=False, description="Turn the waiting rule off."
    )
    vip_labels: list[str] | None = strawberry.field(
        default=None, description="Labels whose conversations alert on any negative text."
    )


@strawberry.input(description="An AI alert of the caller's organization.")
class AiAlertIdInput:
    id: strawberry.ID = strawberry.field(description="The alert.")
