"""Which secrets may sign a webhook and which verify tokens open the handshake.

The installation-wide values come from configuration; numbers of other Meta apps bring their
own, stored sealed. Lookups are cached briefly: a webhook burst must not cost a database
round trip and a decryption per request.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from domain.clock import Clock
from domain.secrets import SecretBox
from domain.unit_of_work import UnitOfWorkFactory
from domain.whatsapp.ports import WhatsAppUnitOfWork

CACHE_TTL = timedelta(seconds=30)


class WebhookCredentials:
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory[WhatsAppUnitOfWork],
        secrets: SecretBox,
        clock: Clock,
        app_secret: str | None,
        verify_token: str | None,
    ) -> None:
        self._uow = unit_of_work
        self._secrets = secrets
        self._clock = clock
        self.app_secret = app_secret
        self._verify_token = verify_token
        self._app_secrets: dict[str, tuple[datetime, str | None]] = {}
        self._verify_tokens: tuple[datetime, list[str]] | None = None

    async def number_app_secrets(self, phone_number_ids: Iterable[str]) -> dict[str, str]:
        """The own app secret of each of these numbers that has one, by phone number id."""
        now = self._clock.now()
        found: dict[str, str] = {}
        for phone_number_id in set(phone_number_ids):
            cached = self._app_secrets.get(phone_number_id)
            if cached is None or now - cached[0] > CACHE_TTL:
                cached = (now, await self._load_app_secret(phone_number_id))
                self._app_secrets[phone_number_id] = cached
            if cached[1] is not None:
                found[phone_number_id] = cached[1]
        return found

    async def verify_tokens(self) -> list[str]:
        now = self._clock.now()
        if self._verify_tokens is None or now - self._verify_tokens[0] > CACHE_TTL:
            async with self._uow(read_only=True) as uow:
                sealed = await uow.number_directory.verify_tokens()
            self._verify_tokens = (now, [self._secrets.open(token) for token in sealed])
        configured = [self._verify_token] if self._verify_token else []
        return configured + self._verify_tokens[1]

    async def _load_app_secret(self, phone_number_id: str) -> str | None:
        async with self._uow(read_only=True) as uow:
            number = await uow.number_directory.find_by_phone_number_id(phone_number_id)
        if number is None or number.app_secret_sealed is None:
            return None
        return self._secrets.open(number.app_secret_sealed)
