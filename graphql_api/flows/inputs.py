"""What flow and flow-session operations take as input."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from domain.errors import InvalidInput
from domain.flows import dry_run, engine, model
from domain.flows import sessions as domain
from graphql_api.flows.types import (
    FlowKind,
    FlowSessionStatus,
    FlowStatus,
)
from graphql_api.ids import parse_uuid


@strawberry.input(description="A new flow, saved as a draft.")
class FlowCreateInput:
    name: str = strawberry.field(description="Its name, unique in the organization.")
    kind: FlowKind = strawberry.field(description="How it starts; it cannot change later.")
    number_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The WhatsApp numbers it runs on."
    )
    expiry_minutes: int = strawberry.field(
        default=model.DEFAULT_EXPIRY_MINUTES,
        description="Session inactivity expiry, 1 to 10080 minutes; 10 when omitted.",
    )
    graph: JSON | None = strawberry.field(
        default=None, description="The editor's document ({nodes, edges}); empty when omitted."
    )


@strawberry.input(description="Change a flow. Omitted fields stay as they are.")
class FlowUpdateInput:
    id: strawberry.ID = strawberry.field(description="The flow.")
    name: str | None = strawberry.field(default=None, description="A new name.")
    number_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="The numbers it runs on, replacing the current ones."
    )
    expiry_minutes: int | None = strawberry.field(
        default=None, description="A new session expiry, 1 to 10080 minutes."
    )
    graph: JSON | None = strawberry.field(
        default=None,
        description="A new draft; the published version keeps running until the next publish.",
    )


@strawberry.input(description="Copy a flow into a new draft.")
class FlowDuplicateInput:
    id: strawberry.ID = strawberry.field(description="The flow to copy.")
    name: str | None = strawberry.field(
        default=None, description="The copy's name; the original's with ' (copy)' when omitted."
    )


@strawberry.input(description="Identifies the flow to archive or publish.")
class FlowIdInput:
    id: strawberry.ID = strawberry.field(description="The flow.")


@strawberry.input(description="The version of a flow to publish again.")
class FlowRollbackInput:
    id: strawberry.ID = strawberry.field(description="The flow.")
    version: int = strawberry.field(description="The earlier version to publish again.")


@strawberry.input(description="Narrows `flows`; every given field must match.")
class FlowFilter:
    kind: FlowKind | None = strawberry.field(default=None, description="How they start.")
    status: FlowStatus | None = strawberry.field(default=None, description="Where they stand.")
    number_id: strawberry.ID | None = strawberry.field(
        default=None, description="Running on this WhatsApp number."
    )
    search: str | None = strawberry.field(default=None, description="Words of the name.")

    def to_domain(self) -> model.FlowFilter:
        return model.FlowFilter(
            kind=model.FlowKind(self.kind.name.lower()) if self.kind else None,
            status=model.FlowStatus(self.status.name.lower()) if self.status else None,
            number_id=parse_uuid(self.number_id) if self.number_id else None,
            search=self.search,
        )


@strawberry.input(description="A customer message of the scripted conversation.")
class FlowTestMessage:
    text: str = strawberry.field(description="What the customer writes.")
    reply_id: str | None = strawberry.field(
        default=None,
        description="The id of the button or list row tapped, or the template quick reply's "
        "payload, as WhatsApp would report it.",
    )


@strawberry.input(description="Who the scripted customer is.")
class FlowTestContact:
    name: str | None = strawberry.field(default=None, description="Their WhatsApp profile name.")
    phone: str = strawberry.field(
        default="15550001234", description="Their WhatsApp number (wa_id), digits."
    )


@strawberry.input(description="The response an HTTP request node gets in the dry run.")
class FlowTestHttpResponse:
    node_id: str = strawberry.field(description="The HTTP request node.")
    status_code: int | None = strawberry.field(
        default=200, description="The HTTP status; null for a request that failed to connect."
    )
    body: JSON | None = strawberry.field(default=None, description="The decoded JSON body.")
    error: str | None = strawberry.field(
        default=None, description="A connection error or timeout, in words."
    )


@strawberry.input(description="A scripted conversation for a dry run.")
class FlowTestInput:
    messages: list[FlowTestMessage] = strawberry.field(
        description="The customer's messages, in order. The first starts universal and "
        "keyword flows; template flows start with the business's template."
    )
    contact: FlowTestContact | None = strawberry.field(default=None, description="The customer.")
    window_open: bool = strawberry.field(
        default=True, description="Whether the 24-hour customer-service window is open."
    )
    variables: JSON | None = strawberry.field(
        default=None, description="Variables the session starts with, by name."
    )
    http_responses: list[FlowTestHttpResponse] = strawberry.field(
        default_factory=list,
        description="Responses for HTTP request nodes; a node without one takes its failure "
        "way (nothing is called in a dry run).",
    )

    def to_domain(self) -> dry_run.DryRunInput:
        contact = self.contact or FlowTestContact()
        variables: Any = self.variables or {}
        if not isinstance(variables, dict):
            raise InvalidInput("variables is an object of names to values", field="variables")
        return dry_run.DryRunInput(
            messages=[engine.CustomerMessage(m.text, m.reply_id) for m in self.messages],
            contact_phone=contact.phone,
            contact_name=contact.name,
            window_open=self.window_open,
            variables=variables,
            http_responses={
                r.node_id: engine.HttpOutcome(r.status_code, r.body, r.error)
                for r in self.http_responses
            },
        )


@strawberry.input(description="Narrows `flowSessions`; every given field must match.")
class FlowSessionFilter:
    flow_id: strawberry.ID | None = strawberry.field(default=None, description="Of this flow.")
    contact_id: strawberry.ID | None = strawberry.field(
        default=None, description="With this customer."
    )
    conversation_id: strawberry.ID | None = strawberry.field(
        default=None, description="In this conversation."
    )
    status: FlowSessionStatus | None = strawberry.field(
        default=None, description="Standing there, or having ended so."
    )
    since: datetime | None = strawberry.field(default=None, description="Started at or after.")
    until: datetime | None = strawberry.field(default=None, description="Started before.")

    def to_domain(self) -> domain.FlowSessionFilter:
        return domain.FlowSessionFilter(
            flow_id=parse_uuid(self.flow_id, "flowId") if self.flow_id else None,
            contact_id=parse_uuid(self.contact_id, "contactId") if self.contact_id else None,
            conversation_id=(
                parse_uuid(self.conversation_id, "conversationId") if self.conversation_id else None
            ),
            status=engine.SessionStatus(self.status.name.lower()) if self.status else None,
            started_after=self.since,
            started_before=self.until,
        )
