"""A live event's view and its subscription results are computed once and shared, and only
where sharing cannot change what a subscriber receives."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from graphql import ExecutionResult, GraphQLError, OperationDefinitionNode, parse

from domain.conversations.events import MessageReceived
from domain.events import StoredEvent
from graphql_api.conversations.subscriptions import MessageEvent, UnreadCountEvent
from graphql_api.shared_events import SharedEventViews

ORGANIZATION = uuid.uuid4()


def event(sequence: int) -> StoredEvent:
    received = MessageReceived(
        organization_id=ORGANIZATION,
        conversation_id=uuid.uuid4(),
        message_id=uuid.uuid4(),
        wamid=f"wamid.{sequence}",
        message_type="text",
    )
    return StoredEvent(
        organization_id=ORGANIZATION,
        sequence=sequence,
        type=received.type,
        occurred_at=datetime(2026, 11, 22, tzinfo=UTC),
        payload=received.payload(),
    )


def operation(document: str) -> OperationDefinitionNode:
    definition = parse(document).definitions[0]
    assert isinstance(definition, OperationDefinitionNode)
    return definition


class CountingExecution:
    def __init__(self, result: ExecutionResult) -> None:
        self.result = result
        self.calls = 0

    def __call__(self) -> ExecutionResult:
        self.calls += 1
        return self.result


RECEIVED = operation("subscription { messageReceived { eventId } }")


def test_every_subscriber_of_an_event_gets_one_view_per_type() -> None:
    views = SharedEventViews()
    received = event(7)

    first = views.view(MessageEvent, received)

    assert views.view(MessageEvent, received) is first
    assert views.view(MessageEvent, event(7)) is first
    assert views.view(MessageEvent, event(8)) is not first
    assert isinstance(views.view(UnreadCountEvent, received), UnreadCountEvent)
    assert first.event_id == "7"


def test_an_operation_runs_once_per_view_and_variables() -> None:
    views = SharedEventViews()
    view = views.view(MessageEvent, event(1))
    execution = CountingExecution(ExecutionResult({"messageReceived": {"eventId": "1"}}))

    results = [views.result(view, RECEIVED, {}, execution) for _ in range(1000)]
    views.result(view, RECEIVED, {"after": "0"}, execution)
    other_document = operation("subscription { messageReceived { messageId } }")
    views.result(view, other_document, {}, execution)

    assert all(result is execution.result for result in results)
    assert execution.calls == 3
    assert views.reused == 999


def test_results_with_errors_and_views_not_made_here_are_never_shared() -> None:
    views = SharedEventViews()
    view = views.view(MessageEvent, event(1))
    failing = CountingExecution(ExecutionResult(None, [GraphQLError("boom")]))
    private_view = MessageEvent.from_event(event(1))
    succeeding = CountingExecution(ExecutionResult({"messageReceived": None}))

    for _ in range(3):
        views.result(view, RECEIVED, {}, failing)
        views.result(private_view, RECEIVED, {}, succeeding)

    assert (failing.calls, succeeding.calls) == (3, 3)


def test_old_views_are_forgotten_beyond_the_capacity() -> None:
    views = SharedEventViews(capacity=2)
    oldest = views.view(MessageEvent, event(1))
    views.view(MessageEvent, event(2))
    views.view(MessageEvent, event(3))
    execution = CountingExecution(ExecutionResult({"messageReceived": {"eventId": "1"}}))

    views.result(oldest, RECEIVED, {}, execution)
    views.result(oldest, RECEIVED, {}, execution)

    assert execution.calls == 2
    assert views.view(MessageEvent, event(1)) is not oldest
