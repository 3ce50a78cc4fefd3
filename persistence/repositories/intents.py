"""An organization's intents, and the trainings of its intent model with the intents worker's
backlog: the trainings whose `due_at` is set."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import RowMapping, Table, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.ai.intents import Evaluation
from domain.signals.intents import Intent, IntentModel, ModelStatus
from persistence.claims import claim_due
from persistence.database import Database
from persistence.models.signals import IntentModelRow, IntentRow

INTENTS = cast(Table, IntentRow.__table__)
MODELS = cast(Table, IntentModelRow.__table__)
PENDING = (ModelStatus.QUEUED.value, ModelStatus.TRAINING.value)


@dataclass(frozen=True)
class DueTraining:
    organization_id: uuid.UUID
    model_id: uuid.UUID


async def claim_due_trainings(
    database: Database, limit: int, now: datetime, lease: timedelta
) -> list[DueTraining]:
    """Trainings to run, oldest first, taken for `lease`: a worker that dies mid-training
    leaves it to be claimed again once the lease runs out."""
    rows = await claim_due(
        database, MODELS, "due_at", limit, now, lease, (MODELS.c.organization_id, MODELS.c.id)
    )
    return [DueTraining(row.organization_id, row.id) for row in rows]


def _intent(row: RowMapping) -> Intent:
    return Intent(
        id=row["id"],
        organization_id=row["organization_id"],
        name=row["name"],
        description=row["description"],
        examples=tuple(row["examples"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


class SqlIntentRepository:
    def __init__(self, session: AsyncSession, organization_id: uuid.UUID) -> None:
        self._session = session
        self._organization_id = organization_id
        self._mine = INTENTS.c.organization_id == organization_id

    async def list(self) -> list[Intent]:
        result = await self._session.execute(
            select(INTENTS).where(self._mine).order_by(INTENTS.c.name)
        )
        return [_intent(row) for row in result.mappings()]

    async def get(self, intent_id: uuid.UUID) -> Intent | None:
        result = await self._session.execute(
            select(INTENTS).where(self._mine, INTENTS.c.id == intent_id)
        )
        row = result.mappings().first()
        return _intent(row) if row else None

    async def by_name(self, name: str) -> Intent | None:
        result = await self._session.execute(
            select(INTENTS).where(self._mine, INTENTS.c.name == name)
        )
        row = result.mappings().first()
        return _intent(row) if row else None

    async def save(self, intent: Intent) -> None:
        values = {
            "name": intent.name,
            "description": intent.description,
            "examples": list(intent.examples),
            "updated_at": intent.updated_at,
        }
        changed = await self._session.execute(
            update(INTENTS).where(self._mine, INTENTS.c.id == intent.id).values(values)
        )
        if changed.rowcount == 0:  # type: ignore[attr-defined]
            await self._session.execute(
                insert(INTENTS).values(
                    id=intent.id,
                    organization_id=self._organization_id,
                    created_at=intent.created_at,
                    **values,
                )
            )

    async def delete(self, intent_id: uuid.UUID) -> None:
        await self._session.execute(delete(INTENTS).where(self._mine, INTENTS.c.id == intent_id))


MODEL_COLUMNS = [column for column in MODELS.columns if column.name != "artifact"]


def _evaluation(document: Mapping[str, Any] | None) -> Evaluation | None:
    if document is None:
        return None
    return Evaluation(
        accuracy=document["accuracy"],
        macro_f1=document["macroF1"],
        labels=tuple(document["labels"]),
        confusion=tuple(tuple(row) for row in document["confusion"]),
        held_out=document["heldOut"],
        trained_on=document["trainedOn"],
    )


def _evaluation_document(evaluation: Evaluation | None) -> dict[str, Any] | None:
    if evaluation is None:
        return None
    return {
        "accuracy": evaluation.accuracy,
        "macroF1": evaluation.macro_f1,
        "labels": list(evaluation.labels),
        "confusion": [list(row) for row in evaluation.confusion],
        "heldOut": evaluation.held_out,
        "trainedOn": evaluation.trained_on,
    }


def _model(row: RowMapping) -> IntentModel:
    return IntentModel(
        id=row["id"],
        organization_id=row["organization_id"],
        version=row["version"],
        status=ModelStatus(row["status"]),
        stage=row["stage"],
        progress=row["progress"],
        requested_at=row["requested_at"],
        requested_by=row["requested_by"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        training_seconds=row["training_seconds"],
        evaluation=_evaluation(row["evaluation"]),
        error=row["error"],
    )


class SqlIntentModelRepository:
    def __init__(self, session: AsyncSession, organization_id: uuid.UUID) -> None:
        self._session = session
        self._organization_id = organization_id
        self._mine = MODELS.c.organization_id == organization_id

    async def _one(self, *conditions: Any) -> IntentModel | None:
        result = await self._session.execute(
            select(*MODEL_COLUMNS)
            .where(self._mine, *conditions)
            .order_by(MODELS.c.version.desc())
            .limit(1)
        )
        row = result.mappings().first()
        return _model(row) if row else None

    async def get(self, model_id: uuid.UUID) -> IntentModel | None:
        return await self._one(MODELS.c.id == model_id)

    async def latest(self, limit: int) -> list[IntentModel]:
        result = await self._session.execute(
            select(*MODEL_COLUMNS).where(self._mine).order_by(MODELS.c.version.desc()).limit(limit)
        )
        return [_model(row) for row in result.mappings()]

    async def active(self) -> IntentModel | None:
        return await self._one(MODELS.c.status == ModelStatus.READY.value)

    async def pending(self) -> IntentModel | None:
        return await self._one(MODELS.c.status.in_(PENDING))

    async def add(self, model: IntentModel) -> None:
        await self._session.execute(
            insert(MODELS).values(
                id=model.id,
                organization_id=self._organization_id,
                due_at=model.requested_at,
                **self._values(model),
            )
        )

    async def save(self, model: IntentModel, artifact: bytes | None = None) -> None:
        values = self._values(model)
        if model.status not in (ModelStatus.QUEUED, ModelStatus.TRAINING):
            values["due_at"] = None
        if artifact is not None:
            values["artifact"] = artifact
        await self._session.execute(
            update(MODELS).where(self._mine, MODELS.c.id == model.id).values(values)
        )

    async def artifact(self, model_id: uuid.UUID) -> bytes | None:
        stored: bytes | None = await self._session.scalar(
            select(MODELS.c.artifact).where(self._mine, MODELS.c.id == model_id)
        )
        return stored

    async def forget_artifacts_before(self, version: int) -> None:
        await self._session.execute(
            update(MODELS)
            .where(self._mine, MODELS.c.version < version, MODELS.c.artifact.is_not(None))
            .values(artifact=None)
        )

    @staticmethod
    def _values(model: IntentModel) -> dict[str, Any]:
        return {
            "version": model.version,
            "status": model.status.value,
            "stage": model.stage,
            "progress": model.progress,
            "requested_at": model.requested_at,
            "requested_by": model.requested_by,
            "started_at": model.started_at,
            "finished_at": model.finished_at,
            "training_seconds": model.training_seconds,
            "evaluation": _evaluation_document(model.evaluation),
            "error": model.error,
        }
