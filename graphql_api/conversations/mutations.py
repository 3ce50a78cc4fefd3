"""Replying to customers and handling conversations: noun-verb mutations with payload unions."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain.conversations import model
from domain.conversations.model import ConversationStatus as Status
from domain.inbox.reading import MessageView
from graphql_api.context import Context
from graphql_api.conversations.inputs import (
    ConversationAssignInput,
    ConversationLabelsSetInput,
    ConversationMarkReadInput,
    ConversationNoteAddInput,
    ConversationStatusUpdateInput,
    MessageSendInput,
    TypingIndicatorSendInput,
)
from graphql_api.conversations.types import (
    ConversationNote,
    ConversationStatus,
    Message,
)
from graphql_api.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
    WindowClosedError,
)
from graphql_api.ids import parse_uuid
from graphql_api.mutations import MUTATION_INPUT, mutation


@strawberry.type(description="The message is in the outbox; its status follows.")
class MessageSendSuccess:
    # Not `message`: that is every Error's text, and one selection set spans both.
    sent_message: Message = strawberry.field(description="The message, status PENDING at first.")


MessageSendPayload = Annotated[
    MessageSendSuccess
    | ValidationError
    | NotFoundError
    | WindowClosedError
    | ConflictError
    | PermissionDeniedError,
    strawberry.union("MessageSendPayload", description="The outcome of messageSend."),
]


@strawberry.type(description="The conversation as it is now.")
class ConversationChangeSuccess:
    conversation_id: strawberry.ID = strawberry.field(description="The conversation changed.")
    status: ConversationStatus = strawberry.field(description="Its status now.")
    unread_count: int = strawberry.field(description="Its unread count now.")
    assignee_id: strawberry.ID | None = strawberry.field(description="Who holds it now.")
    labels: list[str] = strawberry.field(description="Its labels now.")


ConversationChangePayload = Annotated[
    ConversationChangeSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union(
        "ConversationChangePayload",
        description="The outcome of conversationMarkRead, conversationStatusUpdate, "
        "conversationAssign and conversationLabelsSet.",
    ),
]


@strawberry.type(description="The note is added.")
class ConversationNoteAddSuccess:
    note: ConversationNote = strawberry.field(description="The new note.")


ConversationNoteAddPayload = Annotated[
    ConversationNoteAddSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union(
        "ConversationNoteAddPayload", description="The outcome of conversationNoteAdd."
    ),
]


def changed(conversation: model.Conversation) -> ConversationChangeSuccess:
    return ConversationChangeSuccess(
        conversation_id=strawberry.ID(str(conversation.id)),
        status=ConversationStatus(conversation.status.value),
        unread_count=conversation.unread_count,
        assignee_id=strawberry.ID(str(conversation.assignee_id))
        if conversation.assignee_id
        else None,
        labels=list(conversation.labels),
    )


@strawberry.type
class ConversationMutations:
    @mutation(
        description="Reply in a conversation: checked against Meta's limits and the 24-hour "
        "window, then sent through the outbox. Agents reply only in conversations assigned to "
        "them (PermissionDeniedError otherwise), whether they are online or not; the other "
        "conversations of their queues they can read. Supervisors and up reply in any."
    )
    async def message_send(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[MessageSendInput, MUTATION_INPUT],
    ) -> MessageSendPayload:
        message, created = await info.context.services.conversation_actions.send_once(
            info.context.actor,
            parse_uuid(input.conversation_id),
            input.content(),
            input.client_message_id,
            parse_uuid(input.reply_to_id) if input.reply_to_id else None,
        )
        if created and input.from_suggestion and input.text is not None:
            await info.context.services.replies.accepted(info.context.actor)
        # Just written: no status, reaction or reply id to look up yet beyond the one given.
        fresh = MessageView(
            message=message,
            status_history=[],
            reactions=[],
            reply_to_id=parse_uuid(input.reply_to_id) if input.reply_to_id else None,
        )
        return MessageSendSuccess(sent_message=Message.from_view(fresh))

    @mutation(
        description="Clear the unread count and send Meta's read receipt for the customer's "
        "latest message."
    )
    async def conversation_mark_read(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[ConversationMarkReadInput, MUTATION_INPUT],
    ) -> ConversationChangePayload:
        conversation = await info.context.services.conversation_actions.mark_read(
            info.context.actor, parse_uuid(input.id)
        )
        return changed(conversation)

    @mutation(description="Open, set pending (optionally snoozed), resolve or close.")
    async def conversation_status_update(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[ConversationStatusUpdateInput, MUTATION_INPUT],
    ) -> ConversationChangePayload:
        conversation = await info.context.services.conversation_actions.update_status(
            info.context.actor,
            parse_uuid(input.id),
            Status(input.status.name.lower()),
            input.snoozed_until,
        )
        return changed(conversation)

    @mutation(description="Hand a conversation to an agent, or take it back.")
    async def conversation_assign(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[ConversationAssignInput, MUTATION_INPUT],
    ) -> ConversationChangePayload:
        conversation = await info.context.services.conversation_actions.assign(
            info.context.actor,
            parse_uuid(input.id),
            parse_uuid(input.agent_id) if input.agent_id else None,
        )
        return changed(conversation)

    @mutation(description="Replace a conversation's labels.")
    async def conversation_labels_set(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[ConversationLabelsSetInput, MUTATION_INPUT],
    ) -> ConversationChangePayload:
        conversation = await info.context.services.conversation_actions.set_labels(
            info.context.actor, parse_uuid(input.id), input.labels
        )
        return changed(conversation)

    @mutation(
        description="Show typing to the customer (Meta's typing indicator) and to the other "
        "agents watching the conversation (the `typing` subscription)."
    )
    async def typing_indicator_send(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[TypingIndicatorSendInput, MUTATION_INPUT],
    ) -> ConversationChangePayload:
        conversation = await info.context.services.conversation_actions.typing(
            info.context.actor, parse_uuid(input.conversation_id), input.typing
        )
        return changed(conversation)

    @mutation(description="Leave an internal note on a conversation.")
    async def conversation_note_add(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[ConversationNoteAddInput, MUTATION_INPUT],
    ) -> ConversationNoteAddPayload:
        note = await info.context.services.conversation_actions.add_note(
            info.context.actor, parse_uuid(input.id), input.body
        )
        return ConversationNoteAddSuccess(note=ConversationNote.from_domain(note))
