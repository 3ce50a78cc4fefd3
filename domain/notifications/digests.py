"""E-mail digests: what a person's notifications of e-mailed types add up to while they were
not reading them, in one e-mail after the digest's wait instead of one e-mail each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID
from zoneinfo import ZoneInfo

from domain.clock import Clock
from domain.notifications.ports import NotificationsUnitOfWork
from domain.unit_of_work import UnitOfWorkFactory


@dataclass(frozen=True)
class DigestLine:
    subject: str
    at: datetime
    """In the person's time zone."""
    link: str | None


@dataclass(frozen=True)
class EmailDigest:
    to: str
    person: str
    organization: str
    language: str
    lines: tuple[DigestLine, ...]
    link: str | None
    """The console, when the installation knows its public address."""


class DigestMailer(Protocol):
    async def send_digest(self, digest: EmailDigest) -> None:
        """Raises MailUnavailable when the mail server does not take it."""
        ...


class EmailDigests:
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory[NotificationsUnitOfWork],
        clock: Clock,
        mailer: DigestMailer,
        public_url: str | None,
    ) -> None:
        self._uow = unit_of_work
        self._clock = clock
        self._mailer = mailer
        self._public_url = public_url.rstrip("/") if public_url else None

    async def send(self, organization_id: UUID, user_id: UUID) -> int:
        """The person's waiting notifications that are still unread, in one e-mail; how many
        it listed. Those read meanwhile are dropped from the digest. When the mail server
        fails they keep waiting, and the error propagates."""
        async with self._uow(organization_id) as uow:
            waiting = await uow.notifications.email_pending_of(user_id)
            if not waiting:
                return 0
            user = await uow.users.get(user_id)
            unread = [n for n in waiting if n.read_at is None and n.archived_at is None]
            if user is not None and user.is_active and unread:
                organization = await uow.organization.get()
                preferences = (await uow.notification_preferences.get_many([user_id]))[user_id]
                zone = ZoneInfo(preferences.time_zone or organization.time_zone or "UTC")
                await self._mailer.send_digest(
                    EmailDigest(
                        to=user.email,
                        person=user.name or user.email,
                        organization=organization.name,
                        language=organization.language,
                        lines=tuple(
                            DigestLine(
                                n.subject,
                                n.created_at.astimezone(zone),
                                self._link(f"#/conversations/{n.conversation_id}")
                                if n.conversation_id
                                else None,
                            )
                            for n in sorted(unread, key=lambda n: n.created_at)
                        ),
                        link=self._link("#/"),
                    )
                )
            await uow.notifications.emailed([n.id for n in waiting])
            await uow.commit()
        return len(unread)

    def _link(self, fragment: str) -> str | None:
        return f"{self._public_url}/{fragment}" if self._public_url else None
