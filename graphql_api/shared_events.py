"""One execution per live event, whatever the number of subscribers in this process.

The event bus hands every subscription of an organization the same StoredEvent object. Its
GraphQL view is built once per view type, and a subscription operation's result over that view
is computed once per (document, variables) and handed to every subscriber that sent the same
operation: fanning one event out to a thousand dashboards costs one execution and a thousand
WebSocket writes instead of a thousand executions.

Only views made here are shared, and a view type qualifies only when its fields are plain
values read from the event, the same for whoever asks: who may see an event is decided before
the view is yielded, never inside it.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, Self, TypeVar
from uuid import UUID

from graphql import ExecutionResult, OperationDefinitionNode

from domain.events import StoredEvent

VIEW_CAPACITY = 1024
"""Views kept: an event's subscribers all receive it within moments of each other."""


class EventView(Protocol):
    @classmethod
    def from_event(cls, event: StoredEvent) -> Self: ...


View = TypeVar("View", bound=EventView)


@dataclass
class _SharedView:
    view: object
    results: dict[tuple[int, str], tuple[OperationDefinitionNode, ExecutionResult]] = field(
        default_factory=dict
    )


class SharedEventViews:
    """The views of recent events, each with the results already computed over it."""

    def __init__(self, capacity: int = VIEW_CAPACITY) -> None:
        self._capacity = capacity
        self._by_event: OrderedDict[tuple[UUID, int, type], _SharedView] = OrderedDict()
        self._by_view: dict[int, _SharedView] = {}
        self.reused = 0
        """Deliveries served from a result computed for another subscriber."""

    def view(self, view_type: type[View], event: StoredEvent) -> View:
        key = (event.organization_id, event.sequence, view_type)
        shared = self._by_event.get(key)
        if shared is None:
            shared = _SharedView(view_type.from_event(event))
            self._by_event[key] = shared
            self._by_view[id(shared.view)] = shared
            if len(self._by_event) > self._capacity:
                _, evicted = self._by_event.popitem(last=False)
                del self._by_view[id(evicted.view)]
        else:
            self._by_event.move_to_end(key)
        view: View = shared.view  # type: ignore[assignment]
        return view

    def result(
        self,
        view: object,
        operation: OperationDefinitionNode,
        variables: dict[str, Any],
        execute: Callable[[], object],
    ) -> object:
        """The operation's result over a shared view: computed by `execute` the first time,
        then reused. Results with errors, or still to be awaited, are never shared."""
        shared = self._by_view.get(id(view))
        if shared is None or shared.view is not view:
            return execute()
        # The operation node is kept with its result, so its id cannot be reused while cached.
        key = (
            id(operation),
            json.dumps(variables, sort_keys=True, default=str) if variables else "",
        )
        cached = shared.results.get(key)
        if cached is not None and cached[0] is operation:
            self.reused += 1
            return cached[1]
        result = execute()
        if isinstance(result, ExecutionResult) and not result.errors:
            shared.results[key] = (operation, result)
        return result
