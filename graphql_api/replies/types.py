"""Canned responses and reply suggestions, as the API shows them."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from domain.replies import model
from domain.replies.suggestions import Suggestion


@strawberry.type(description="A ready answer of the team, inserted by typing /shortcut.")
class CannedResponse:
    id: strawberry.ID = strawberry.field(description="PyTake's id of the canned response.")
    shortcut: str = strawberry.field(
        description="What an agent types after '/' to insert it: lower-case letters, digits, "
        "'-' and '_'; the organization's once."
    )
    title: str = strawberry.field(description="What it is for, as the composer lists it.")
    body: str = strawberry.field(description="The text sent.")
    created_at: datetime = strawberry.field(description="When it was created (UTC).")
    updated_at: datetime = strawberry.field(description="When it last changed (UTC).")

    @classmethod
    def from_domain(cls, canned: model.CannedResponse) -> CannedResponse:
        return cls(
            id=strawberry.ID(str(canned.id)),
            shortcut=canned.shortcut,
            title=canned.title,
            body=canned.body,
            created_at=canned.created_at,
            updated_at=canned.updated_at,
        )


@strawberry.enum(description="Where a reply suggestion comes from.")
class ReplySuggestionSource(Enum):
    CANNED = strawberry.enum_value("canned", description="One of the team's canned responses.")
    TEMPLATE = strawberry.enum_value(
        "template",
        description="An approved template: offered when the 24-hour window is closed, since "
        "only templates reach the customer then.",
    )
    PAST_REPLY = strawberry.enum_value(
        "past_reply", description="What an agent answered a similar customer text before."
    )


@strawberry.type(description="A reply an agent might send next, ranked locally (BM25).")
class ReplySuggestion:
    source: ReplySuggestionSource = strawberry.field(description="Where it comes from.")
    text: str = strawberry.field(
        description="The text to send (a template's body, with its placeholders)."
    )
    score: float = strawberry.field(
        description="How well it matches the customer's latest text; higher is better, "
        "comparable within one answer only."
    )
    canned_response_id: strawberry.ID | None = strawberry.field(
        description="The canned response, for CANNED."
    )
    template_name: str | None = strawberry.field(description="The template's name, for TEMPLATE.")
    template_language: str | None = strawberry.field(
        description="The template's language, for TEMPLATE."
    )

    @classmethod
    def from_domain(cls, suggestion: Suggestion) -> ReplySuggestion:
        candidate = suggestion.candidate
        source = ReplySuggestionSource(candidate.source.value)
        name, _, language = (candidate.reference or "").partition(":")
        return cls(
            source=source,
            text=candidate.reply,
            score=suggestion.score,
            canned_response_id=strawberry.ID(candidate.reference)
            if source is ReplySuggestionSource.CANNED and candidate.reference
            else None,
            template_name=name if source is ReplySuggestionSource.TEMPLATE else None,
            template_language=language if source is ReplySuggestionSource.TEMPLATE else None,
        )
