"""What conversation and message operations take as input."""

from __future__ import annotations

from datetime import datetime

import strawberry

from domain.conversations import messaging, model
from domain.errors import InvalidInput
from domain.whatsapp.outbound import ListRow, ListSection, ReplyButton
from graphql_api.conversations.types import (
    ConversationStatus,
)
from graphql_api.ids import parse_uuid


def interactive_content(
    given: InteractiveInput,
) -> messaging.ButtonsContent | messaging.ListContent:
    if given.buttons is not None:
        return messaging.ButtonsContent(
            given.body,
            [ReplyButton(b.id, b.title) for b in given.buttons],
            given.header,
            given.footer,
        )
    if given.list_button is None or given.sections is None:
        raise InvalidInput("give buttons, or listButton and sections", "interactive")
    sections = [
        ListSection(s.title, [ListRow(r.id, r.title, r.description) for r in s.rows])
        for s in given.sections
    ]
    return messaging.ListContent(
        given.body, given.list_button, sections, given.header, given.footer
    )


@strawberry.input(description="A text message.")
class TextInput:
    body: str = strawberry.field(description="Up to 4096 characters.")
    preview_url: bool = strawberry.field(
        default=False, description="Show a preview of the first link."
    )


@strawberry.input(description="An approved template, for use outside the 24-hour window too.")
class TemplateInput:
    name: str = strawberry.field(description="The template's name.")
    language: str = strawberry.field(description="The template's language code.")
    parameters: list[str] = strawberry.field(
        default_factory=list, description="Positional body parameters, in order."
    )
    named_parameters: strawberry.scalars.JSON | None = strawberry.field(
        default=None, description="Named body parameters: {name: value}."
    )


@strawberry.input(description="A reply button.")
class ReplyButtonInput:
    id: str = strawberry.field(description="Returned when the customer taps it (256 at most).")
    title: str = strawberry.field(description="The label (20 characters at most, unique).")


@strawberry.input(description="A row of a list.")
class ListRowInput:
    id: str = strawberry.field(description="Returned when the customer picks it.")
    title: str = strawberry.field(description="24 characters at most.")
    description: str | None = strawberry.field(default=None, description="72 at most.")


@strawberry.input(description="A section of a list.")
class ListSectionInput:
    title: str | None = strawberry.field(
        default=None, description="Required when there are several sections."
    )
    rows: list[ListRowInput] = strawberry.field(description="10 rows at most in all sections.")


@strawberry.input(description="Reply buttons (give `buttons`) or a list (give `listButton`).")
class InteractiveInput:
    body: str = strawberry.field(description="The message text.")
    header: str | None = strawberry.field(default=None, description="A text header.")
    footer: str | None = strawberry.field(default=None, description="A footer.")
    buttons: list[ReplyButtonInput] | None = strawberry.field(
        default=None, description="1 to 3 reply buttons."
    )
    list_button: str | None = strawberry.field(
        default=None, description="The label of the button that opens the list."
    )
    sections: list[ListSectionInput] | None = strawberry.field(
        default=None, description="The list's sections."
    )


@strawberry.input(description="An image, video, audio, document or sticker.")
class MediaInput:
    kind: str = strawberry.field(description="image, video, audio, document or sticker.")
    media_id: str | None = strawberry.field(default=None, description="An uploaded media id.")
    link: str | None = strawberry.field(default=None, description="Or a public https URL.")
    caption: str | None = strawberry.field(default=None, description="Image, video, document.")
    filename: str | None = strawberry.field(default=None, description="Documents only.")


@strawberry.input(description="A reaction to one of the conversation's messages.")
class ReactionInput:
    message_id: strawberry.ID = strawberry.field(description="The message reacted to.")
    emoji: str = strawberry.field(description="The emoji; empty removes the reaction.")


