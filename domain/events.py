"""Typed facts that services emit; the unit of work stores and publishes them after commit.

Each feature declares its events in `domain/<feature>/events.py`. An event's payload is derived
from its fields (camelCase keys, UUIDs and times as text, tuples as lists) and `read` turns a
stored event back into its class, so the producer and every consumer share one definition and a
new field cannot be written one way and read another (Zulip's typed event schemas).
"""

from __future__ import annotations

import types
import typing
from dataclasses import MISSING, Field, dataclass, field, fields
from datetime import datetime
from functools import cached_property
from typing import Any, ClassVar, Self
from uuid import UUID

EVENT_TYPES: dict[str, type[DomainEvent]] = {}
"""Every event class by its type name, as feature modules declare them."""


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    type: ClassVar[str]
    organization_id: UUID
    payload_omits: ClassVar[frozenset[str]] = frozenset({"organization_id"})
    """Fields the payload leaves out: the stored event carries the organization already."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        name = cls.__dict__.get("type")
        if isinstance(name, str):
            if name in EVENT_TYPES:
                raise TypeError(f"two event classes are named {name!r}")
            EVENT_TYPES[name] = cls

    def payload(self) -> dict[str, Any]:
        return {
            camel_case(item.name): _encoded(getattr(self, item.name))
            for item in _payload_fields(type(self))
        }

    @classmethod
    def read(cls, event: StoredEvent) -> Self:
        """The stored event as this class, decoded once however many consumers read it (the
        bus hands every subscriber of a process the same stored event)."""
        if event.type != cls.type:
            raise ValueError(f"a {event.type!r} event is not a {cls.type!r} event")
        fact = event.fact
        if not isinstance(fact, cls):
            raise TypeError(f"{cls.__name__} is not the class registered for {cls.type!r}")
        return fact

    @classmethod
    def decoded(cls, event: StoredEvent) -> Self:
        """Decoded from the payload; a field an older event lacks takes its default."""
        hints = _hints(cls)
        values: dict[str, Any] = {"organization_id": event.organization_id}
        for item in _payload_fields(cls):
            key = camel_case(item.name)
            if key in event.payload:
                values[item.name] = _decoded(hints[item.name], event.payload[key])
            elif item.default is MISSING and item.default_factory is MISSING:
                raise ValueError(f"a {event.type!r} event has no {key!r}")
        return cls(**values)


@dataclass(frozen=True)
class StoredEvent:
    """An event as committed: `sequence` increases by one per organization, in commit order."""

    organization_id: UUID
    sequence: int
    type: str
    occurred_at: datetime
    payload: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def fact(self) -> DomainEvent:
        """The event as its class, decoded once however many subscribers look at it."""
        event_class = EVENT_TYPES.get(self.type)
        if event_class is None:
            raise LookupError(f"no event class is named {self.type!r}")
        return event_class.decoded(self)


def camel_case(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word.title() for word in rest)


_PAYLOAD_FIELDS: dict[type[DomainEvent], tuple[Field[Any], ...]] = {}
_HINTS: dict[type[DomainEvent], dict[str, Any]] = {}


def _payload_fields(event_class: type[DomainEvent]) -> tuple[Field[Any], ...]:
    known = _PAYLOAD_FIELDS.get(event_class)
    if known is None:
        omitted = event_class.payload_omits
        known = tuple(item for item in fields(event_class) if item.name not in omitted)
        _PAYLOAD_FIELDS[event_class] = known
    return known


def _hints(event_class: type[DomainEvent]) -> dict[str, Any]:
    known = _HINTS.get(event_class)
    if known is None:
        known = _HINTS[event_class] = typing.get_type_hints(event_class)
    return known


def _encoded(value: object) -> object:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_encoded(item) for item in value]
    return value


def _decoded(annotation: Any, value: object) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (types.UnionType, typing.Union):
        if value is None:
            return None
        (present,) = (arg for arg in typing.get_args(annotation) if arg is not type(None))
        return _decoded(present, value)
    if origin is tuple:
        item_type = typing.get_args(annotation)[0]
        return tuple(_decoded(item_type, item) for item in _sequence(value))
    if annotation is UUID:
        return UUID(str(value))
    if annotation is datetime:
        return datetime.fromisoformat(str(value))
    if annotation in (str, int, bool):
        if not isinstance(value, annotation):
            raise ValueError(f"{value!r} is not a {annotation.__name__}")
        return value
    if annotation is float:
        # JSON writes 1.0 as 1, which reads back as an int.
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{value!r} is not a number")
        return float(value)
    raise TypeError(f"events cannot carry a {annotation!r}")


def _sequence(value: object) -> list[object]:
    if not isinstance(value, list):
        raise ValueError(f"{value!r} is not a list")
    return value
