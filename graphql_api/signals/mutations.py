"""Changing the AI settings, and resolving alerts."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain.signals.services import AiSettingsChanges
from graphql_api.context import Context
from graphql_api.errors import NotFoundError, PermissionDeniedError, ValidationError
from graphql_api.ids import parse_uuid
from graphql_api.mutations import MUTATION_INPUT, mutation
from graphql_api.signals.inputs import AiAlertIdInput, AiSettingsUpdateInput
from graphql_api.signals.types import AiAlert, AiSettings


@strawberry.type(description="The AI settings are changed.")
class AiSettingsUpdateSuccess:
    settings: AiSettings = strawberry.field(description="The settings as they are now.")


@strawberry.type(description="The alert is resolved.")
class AiAlertResolveSuccess:
    alert: AiAlert = strawberry.field(description="The alert as it is now.")


AiSettingsUpdatePayload = Annotated[
    AiSettingsUpdateSuccess | ValidationError | PermissionDeniedError,
    strawberry.union("AiSettingsUpdatePayload", description="The outcome of aiSettingsUpdate."),
]
AiAlertResolvePayload = Annotated[
    AiAlertResolveSuccess | NotFoundError | PermissionDeniedError,
    strawberry.union("AiAlertResolvePayload", description="The outcome of aiAlertResolve."),
]


@strawberry.type
class SignalsMutations:
    @mutation(
        description="Change what the organization chose about reading its customers' texts "
        "(owners and admins); audited with each setting before and after. Texts already read "
        "keep their sentiment; new ones are read with the new settings."
    )
    async def ai_settings_update(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[AiSettingsUpdateInput, MUTATION_INPUT],
    ) -> AiSettingsUpdatePayload:
        settings = await info.context.services.ai.update_settings(
            info.context.actor,
            AiSettingsChanges(
                enabled=input.enabled,
                languages=tuple(input.languages) if input.languages is not None else None,
                negative_threshold=input.negative_threshold,
                positive_threshold=input.positive_threshold,
                lexicon={entry.term: entry.valence for entry in input.lexicon}
                if input.lexicon is not None
                else None,
                negative_streak=input.negative_streak,
                angry_waiting_minutes=input.angry_waiting_minutes,
                vip_labels=tuple(input.vip_labels) if input.vip_labels is not None else None,
                clear_negative_streak=input.clear_negative_streak,
                clear_angry_waiting=input.clear_angry_waiting_minutes,
            ),
        )
        return AiSettingsUpdateSuccess(settings=AiSettings.from_domain(settings))

    @mutation(
        description="Resolve an AI alert (supervisors and up); its rule can go off again in the "
        "conversation afterwards."
    )
    async def ai_alert_resolve(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[AiAlertIdInput, MUTATION_INPUT],
    ) -> AiAlertResolvePayload:
        alert = await info.context.services.ai.resolve_alert(
            info.context.actor, parse_uuid(input.id, "id")
        )
        return AiAlertResolveSuccess(alert=AiAlert.from_domain(alert))
