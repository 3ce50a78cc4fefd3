"""The one schema: feature roots merged by inheritance, hardened by default."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import strawberry
from graphql import ASTValidationRule, GraphQLError
from graphql import OperationType as GraphQLOperationType
from strawberry.extensions import (
    DisableIntrospection,
    MaxAliasesLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType

from graphql_api.accounts.mutations import AccountMutations
from graphql_api.accounts.queries import AccountQueries
from graphql_api.context import Context
from graphql_api.conversations.mutations import ConversationMutations
from graphql_api.conversations.queries import ConversationQueries
from graphql_api.conversations.subscriptions import ConversationSubscriptions
from graphql_api.errors import ErrorPolicy
from graphql_api.events.subscriptions import EventSubscriptions
from graphql_api.flows.mutations import FlowMutations
from graphql_api.flows.queries import FlowQueries, FlowSessionQueries
from graphql_api.flows.subscriptions import FlowSessionSubscriptions
from graphql_api.input_limits import BOUNDED_DATETIME, guard_inputs
from graphql_api.intents.mutations import IntentsMutations
from graphql_api.intents.queries import IntentsQueries
from graphql_api.intents.subscriptions import IntentsSubscriptions
from graphql_api.node.queries import NodeQueries
from graphql_api.notifications.mutations import NotificationsMutations
from graphql_api.notifications.queries import NotificationsQueries
from graphql_api.notifications.subscriptions import NotificationsSubscriptions
from graphql_api.onboarding.mutations import OnboardingMutations
from graphql_api.onboarding.queries import OnboardingQueries
from graphql_api.onboarding.subscriptions import OnboardingSubscriptions
from graphql_api.queues.mutations import QueueMutations
from graphql_api.queues.queries import QueueQueries
from graphql_api.queues.subscriptions import QueueSubscriptions
from graphql_api.replies.mutations import RepliesMutations
from graphql_api.replies.queries import RepliesQueries
from graphql_api.signals.mutations import SignalsMutations
from graphql_api.signals.queries import SignalsQueries
from graphql_api.signals.subscriptions import SignalsSubscriptions
from graphql_api.team.mutations import TeamMutations
from graphql_api.team.queries import TeamQueries
from graphql_api.whatsapp.mutations import WhatsAppMutations
from graphql_api.whatsapp.queries import WhatsAppQueries

DOCUMENT_CACHE_SIZE = 1024


@strawberry.type(description="Everything that can be read.")
class Query(
    AccountQueries,
    ConversationQueries,
    FlowQueries,
    FlowSessionQueries,
    NodeQueries,
    NotificationsQueries,
    OnboardingQueries,
    SignalsQueries,
    IntentsQueries,
    RepliesQueries,
    QueueQueries,
    TeamQueries,
    WhatsAppQueries,
):
    pass


@strawberry.type(
    description="Everything that can be changed; each takes one input and "
    "returns a payload union of a success type and typed errors."
)
class Mutation(
    AccountMutations,
    ConversationMutations,
    FlowMutations,
    NotificationsMutations,
    OnboardingMutations,
    SignalsMutations,
    IntentsMutations,
    RepliesMutations,
    QueueMutations,
    TeamMutations,
    WhatsAppMutations,
):
    pass


@strawberry.type(description="Live updates over WebSocket (graphql-transport-ws protocol).")
class Subscription(
    EventSubscriptions,
    ConversationSubscriptions,
    FlowSessionSubscriptions,
    QueueSubscriptions,
    OnboardingSubscriptions,
    SignalsSubscriptions,
    IntentsSubscriptions,
    NotificationsSubscriptions,
):
    pass


class SharingExecutor(StrawberryGraphQLCoreExecutionContext):
    """Executes a live event once per operation for all the process's subscribers that sent
    it (graphql_api.shared_events); everything else executes as usual."""

    def execute_operation(self, serially: bool | None = None) -> Any:
        context = self.context_value
        if (
            not isinstance(context, Context)
            or self.operation.operation is not GraphQLOperationType.SUBSCRIPTION
        ):
            return super().execute_operation(serially)
        return context.services.event_views.result(
            self.root_value,
            self.operation,
            self.variable_values.coerced,
            lambda: super(SharingExecutor, self).execute_operation(serially),
        )


HTTP_OPERATION_TYPES = frozenset({OperationType.QUERY, OperationType.MUTATION})


class PyTakeSchema(strawberry.Schema):
    """HTTP requests run through `execute`, which refuses subscriptions: they are served over
    graphql-transport-ws only, where the connection is authenticated and counted."""

    async def execute(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        return await super().execute(
            query,
            variable_values,
            context_value,
            root_value,
            operation_name,
            _without_subscriptions(allowed_operation_types),
            operation_extensions,
        )

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Expected errors are answers, not incidents; ErrorPolicy logs the unexpected ones."""


def _without_subscriptions(allowed: Iterable[OperationType] | None) -> set[OperationType]:
    return set(HTTP_OPERATION_TYPES if allowed is None else allowed) & HTTP_OPERATION_TYPES


class DocumentLimits(SchemaExtension):
    """The token cap and the depth and alias rules, set as the document is parsed and
    validated. strawberry's MaxTokensLimiter and AddValidationRules set them in on_operation,
    whose hooks a subscription keeps open, and in memory, for as long as it runs."""

    def __init__(self, max_tokens: int, rules: tuple[type[ASTValidationRule], ...]) -> None:
        self._max_tokens = max_tokens
        self._rules = rules

    def on_parse(self) -> Iterator[None]:
        self.execution_context.parse_options["max_tokens"] = self._max_tokens
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        context.validation_rules = context.validation_rules + self._rules
        yield


class ReportingParserCache(ParserCache):
    """strawberry's ParserCache parses in its hook, outside the parse step's error handling: a
    subscription whose document did not parse ended with `complete` and no error. A document
    that fails here is left to strawberry's own parse, which reports why."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        with contextlib.suppress(GraphQLError):
            context.graphql_document = self.cached_parse_document(
                context.query, **context.parse_options
            )
        yield


@dataclass(frozen=True)
class SchemaLimits:
    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 5000
    introspection: bool = True


@functools.cache
def build_schema(limits: SchemaLimits = SchemaLimits()) -> strawberry.Schema:
    """One schema per process and limits: it holds no state of its own (sharing and caches live
    in each app's services), and building one costs a tenth of a second."""
    # The limiters' rule classes are made once: ValidationCache keys on them, and a limiter
    # built per request would mint new classes and turn every validation into a cache miss.
    limit_rules = (
        *QueryDepthLimiter(max_depth=limits.max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=limits.max_aliases).validation_rules,
    )
    # The limits come first: their hooks must set the options before the caches parse and
    # validate.
    extensions: list[Callable[[], SchemaExtension] | type[SchemaExtension]] = [
        lambda: DocumentLimits(limits.max_tokens, limit_rules),
        lambda: ReportingParserCache(maxsize=DOCUMENT_CACHE_SIZE),
        lambda: ValidationCache(maxsize=DOCUMENT_CACHE_SIZE),
        lambda: ErrorPolicy(hide_suggestions=not limits.introspection),
    ]
    if not limits.introspection:
        extensions.append(DisableIntrospection)
    schema = PyTakeSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        execution_context_class=SharingExecutor,
        scalar_overrides={datetime: BOUNDED_DATETIME},
    )
    guard_inputs(schema._schema)
    return schema
