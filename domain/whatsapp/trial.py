"""Trial mode: an organization without a Meta account tries PyTake on a trial number served by
the Graph API simulator built into PyTake, playing the customer from the console.

A trial number is a number like any other (its flows, queues and inbox are real); only its
Graph API calls go to the built-in simulator instead of Meta. Its ids say so: 20 digits that
start with TRIAL_PREFIX, which no Meta id has, so every process routes its calls without
reading the database.
"""

from __future__ import annotations

import secrets
from typing import Protocol

from domain.accounts.model import MANAGER_ROLES, Actor
from domain.audit import AuditEntry
from domain.clock import Clock
from domain.errors import Conflict, NotFound
from domain.unit_of_work import UnitOfWorkFactory
from domain.whatsapp.model import WhatsAppNumber
from domain.whatsapp.numbers import NumberDetails, NumberService
from domain.whatsapp.ports import WhatsAppUnitOfWork

TRIAL_PREFIX = "99990"
TRIAL_ID_LENGTH = 20
TEST_CUSTOMER = "5511900000000"
"""The trial's customer: one per trial number, played from the console."""
TEST_CUSTOMER_NAMES = {"pt-BR": "Cliente de teste", "en": "Test customer"}


def is_trial_id(meta_id: str) -> bool:
    return meta_id.startswith(TRIAL_PREFIX) and len(meta_id) == TRIAL_ID_LENGTH


def new_trial_id() -> str:
    tail = TRIAL_ID_LENGTH - len(TRIAL_PREFIX)
    return TRIAL_PREFIX + "".join(secrets.choice("0123456789") for _ in range(tail))


class TrialCustomer(Protocol):
    """The simulated customer of trial numbers (the built-in simulator)."""

    async def says(
        self,
        phone_number_id: str,
        wa_id: str,
        name: str,
        text: str,
        reply_id: str | None,
    ) -> str:
        """Deliver the customer's message to PyTake as Meta would; its wamid."""
        ...


class TrialService:
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory[WhatsAppUnitOfWork],
        numbers: NumberService,
        customer: TrialCustomer | None,
        app_secret: str,
        clock: Clock,
    ) -> None:
        self._uow = unit_of_work
        self._numbers = numbers
        self._customer = customer
        self._app_secret = app_secret
        self._clock = clock

    @property
    def enabled(self) -> bool:
        return self._customer is not None

    async def start(self, actor: Actor) -> WhatsAppNumber:
        """The organization's trial number, made on first use."""
        actor.require_role(MANAGER_ROLES)
        self._require_enabled()
        existing = await self._trial_number(actor)
        if existing is not None:
            return existing
        return await self._numbers.create(
            actor,
            new_trial_id(),
            new_trial_id(),
            NumberDetails(
                display_phone_number="+55 11 90000-0000",
                verified_name="PyTake trial",
                access_token=secrets.token_urlsafe(32),
                app_secret=self._app_secret,
                verify_token=secrets.token_urlsafe(16),
            ),
        )

    async def customer_says(
        self, actor: Actor, text: str, reply_id: str | None, language: str
    ) -> str:
        """The test customer writes to the organization's trial number (or taps a button the
        flow sent, by its id)."""
        user_id, organization_id, _ = actor.require_user()
        self._require_enabled()
        number = await self._trial_number(actor)
        if number is None or self._customer is None:
            raise NotFound("Trial number", "of this organization")
        wamid = await self._customer.says(
            number.phone_number_id,
            TEST_CUSTOMER,
            TEST_CUSTOMER_NAMES.get(language, TEST_CUSTOMER_NAMES["en"]),
            text,
            reply_id,
        )
        async with self._uow(organization_id) as uow:
            uow.audit(
                AuditEntry(
                    organization_id=organization_id,
                    action="whatsapp_number.trial_customer_say",
                    target_type="whatsapp_number",
                    target_id=str(number.id),
                    occurred_at=self._clock.now(),
                    actor_user_id=user_id,
                    client_ip=actor.client_ip,
                    changes={"wamid": wamid},
                )
            )
            await uow.commit()
        return wamid

    async def _trial_number(self, actor: Actor) -> WhatsAppNumber | None:
        numbers = await self._numbers.list(actor)
        return next((n for n in numbers if is_trial_id(n.phone_number_id)), None)

    def _require_enabled(self) -> None:
        if self._customer is None:
            raise Conflict("Trial mode is off on this installation (PYTAKE_TRIAL_MODE)")
