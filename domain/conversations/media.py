"""Finding the media of a message for download: the bytes stay at Meta and are streamed
through PyTake on demand, with the number's own access token."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.accounts.model import Actor
from domain.conversations.ports import ConversationsUnitOfWork
from domain.errors import NotFound
from domain.secrets import SecretBox
from domain.unit_of_work import UnitOfWorkFactory
from domain.whatsapp.outbound import MEDIA_KINDS


@dataclass(frozen=True)
class MediaLocation:
    media_id: str
    access_token: str
    mime_type: str | None
    filename: str | None


class MediaService:
    def __init__(
        self, unit_of_work: UnitOfWorkFactory[ConversationsUnitOfWork], secrets: SecretBox
    ) -> None:
        self._uow = unit_of_work
        self._secrets = secrets

    async def locate(self, actor: Actor, message_id: UUID) -> MediaLocation:
        _, organization_id, _ = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            message = await uow.messages.get(message_id)
            media_id = message.content.get("mediaId") if message is not None else None
            if message is None or message.type not in MEDIA_KINDS or not media_id:
                raise NotFound("Media of message", message_id)
            conversation = await uow.conversations.get(message.conversation_id)
            number = (
                await uow.whatsapp_numbers.get(conversation.number_id) if conversation else None
            )
            if number is None:
                raise NotFound("WhatsApp number of message", message_id)
        return MediaLocation(
            media_id=str(media_id),
            access_token=self._secrets.open(number.access_token_sealed),
            mime_type=message.content.get("mimeType"),
            filename=message.content.get("filename"),
        )
