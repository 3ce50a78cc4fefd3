"""Connecting WhatsApp Business numbers: their Meta ids, limits and encrypted credentials."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from domain.accounts.model import MANAGER_ROLES, Actor
from domain.audit import AuditEntry
from domain.clock import Clock
from domain.errors import Conflict, InvalidInput, MetaRefused, NotFound
from domain.secrets import SecretBox
from domain.unit_of_work import UnitOfWorkFactory
from domain.whatsapp.events import WhatsAppNumberChanged
from domain.whatsapp.graph import GraphApi
from domain.whatsapp.meta_errors import CREDENTIAL_CODES, GraphApiFailure
from domain.whatsapp.model import DEFAULT_MESSAGES_PER_SECOND, WhatsAppNumber
from domain.whatsapp.ports import WhatsAppUnitOfWork

META_ID = re.compile(r"^[0-9]{1,32}$")
MAX_SECRET_LENGTH = 2048
AUDIT_VERBS = {"created": "create", "updated": "update", "deleted": "delete"}
THROUGHPUT_LEVELS = {"STANDARD": DEFAULT_MESSAGES_PER_SECOND, "HIGH": 1000}
"""Meta's throughput levels in messages per second (reference §7.1)."""
MAX_MESSAGES_PER_SECOND = 1000
"""Meta's highest automatic throughput tier (reference §7.1)."""


@dataclass(frozen=True)
class NumberDetails:
    """What an administrator may set; None leaves a field as it is on update."""

    display_phone_number: str | None = None
    verified_name: str | None = None
    messages_per_second: int | None = None
    access_token: str | None = None
    app_secret: str | None = None
    verify_token: str | None = None


@dataclass(frozen=True)
class WebhookDefaults:
    """What the installation sets for every number: PYTAKE_WHATSAPP_APP_SECRET and
    PYTAKE_WHATSAPP_VERIFY_TOKEN."""

    app_secret: bool = False
    verify_token: bool = False


@dataclass(frozen=True)
class ConnectivityCheck:
    name: str
    """accessToken, webhookSubscription, appSecret or verifyToken."""
    ok: bool
    sentence: str
    """What was found, and what to do about it when it is wrong."""


def _meta_id(value: str, field: str) -> str:
    cleaned = value.strip()
    if not META_ID.match(cleaned):
        raise InvalidInput(f"'{field}' must be Meta's numeric id (digits only)", field=field)
    return cleaned


def _secret(value: str, field: str) -> str:
    cleaned = value.strip()
    if not cleaned:
        raise InvalidInput(f"'{field}' must not be empty", field=field)
    if len(cleaned) > MAX_SECRET_LENGTH:
        raise InvalidInput(f"'{field}' is longer than {MAX_SECRET_LENGTH} characters", field=field)
    return cleaned


def _rate(value: int) -> int:
    if not 1 <= value <= MAX_MESSAGES_PER_SECOND:
        raise InvalidInput(
            f"'messagesPerSecond' must be between 1 and {MAX_MESSAGES_PER_SECOND}",
            field="messagesPerSecond",
        )
    return value


