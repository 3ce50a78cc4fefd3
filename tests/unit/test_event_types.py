"""Every event type survives its trip through the event log: the payload derived from its fields,
stored as JSON, reads back into the same event. A new event type or field is covered as soon as
a feature declares it in `domain/<feature>/events.py`."""

from __future__ import annotations

import importlib
import json
import pkgutil
import typing
import uuid
from dataclasses import fields
from datetime import UTC, datetime
from types import UnionType
from typing import Any

import pytest

import domain
from domain.conversations.events import MessageReceived
from domain.events import EVENT_TYPES, DomainEvent, StoredEvent, camel_case
from domain.queues.events import QueueItemChanged

ORGANIZATION = uuid.uuid4()
NOW = datetime(2026, 12, 3, 12, 30, tzinfo=UTC)


def every_event_module() -> list[str]:
    names = [
        f"domain.{package.name}.events"
        for package in pkgutil.iter_modules(domain.__path__)
        if package.ispkg and importlib.util.find_spec(f"domain.{package.name}.events")
    ]
    for name in names:
        importlib.import_module(name)
    return names


def every_event_class() -> list[type[DomainEvent]]:
    every_event_module()
    found: list[type[DomainEvent]] = []
    pending = list(DomainEvent.__subclasses__())
    while pending:
        event_class = pending.pop()
        found.append(event_class)
        pending.extend(event_class.__subclasses__())
    return sorted(found, key=lambda event_class: event_class.type)


def sample(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (UnionType, typing.Union):
        present = next(arg for arg in typing.get_args(annotation) if arg is not type(None))
        return sample(present)
    if typing.get_origin(annotation) is tuple:
        item = typing.get_args(annotation)[0]
        return (sample(item), sample(item))
    values: dict[Any, Any] = {
        uuid.UUID: uuid.uuid4(),
        str: "some text",
        int: 7,
        float: -0.6249,
        bool: True,
        datetime: NOW,
    }
    return values[annotation]


def example(event_class: type[DomainEvent]) -> DomainEvent:
    hints = typing.get_type_hints(event_class)
    values = {
        item.name: sample(hints[item.name])
        for item in fields(event_class)
        if item.name != "organization_id"
    }
    return event_class(organization_id=ORGANIZATION, **values)


def stored(event: DomainEvent) -> StoredEvent:
    payload = json.loads(json.dumps(event.payload()))
    return StoredEvent(ORGANIZATION, 1, event.type, NOW, payload)


def test_the_event_modules_of_every_feature_are_found() -> None:
    assert {"domain.conversations.events", "domain.queues.events"} <= set(every_event_module())


@pytest.mark.parametrize("event_class", every_event_class(), ids=lambda cls: cls.type)
def test_an_event_reads_back_as_it_was_written(event_class: type[DomainEvent]) -> None:
    event = example(event_class)

    record = stored(event)

    assert EVENT_TYPES[event_class.type] is event_class
    assert event_class.read(record) == event
    assert record.fact == event


@pytest.mark.parametrize("event_class", every_event_class(), ids=lambda cls: cls.type)
def test_a_payload_names_each_field_in_camel_case(event_class: type[DomainEvent]) -> None:
    payload = example(event_class).payload()

    expected = {
        camel_case(item.name)
        for item in fields(event_class)
        if item.name not in event_class.payload_omits
    }
    assert set(payload) == expected
    assert all("_" not in key for key in payload)


def test_the_payload_subscribers_receive_is_unchanged() -> None:
    conversation, message, assignee = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    event = MessageReceived(
        organization_id=ORGANIZATION,
        conversation_id=conversation,
        message_id=message,
        wamid="wamid.A",
        message_type="text",
        assignee_id=assignee,
        unread_count=2,
    )

    assert event.payload() == {
        "conversationId": str(conversation),
        "messageId": str(message),
        "wamid": "wamid.A",
        "messageType": "text",
        "assigneeId": str(assignee),
        "queueId": None,
        "unreadCount": 2,
    }


def test_an_older_event_without_a_newer_field_reads_with_its_default() -> None:
    event = MessageReceived(
        organization_id=ORGANIZATION,
        conversation_id=uuid.uuid4(),
        message_id=uuid.uuid4(),
        wamid="wamid.B",
        message_type="text",
    )
    payload = event.payload()
    del payload["unreadCount"], payload["queueId"]

    read = MessageReceived.read(StoredEvent(ORGANIZATION, 3, MessageReceived.type, NOW, payload))

    assert read == event


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        pytest.param({"messageId": None}, "no 'messageId'", id="a required field is missing"),
        pytest.param({"unreadCount": "2"}, "is not a int", id="a number stored as text"),
        pytest.param({"conversationId": "not-a-uuid"}, "badly formed", id="an id that is not"),
    ],
)
def test_a_malformed_stored_event_is_refused_with_the_field_named(
    change: dict[str, Any], problem: str
) -> None:
    payload = example(MessageReceived).payload()
    for key, value in change.items():
        if value is None:
            del payload[key]
        else:
            payload[key] = value

    with pytest.raises(ValueError, match=problem):
        MessageReceived.read(StoredEvent(ORGANIZATION, 4, MessageReceived.type, NOW, payload))


def test_an_event_read_as_another_type_is_refused() -> None:
    record = stored(example(MessageReceived))

    with pytest.raises(ValueError, match=r"is not a 'queue_item\.changed' event"):
        QueueItemChanged.read(record)