@strawberry.input(
    description="Send one message: give exactly one of text, template, interactive, media or "
    "reaction. The same clientMessageId sent again returns the first message: a retried request "
    "sends once."
)
class MessageSendInput:
    conversation_id: strawberry.ID = strawberry.field(description="The conversation.")
    client_message_id: str | None = strawberry.field(
        default=None, description="The client's own key for this send (100 characters at most)."
    )
    text: TextInput | None = strawberry.field(default=None, description="A text message.")
    template: TemplateInput | None = strawberry.field(default=None, description="A template.")
    interactive: InteractiveInput | None = strawberry.field(
        default=None, description="Reply buttons or a list."
    )
    media: MediaInput | None = strawberry.field(default=None, description="A media message.")
    reaction: ReactionInput | None = strawberry.field(default=None, description="A reaction.")
    reply_to_id: strawberry.ID | None = strawberry.field(
        default=None, description="The message this one quotes."
    )
    from_suggestion: bool = strawberry.field(
        default=False,
        description="The text was taken from replySuggestions (edited or not): counted in "
        "aiInsights' suggestion acceptance rate.",
    )

    def content(self) -> messaging.OutgoingContent:
        given = [
            part
            for part in (self.text, self.template, self.interactive, self.media, self.reaction)
            if part is not None
        ]
        if len(given) != 1:
            raise InvalidInput(
                "give exactly one of text, template, interactive, media or reaction", "text"
            )
        if self.text is not None:
            return messaging.TextContent(self.text.body, self.text.preview_url)
        if self.template is not None:
            named = self.template.named_parameters
            if named is not None and not isinstance(named, dict):
                raise InvalidInput("namedParameters is an object", "template.namedParameters")
            parameters: list[str] | dict[str, str] = (
                {str(k): str(v) for k, v in named.items()} if named else self.template.parameters
            )
            return messaging.TemplateContent(self.template.name, self.template.language, parameters)
        if self.interactive is not None:
            return interactive_content(self.interactive)
        if self.media is not None:
            m = self.media
            return messaging.MediaContent(m.kind, m.media_id, m.link, m.caption, m.filename)
        assert self.reaction is not None
        return messaging.ReactionContent(parse_uuid(self.reaction.message_id), self.reaction.emoji)


@strawberry.input(description="Mark a conversation read.")
class ConversationMarkReadInput:
    id: strawberry.ID = strawberry.field(description="The conversation.")


@strawberry.input(description="Change a conversation's status.")
class ConversationStatusUpdateInput:
    id: strawberry.ID = strawberry.field(description="The conversation.")
    status: ConversationStatus = strawberry.field(description="The new status.")
    snoozed_until: datetime | None = strawberry.field(
        default=None, description="For PENDING: when it wants attention again."
    )


@strawberry.input(description="Hand a conversation to an agent (supervisors, admins, owners).")
class ConversationAssignInput:
    id: strawberry.ID = strawberry.field(description="The conversation.")
    agent_id: strawberry.ID | None = strawberry.field(
        default=None, description="The agent; null takes it back from whoever holds it."
    )


@strawberry.input(description="Replace a conversation's labels.")
class ConversationLabelsSetInput:
    id: strawberry.ID = strawberry.field(description="The conversation.")
    labels: list[str] = strawberry.field(description="At most 20 labels of 50 characters.")


@strawberry.input(description="Show that the caller is typing, or has stopped.")
class TypingIndicatorSendInput:
    conversation_id: strawberry.ID = strawberry.field(description="The conversation.")
    typing: bool = strawberry.field(
        default=True,
        description="True shows typing to the customer (with Meta's read receipt) and to the "
        "other agents for 25 seconds; false tells the other agents the caller stopped.",
    )


@strawberry.input(description="Leave an internal note; customers never see it.")
class ConversationNoteAddInput:
    id: strawberry.ID = strawberry.field(description="The conversation.")
    body: str = strawberry.field(description="The note, up to 10,000 characters.")


@strawberry.input(description="Narrows `conversations`; every given field must match.")
class ConversationFilter:
    status: ConversationStatus | None = strawberry.field(default=None, description="Status.")
    assignee_id: strawberry.ID | None = strawberry.field(
        default=None, description="Assigned to this user."
    )
    queue_id: strawberry.ID | None = strawberry.field(
        default=None, description="In this queue (the one it was last routed to)."
    )
    unassigned: bool = strawberry.field(default=False, description="Only those nobody holds.")
    number_id: strawberry.ID | None = strawberry.field(
        default=None, description="On this WhatsApp number."
    )
    created_after: datetime | None = strawberry.field(default=None, description="Opened since.")
    created_before: datetime | None = strawberry.field(default=None, description="Opened before.")
    unread_only: bool = strawberry.field(
        default=False, description="Only those with unread customer messages."
    )
    window_open: bool | None = strawberry.field(
        default=None, description="True: free-form replies allowed now; false: templates only."
    )
    search: str | None = strawberry.field(
        default=None,
        description="Matches the contact's name or phone number, or words of any message.",
    )

    def to_domain(self) -> model.ConversationFilter:
        return model.ConversationFilter(
            status=model.ConversationStatus(self.status.name.lower()) if self.status else None,
            assignee_id=parse_uuid(self.assignee_id) if self.assignee_id else None,
            queue_id=parse_uuid(self.queue_id) if self.queue_id else None,
            unassigned=self.unassigned,
            number_id=parse_uuid(self.number_id) if self.number_id else None,
            created_after=self.created_after,
            created_before=self.created_before,
            unread_only=self.unread_only,
            window_open=self.window_open,
            search=self.search,
        )