class NumberService:
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory[WhatsAppUnitOfWork],
        secrets: SecretBox,
        clock: Clock,
        graph: GraphApi | None = None,
        webhook_defaults: WebhookDefaults | None = None,
    ) -> None:
        self._uow = unit_of_work
        self._secrets = secrets
        self._clock = clock
        self._graph = graph
        self._webhooks = webhook_defaults or WebhookDefaults()

    async def check(
        self, actor: Actor, number_id: UUID, callback_url: str
    ) -> list[ConnectivityCheck]:
        """Whether the number can work: its access token against the Graph API, an app
        subscribed to its WhatsApp account's webhooks, and the app secret and verify token
        its webhooks need. Nothing is changed."""
        _, organization_id, _ = actor.require_role(MANAGER_ROLES)
        graph = self._graph
        if graph is None:
            raise RuntimeError("NumberService was built without a Graph API client")
        async with self._uow(organization_id, read_only=True) as uow:
            number = await self._load(uow, number_id)
        token = self._secrets.open(number.access_token_sealed)
        checks = []
        try:
            fields = await graph.phone_number(number.phone_number_id, token)
        except GraphApiFailure as failure:
            token_works = False
            if failure.code in CREDENTIAL_CODES:
                sentence = (
                    f"Meta refused the access token ({failure.sentence}): create a new one (a "
                    "system user's token in Meta's Business Manager) and save it on this number."
                )
            else:
                sentence = (
                    f"The Graph API could not be asked about this number: {failure.sentence}."
                )
            checks.append(ConnectivityCheck("accessToken", False, sentence))
        else:
            token_works = True
            name = fields.get("verified_name") or number.verified_name or "no verified name"
            shown = fields.get("display_phone_number") or number.display_phone_number
            checks.append(
                ConnectivityCheck(
                    "accessToken",
                    True,
                    f"The access token works: Meta answered for {shown} ({name}).",
                )
            )
        checks.append(
            await _subscription(graph, number, token)
            if token_works
            else (
                ConnectivityCheck(
                    "webhookSubscription", False, "Not checked: the access token must work first."
                )
            )
        )
        own_secret = number.has_app_secret
        checks.append(
            ConnectivityCheck(
                "appSecret",
                own_secret or self._webhooks.app_secret,
                "Webhooks for this number are checked against its own app secret."
                if own_secret
                else "Webhooks for this number are checked against the installation's app secret "
                "(PYTAKE_WHATSAPP_APP_SECRET)."
                if self._webhooks.app_secret
                else "No app secret is set: PyTake refuses this number's webhooks until one is "
                "saved on the number (or PYTAKE_WHATSAPP_APP_SECRET is set).",
            )
        )
        own_token = number.has_verify_token
        where = (
            "this number's verify token"
            if own_token
            else "the installation's verify token (PYTAKE_WHATSAPP_VERIFY_TOKEN)"
        )
        checks.append(
            ConnectivityCheck(
                "verifyToken",
                own_token or self._webhooks.verify_token,
                f"Meta's webhook check is answered with {where}: in the App Dashboard, set the "
                f"callback URL {callback_url} and that token."
                if own_token or self._webhooks.verify_token
                else "No verify token is set: save one on the number (or set "
                "PYTAKE_WHATSAPP_VERIFY_TOKEN), then type it with the callback URL "
                f"{callback_url} in the App Dashboard.",
            )
        )
        return checks

    async def sync(self, actor: Actor, number_id: UUID) -> WhatsAppNumber:
        """Read the number's fields from Meta (reference §10): display number, verified name,
        quality rating, status and throughput level."""
        _, organization_id, _ = actor.require_role(MANAGER_ROLES)
        if self._graph is None:
            raise RuntimeError("NumberService was built without a Graph API client")
        async with self._uow(organization_id, read_only=True) as uow:
            number = await self._load(uow, number_id)
        token = self._secrets.open(number.access_token_sealed)
        try:
            fields = await self._graph.phone_number(number.phone_number_id, token)
        except GraphApiFailure as failure:
            raise MetaRefused(failure.sentence, failure.code) from failure
        level = str((fields.get("throughput") or {}).get("level", ""))
        synced = replace(
            number,
            display_phone_number=str(
                fields.get("display_phone_number") or number.display_phone_number
            ),
            verified_name=fields.get("verified_name") or number.verified_name,
            quality_rating=fields.get("quality_rating") or number.quality_rating,
            status=fields.get("status") or number.status,
            messages_per_second=THROUGHPUT_LEVELS.get(level, number.messages_per_second),
            healthy=True,
        )
        changes = {
            name: {"from": getattr(number, name), "to": getattr(synced, name)}
            for name in (
                "display_phone_number",
                "verified_name",
                "quality_rating",
                "status",
                "messages_per_second",
            )
            if getattr(number, name) != getattr(synced, name)
        }
        async with self._uow(organization_id) as uow:
            synced = replace(synced, updated_at=self._clock.now())
            await uow.whatsapp_numbers.save(synced)
            self._record(uow, actor, synced, "updated", {"syncedFromMeta": changes})
            await uow.commit()
        return synced

    async def list(self, actor: Actor) -> list[WhatsAppNumber]:
        _, organization_id, _ = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            return await uow.whatsapp_numbers.list()

    async def create(
        self, actor: Actor, phone_number_id: str, waba_id: str, details: NumberDetails
    ) -> WhatsAppNumber:
        _, organization_id, _ = actor.require_role(MANAGER_ROLES)
        phone_number_id = _meta_id(phone_number_id, "phoneNumberId")
        waba_id = _meta_id(waba_id, "wabaId")
        if details.access_token is None:
            raise InvalidInput("'accessToken' is required", field="accessToken")
        now = self._clock.now()
        number = WhatsAppNumber(
            id=uuid.uuid4(),
            organization_id=organization_id,
            phone_number_id=phone_number_id,
            waba_id=waba_id,
            display_phone_number=(details.display_phone_number or phone_number_id).strip(),
            verified_name=details.verified_name,
            quality_rating=None,
            status=None,
            messages_per_second=_rate(details.messages_per_second or DEFAULT_MESSAGES_PER_SECOND),
            healthy=True,
            access_token_sealed=self._secrets.seal(_secret(details.access_token, "accessToken")),
            app_secret_sealed=self._seal_optional(details.app_secret, "appSecret"),
            verify_token_sealed=self._seal_optional(details.verify_token, "verifyToken"),
            created_at=now,
            updated_at=now,
        )
        async with self._uow(organization_id) as uow:
            if await uow.number_directory.find_by_phone_number_id(phone_number_id):
                raise Conflict(
                    f"The phone number id {phone_number_id} is already connected to PyTake",
                    field="phoneNumberId",
                )
            await uow.whatsapp_numbers.add(number)
            self._record(
                uow,
                actor,
                number,
                "created",
                {
                    "phoneNumberId": phone_number_id,
                    "wabaId": waba_id,
                    "displayPhoneNumber": number.display_phone_number,
                },
            )
            await uow.commit()
        return number

    async def update(self, actor: Actor, number_id: UUID, details: NumberDetails) -> WhatsAppNumber:
        _, organization_id, _ = actor.require_role(MANAGER_ROLES)
        async with self._uow(organization_id) as uow:
            number = await self._load(uow, number_id)
            updated, changes = self._apply(number, details)
            if not changes:
                return number
            updated = replace(updated, updated_at=self._clock.now())
            await uow.whatsapp_numbers.save(updated)
            self._record(uow, actor, updated, "updated", changes)
            await uow.commit()
        return updated

    async def delete(self, actor: Actor, number_id: UUID) -> WhatsAppNumber:
        _, organization_id, _ = actor.require_role(MANAGER_ROLES)
        async with self._uow(organization_id) as uow:
            number = await self._load(uow, number_id)
            await uow.whatsapp_numbers.delete(number_id, self._clock.now())
            self._record(uow, actor, number, "deleted", {"phoneNumberId": number.phone_number_id})
            await uow.commit()
        return number

    def _apply(
        self, number: WhatsAppNumber, details: NumberDetails
    ) -> tuple[WhatsAppNumber, dict[str, Any]]:
        changes: dict[str, Any] = {}
        updated = number
        if details.display_phone_number is not None:
            display = details.display_phone_number.strip()
            if display != number.display_phone_number:
                changes["displayPhoneNumber"] = {"from": number.display_phone_number, "to": display}
                updated = replace(updated, display_phone_number=display)
        if details.verified_name is not None and details.verified_name != number.verified_name:
            changes["verifiedName"] = {"from": number.verified_name, "to": details.verified_name}
            updated = replace(updated, verified_name=details.verified_name)
        if details.messages_per_second is not None:
            rate = _rate(details.messages_per_second)
            if rate != number.messages_per_second:
                changes["messagesPerSecond"] = {"from": number.messages_per_second, "to": rate}
                updated = replace(updated, messages_per_second=rate)
        # Secrets are replaced, never compared or echoed: the audit says only that they changed.
        if details.access_token is not None:
            changes["accessToken"] = "changed"
            updated = replace(
                updated,
                access_token_sealed=self._secrets.seal(
                    _secret(details.access_token, "accessToken")
                ),
                healthy=True,
            )
        if details.app_secret is not None:
            changes["appSecret"] = "changed"
            updated = replace(
                updated, app_secret_sealed=self._seal_optional(details.app_secret, "appSecret")
            )
        if details.verify_token is not None:
            changes["verifyToken"] = "changed"
            updated = replace(
                updated,
                verify_token_sealed=self._seal_optional(details.verify_token, "verifyToken"),
            )
        return updated, changes

    def _seal_optional(self, value: str | None, field: str) -> str | None:
        """None keeps no secret; an empty string given on update clears it."""
        if value is None or not value.strip():
            return None
        return self._secrets.seal(_secret(value, field))

    async def _load(self, uow: WhatsAppUnitOfWork, number_id: UUID) -> WhatsAppNumber:
        number = await uow.whatsapp_numbers.get(number_id)
        if number is None:
            raise NotFound("WhatsApp number", number_id)
        return number

    def _record(
        self,
        uow: WhatsAppUnitOfWork,
        actor: Actor,
        number: WhatsAppNumber,
        change: str,
        audit_changes: dict[str, Any],
    ) -> None:
        uow.emit(
            WhatsAppNumberChanged(
                organization_id=number.organization_id, number_id=number.id, change=change
            )
        )
        uow.audit(
            AuditEntry(
                organization_id=number.organization_id,
                action=f"whatsapp_number.{AUDIT_VERBS[change]}",
                target_type="whatsapp_number",
                target_id=str(number.id),
                occurred_at=self._clock.now(),
                actor_user_id=actor.user_id,
                client_ip=actor.client_ip,
                changes=audit_changes,
            )
        )


async def _subscription(graph: GraphApi, number: WhatsAppNumber, token: str) -> ConnectivityCheck:
    try:
        apps = await graph.subscribed_apps(number.waba_id, token)
    except GraphApiFailure as failure:
        return ConnectivityCheck(
            "webhookSubscription",
            False,
            f"The subscriptions of WhatsApp account {number.waba_id} could not be read: "
            f"{failure.sentence}.",
        )
    if not apps:
        return ConnectivityCheck(
            "webhookSubscription",
            False,
            f"No app is subscribed to the webhooks of WhatsApp account {number.waba_id}: "
            "customers' messages will not reach PyTake. Subscribe your app (POST "
            f"/{number.waba_id}/subscribed_apps, or in Meta's App Dashboard).",
        )
    return ConnectivityCheck(
        "webhookSubscription",
        True,
        f"WhatsApp account {number.waba_id} sends its webhooks to: {', '.join(apps)}.",
    )
