"""One scaffold for every mutation (Saleor's central error handling): a resolver is a call to
its service and a success value. `mutation` declares the field with `DomainErrorsAsPayload`,
which turns a domain failure into the member of the mutation's payload union that reports it
(`Error.domain_error`); a failure the union does not list (or a payload that is no union, like
tokenRevoke's) goes on to the error policy, which answers it as a top-level error with
`extensions.code`."""

from __future__ import annotations

from functools import cached_property
from typing import Any

import strawberry
from strawberry.extensions.field_extension import AsyncExtensionResolver, FieldExtension
from strawberry.types.field import StrawberryField
from strawberry.types.union import StrawberryUnion

from domain.errors import DomainError
from graphql_api.errors import Error

MUTATION_INPUT = strawberry.argument(description="The mutation's fields; see the input type.")


class DomainErrorsAsPayload(FieldExtension):
    def apply(self, field: StrawberryField) -> None:
        self._field = field

    @cached_property
    def _members(self) -> dict[type[DomainError], type[Error]]:
        """The payload union's error members, by the domain failure each reports; read on first
        use, once the schema has resolved the union's types."""
        union = self._field.type
        if not isinstance(union, StrawberryUnion):
            return {}
        return {
            member.domain_error: member
            for member in union.types
            if isinstance(member, type) and issubclass(member, Error)
        }

    def member_for(self, error: DomainError) -> type[Error] | None:
        for failure in type(error).__mro__:
            member = self._members.get(failure)
            if member is not None:
                return member
        return None

    async def resolve_async(
        self, next_: AsyncExtensionResolver, source: Any, info: strawberry.Info, **kwargs: Any
    ) -> Any:
        try:
            return await next_(source, info, **kwargs)
        except DomainError as error:
            member = self.member_for(error)
            if member is None:
                raise
            return member.of(error)


def mutation(*, description: str) -> Any:
    """`@strawberry.mutation` for a field that returns a payload union."""
    return strawberry.mutation(description=description, extensions=[DomainErrorsAsPayload()])
