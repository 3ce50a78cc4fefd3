"""An organization's intents (what its customers come for), each learnt from examples, and the
versioned models trained from them (decision 0029)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from domain.ai.intents import INTENT_NAME, UNSURE, Evaluation
from domain.errors import InvalidInput

MAX_DESCRIPTION = 200
MAX_EXAMPLES = 100
"""As many as one list input holds (graphql_api/input_limits.py)."""
MAX_EXAMPLE_LENGTH = 500
MAX_INTENTS = 100
KEPT_MODELS = 5
"""Trained versions whose model is kept (to compare, or to fall back on); older ones keep
their figures only."""


class ModelStatus(StrEnum):
    QUEUED = "queued"
    TRAINING = "training"
    READY = "ready"
    FAILED = "failed"


@dataclass(frozen=True)
class Intent:
    id: UUID
    organization_id: UUID
    name: str
    description: str
    examples: tuple[str, ...]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class IntentDraft:
    name: str
    description: str
    examples: tuple[str, ...]


def checked_intent(draft: IntentDraft) -> IntentDraft:
    """Names are flow ways: lower case, digits and "_"; examples are kept once each."""
    name = draft.name.strip().lower()
    if not INTENT_NAME.fullmatch(name):
        raise InvalidInput(
            "name has 1 to 40 lower-case letters, digits or '_', starting with a letter",
            field="name",
        )
    if name == UNSURE:
        raise InvalidInput(f"'{UNSURE}' is the way taken when no intent is sure", field="name")
    description = " ".join(draft.description.split())
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(f"description has at most {MAX_DESCRIPTION} characters", "description")
    examples: dict[str, str] = {}
    for example in draft.examples:
        text = " ".join(example.split())
        if not 1 <= len(text) <= MAX_EXAMPLE_LENGTH:
            raise InvalidInput(
                f"each example has 1 to {MAX_EXAMPLE_LENGTH} characters", field="examples"
            )
        examples.setdefault(text.casefold(), text)
    if len(examples) > MAX_EXAMPLES:
        raise InvalidInput(f"an intent has at most {MAX_EXAMPLES} examples", field="examples")
    return IntentDraft(name, description, tuple(examples.values()))


@dataclass(frozen=True)
class IntentModel:
    """One training of an organization's intents: its progress, then its figures."""

    id: UUID
    organization_id: UUID
    version: int
    status: ModelStatus
    stage: str
    progress: float
    """Share of the training done, 0 to 1."""
    requested_at: datetime
    requested_by: UUID | None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    training_seconds: float | None = None
    evaluation: Evaluation | None = None
    error: str | None = None
