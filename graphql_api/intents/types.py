"""Intents and the trainings of the intent model, as the API shows them."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from domain.events import StoredEvent
from domain.signals import intents as domain
from domain.signals.events import IntentModelUpdated


@strawberry.type(description="Something customers come for, learnt from the examples given.")
class Intent:
    id: strawberry.ID = strawberry.field(description="PyTake's id of the intent.")
    name: str = strawberry.field(
        description="Lower-case letters, digits and '_' (it names a way of the logic_intent "
        "flow node); the organization's once."
    )
    description: str = strawberry.field(description="What it means, for the team.")
    examples: list[str] = strawberry.field(
        description="Customer messages that mean it (at least 5 for training, at most 100)."
    )
    created_at: datetime = strawberry.field(description="When it was created (UTC).")
    updated_at: datetime = strawberry.field(
        description="When it last changed (UTC); messages read it by the model trained after."
    )

    @classmethod
    def from_domain(cls, intent: domain.Intent) -> Intent:
        return cls(
            id=strawberry.ID(str(intent.id)),
            name=intent.name,
            description=intent.description,
            examples=list(intent.examples),
            created_at=intent.created_at,
            updated_at=intent.updated_at,
        )


@strawberry.enum(description="Where a training of the intent model is.")
class IntentModelStatus(Enum):
    QUEUED = strawberry.enum_value("queued", description="Waiting for the intents worker.")
    TRAINING = strawberry.enum_value("training", description="Under way.")
    READY = strawberry.enum_value(
        "ready", description="Trained; the newest ready version reads new messages."
    )
    FAILED = strawberry.enum_value("failed", description="Did not train; see `error`.")


@strawberry.type(description="How often each intent was read as each other one.")
class IntentConfusionMatrix:
    labels: list[str] = strawberry.field(description="The intents, in row and column order.")
    counts: list[list[int]] = strawberry.field(
        description="counts[i][j]: held-out examples of labels[i] read as labels[j]; the "
        "diagonal is what was read right."
    )


@strawberry.type(description="One training of the organization's intent model.")
class IntentModel:
    id: strawberry.ID = strawberry.field(description="PyTake's id of the training.")
    version: int = strawberry.field(description="1, 2, …: one more for each training.")
    status: IntentModelStatus = strawberry.field(description="Where it is.")
    stage: str = strawberry.field(
        description="What it is doing: queued, starting, splitting, evaluating, training, "
        "ready or failed."
    )
    progress: float = strawberry.field(description="Share of the training done, 0 to 1.")
    requested_at: datetime = strawberry.field(description="When it was asked for (UTC).")
    started_at: datetime | None = strawberry.field(description="When training began (UTC).")
    trained_at: datetime | None = strawberry.field(
        description="When it was ready (UTC); null until then."
    )
    training_seconds: float | None = strawberry.field(
        description="How long training took, on one core."
    )
    accuracy: float | None = strawberry.field(
        description="Share of held-out examples read as the right intent (0 to 1): measured on "
        "a fifth of each intent's examples kept out of training, before the model kept was "
        "trained on all of them."
    )
    macro_f1: float | None = strawberry.field(
        description="The held-out F1 score averaged over intents, each counting the same."
    )
    example_count: int | None = strawberry.field(description="Examples it was trained on.")
    held_out_count: int | None = strawberry.field(description="Examples it was measured on.")
    confusion_matrix: IntentConfusionMatrix | None = strawberry.field(
        description="Held-out examples by true and read intent."
    )
    error: str | None = strawberry.field(description="Why it failed, for FAILED.")

    @classmethod
    def from_domain(cls, model: domain.IntentModel) -> IntentModel:
        evaluation = model.evaluation
        return cls(
            id=strawberry.ID(str(model.id)),
            version=model.version,
            status=IntentModelStatus(model.status.value),
            stage=model.stage,
            progress=model.progress,
            requested_at=model.requested_at,
            started_at=model.started_at,
            trained_at=model.finished_at if model.status is domain.ModelStatus.READY else None,
            training_seconds=model.training_seconds,
            accuracy=evaluation.accuracy if evaluation else None,
            macro_f1=evaluation.macro_f1 if evaluation else None,
            example_count=evaluation.trained_on if evaluation else None,
            held_out_count=evaluation.held_out if evaluation else None,
            confusion_matrix=IntentConfusionMatrix(
                labels=list(evaluation.labels),
                counts=[list(row) for row in evaluation.confusion],
            )
            if evaluation
            else None,
            error=model.error,
        )


@strawberry.type(description="A training of the intent model was queued, moved on or finished.")
class IntentModelEvent:
    event_id: strawberry.ID = strawberry.field(
        description="The event's id; pass the last one as `after` when resubscribing."
    )
    model_id: strawberry.ID = strawberry.field(description="The training.")
    version: int = strawberry.field(description="Its version.")
    status: IntentModelStatus = strawberry.field(description="Where it is now.")
    stage: str = strawberry.field(description="What it is doing now.")
    progress: float = strawberry.field(description="Share done, 0 to 1.")
    occurred_at: datetime = strawberry.field(description="When it was committed (UTC).")

    @classmethod
    def from_event(cls, event: StoredEvent) -> IntentModelEvent:
        fact = IntentModelUpdated.read(event)
        return cls(
            event_id=strawberry.ID(str(event.sequence)),
            model_id=strawberry.ID(str(fact.model_id)),
            version=fact.version,
            status=IntentModelStatus(fact.status),
            stage=fact.stage,
            progress=fact.progress,
            occurred_at=event.occurred_at,
        )
