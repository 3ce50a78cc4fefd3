"""An organization's AI settings and the alerts its rules raised."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from domain.accounts.model import MANAGER_ROLES, SUPERVISING_ROLES, Actor
from domain.audit import AuditEntry
from domain.clock import Clock
from domain.errors import NotFound
from domain.pagination import Page, PageRequest
from domain.signals.events import AiAlertResolved, AiSettingsUpdated
from domain.signals.insights import (
    AiInsights,
    InsightGrouping,
    checked_period,
    top_intents,
    total,
    trend,
)
from domain.signals.ports import SignalsUnitOfWork
from domain.signals.settings import AiSettings, Alert, AlertRules, checked_settings
from domain.unit_of_work import UnitOfWorkFactory


@dataclass(frozen=True)
class AiSettingsChanges:
    """What to change; None leaves a setting as it is."""

    enabled: bool | None = None
    languages: tuple[str, ...] | None = None
    negative_threshold: float | None = None
    positive_threshold: float | None = None
    lexicon: dict[str, float] | None = None
    negative_streak: int | None = None
    angry_waiting_minutes: int | None = None
    vip_labels: tuple[str, ...] | None = None
    clear_negative_streak: bool = False
    clear_angry_waiting: bool = False


NEGATIVE_LISTED = 20
"""Conversations listed as negative in insights, latest first."""


class AiService:
    def __init__(self, unit_of_work: UnitOfWorkFactory[SignalsUnitOfWork], clock: Clock) -> None:
        self._uow = unit_of_work
        self._clock = clock

    async def settings(self, actor: Actor) -> AiSettings:
        _, organization_id, _ = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            return await uow.ai_settings.get()

    async def update_settings(self, actor: Actor, changes: AiSettingsChanges) -> AiSettings:
        """Owners and admins; audited with the settings before and after."""
        user_id, organization_id, _ = actor.require_role(MANAGER_ROLES)
        async with self._uow(organization_id) as uow:
            current = await uow.ai_settings.get()
            updated = checked_settings(_changed(current, changes))
            before, after = current.document(), updated.document()
            changed = tuple(key for key in after if after[key] != before[key])
            if changed:
                now = self._clock.now()
                await uow.ai_settings.save(updated, now, user_id)
                uow.emit(AiSettingsUpdated(organization_id=organization_id, changed=changed))
                uow.audit(
                    AuditEntry(
                        organization_id=organization_id,
                        action="ai_settings.update",
                        target_type="ai_settings",
                        target_id=str(organization_id),
                        occurred_at=now,
                        actor_user_id=user_id,
                        client_ip=actor.client_ip,
                        changes={
                            key: {"before": before[key], "after": after[key]} for key in changed
                        },
                    )
                )
                await uow.commit()
        return updated

    async def alerts(
        self, actor: Actor, unresolved_only: bool, request: PageRequest
    ) -> Page[Alert]:
        """Supervisors and up: alerts watch every conversation."""
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        size = request.size()
        async with self._uow(organization_id, read_only=True) as uow:
            return await uow.ai_alerts.page(unresolved_only, size, request)

    async def resolve_alert(self, actor: Actor, alert_id: UUID) -> Alert:
        """Supervisors and up; the rule can go off again in the conversation afterwards."""
        user_id, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        async with self._uow(organization_id) as uow:
            alert = await uow.ai_alerts.get(alert_id)
            if alert is None:
                raise NotFound("AiAlert", alert_id)
            if alert.resolved_at is not None:
                return alert
            now = self._clock.now()
            await uow.ai_alerts.resolve(alert_id, now, user_id)
            uow.emit(
                AiAlertResolved(
                    organization_id=organization_id,
                    alert_id=alert_id,
                    conversation_id=alert.conversation_id,
                    resolved_by=user_id,
                )
            )
            uow.audit(
                AuditEntry(
                    organization_id=organization_id,
                    action="ai_alert.resolve",
                    target_type="ai_alert",
                    target_id=str(alert_id),
                    occurred_at=now,
                    actor_user_id=user_id,
                    client_ip=actor.client_ip,
                    changes={"rule": alert.rule.value},
                )
            )
            await uow.commit()
        return replace(alert, resolved_at=now, resolved_by=user_id)

    async def insights(
        self,
        actor: Actor,
        since: datetime,
        until: datetime,
        grouping: InsightGrouping,
        number_id: UUID | None,
    ) -> AiInsights:
        """Supervisors and up; from the hourly rollups, each hour counted whole in the period
        its start falls in."""
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        checked_period(since, until, grouping)
        async with self._uow(organization_id, read_only=True) as uow:
            organization = await uow.organization.get()
            settings = await uow.ai_settings.get()
            hours = await uow.insights.sentiment_hours(since, until, number_id)
            intents = await uow.insights.intent_hours(since, until, number_id)
            before = await uow.insights.intent_hours(since - (until - since), since, number_id)
            suggestions = await uow.insights.suggestion_usage(since, until)
            negative = await uow.insights.negative_conversations(
                since, until, number_id, settings.negative_threshold, NEGATIVE_LISTED
            )
        zone = ZoneInfo(organization.time_zone or "UTC")
        return AiInsights(
            since=since,
            until=until,
            grouping=grouping,
            sentiment=total(hours),
            trend=trend(hours, grouping, zone),
            top_intents=top_intents(intents, before),
            suggestions=suggestions,
            turned_negative_conversations=tuple(negative),
        )


def _changed(current: AiSettings, changes: AiSettingsChanges) -> AiSettings:
    rules = current.alerts
    streak = rules.negative_streak
    if changes.clear_negative_streak:
        streak = None
    elif changes.negative_streak is not None:
        streak = changes.negative_streak
    waiting = rules.angry_waiting_minutes
    if changes.clear_angry_waiting:
        waiting = None
    elif changes.angry_waiting_minutes is not None:
        waiting = changes.angry_waiting_minutes
    return AiSettings(
        enabled=current.enabled if changes.enabled is None else changes.enabled,
        languages=current.languages if changes.languages is None else changes.languages,
        negative_threshold=current.negative_threshold
        if changes.negative_threshold is None
        else changes.negative_threshold,
        positive_threshold=current.positive_threshold
        if changes.positive_threshold is None
        else changes.positive_threshold,
        lexicon=current.lexicon if changes.lexicon is None else changes.lexicon,
        alerts=AlertRules(
            streak,
            waiting,
            rules.vip_labels if changes.vip_labels is None else changes.vip_labels,
        ),
    )
