"""Connecting, changing and removing WhatsApp numbers (owners and admins)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from domain.whatsapp.numbers import NumberDetails
from graphql_api.context import Context
from graphql_api.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from graphql_api.ids import parse_uuid
from graphql_api.whatsapp.types import WhatsAppNumber

MUTATION_INPUT = strawberry.argument(description="The mutation's fields; see the input type.")


@strawberry.input(description="Connect a WhatsApp Business number registered with Meta.")
class WhatsAppNumberCreateInput:
    phone_number_id: str = strawberry.field(description="Meta's phone number id (digits).")
    waba_id: str = strawberry.field(description="Meta's WhatsApp Business Account id (digits).")
    access_token: str = strawberry.field(
        description="A system-user access token with whatsapp_business_messaging permission."
    )
    display_phone_number: str | None = strawberry.field(
        default=None, description="The number as customers see it; Meta's id when omitted."
    )
    verified_name: str | None = strawberry.field(
        default=None, description="The display name Meta approved."
    )
    app_secret: str | None = strawberry.field(
        default=None,
        description="The Meta app secret that signs this number's webhooks, when it is not the "
        "installation-wide PYTAKE_WHATSAPP_APP_SECRET.",
    )
    verify_token: str | None = strawberry.field(
        default=None, description="A verify token of this number's own for Meta's handshake."
    )
    messages_per_second: int | None = strawberry.field(
        default=None, description="Send throughput to keep to, 1 to 1000; 80 when omitted."
    )


@strawberry.type(description="The number is connected.")
class WhatsAppNumberCreateSuccess:
    number: WhatsAppNumber = strawberry.field(description="The connected number.")


WhatsAppNumberCreatePayload = Annotated[
    WhatsAppNumberCreateSuccess | ValidationError | ConflictError | PermissionDeniedError,
    strawberry.union(
        "WhatsAppNumberCreatePayload", description="The outcome of whatsappNumberCreate."
    ),
]


@strawberry.input(
    description="Change a connected number. Omitted fields stay as they are; an empty app "
    "secret or verify token removes it."
)
class WhatsAppNumberUpdateInput:
    id: strawberry.ID = strawberry.field(description="The number to change.")
    display_phone_number: str | None = strawberry.field(default=None, description="New display.")
    verified_name: str | None = strawberry.field(default=None, description="New verified name.")
    messages_per_second: int | None = strawberry.field(
        default=None, description="New send throughput, 1 to 1000."
    )
    access_token: str | None = strawberry.field(
        default=None, description="A new access token; marks the number healthy again."
    )
    app_secret: str | None = strawberry.field(default=None, description="A new app secret.")
    verify_token: str | None = strawberry.field(default=None, description="A new verify token.")


@strawberry.type(description="The number was changed (or already had these values).")
class WhatsAppNumberUpdateSuccess:
    number: WhatsAppNumber = strawberry.field(description="The number as it is now.")


WhatsAppNumberUpdatePayload = Annotated[
    WhatsAppNumberUpdateSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union(
        "WhatsAppNumberUpdatePayload", description="The outcome of whatsappNumberUpdate."
    ),
]


@strawberry.input(description="Disconnect a number. Its conversations and history are kept.")
class WhatsAppNumberDeleteInput:
    id: strawberry.ID = strawberry.field(description="The number to disconnect.")


@strawberry.type(description="The number is disconnected; its webhooks are no longer routed.")
class WhatsAppNumberDeleteSuccess:
    deleted_id: strawberry.ID = strawberry.field(description="The id of the disconnected number.")


WhatsAppNumberDeletePayload = Annotated[
    WhatsAppNumberDeleteSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union(
        "WhatsAppNumberDeletePayload", description="The outcome of whatsappNumberDelete."
    ),
]


def number_details(input: WhatsAppNumberCreateInput | WhatsAppNumberUpdateInput) -> NumberDetails:
    return NumberDetails(
        display_phone_number=input.display_phone_number,
        verified_name=input.verified_name,
        messages_per_second=input.messages_per_second,
        access_token=input.access_token,
        app_secret=input.app_secret,
        verify_token=input.verify_token,
    )


@strawberry.type
class WhatsAppMutations:
    @strawberry.mutation(description="Connect a WhatsApp Business number (owners and admins).")
    async def whatsapp_number_create(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[WhatsAppNumberCreateInput, MUTATION_INPUT],
    ) -> WhatsAppNumberCreatePayload:
        details = number_details(input)
        try:
            number = await info.context.services.numbers.create(
                info.context.actor, input.phone_number_id, input.waba_id, details
            )
        except InvalidInput as error:
            return ValidationError.of(error)
        except Conflict as error:
            return ConflictError.of(error)
        except Forbidden as error:
            return PermissionDeniedError.of(error)
        return WhatsAppNumberCreateSuccess(number=WhatsAppNumber.from_domain(number))

    @strawberry.mutation(description="Change a connected number (owners and admins).")
    async def whatsapp_number_update(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[WhatsAppNumberUpdateInput, MUTATION_INPUT],
    ) -> WhatsAppNumberUpdatePayload:
        details = number_details(input)
        try:
            number = await info.context.services.numbers.update(
                info.context.actor, parse_uuid(input.id), details
            )
        except InvalidInput as error:
            return ValidationError.of(error)
        except NotFound as error:
            return NotFoundError.of(error)
        except Forbidden as error:
            return PermissionDeniedError.of(error)
        return WhatsAppNumberUpdateSuccess(number=WhatsAppNumber.from_domain(number))

    @strawberry.mutation(description="Disconnect a number (owners and admins).")
    async def whatsapp_number_delete(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[WhatsAppNumberDeleteInput, MUTATION_INPUT],
    ) -> WhatsAppNumberDeletePayload:
        try:
            number = await info.context.services.numbers.delete(
                info.context.actor, parse_uuid(input.id)
            )
        except InvalidInput as error:
            return ValidationError.of(error)
        except NotFound as error:
            return NotFoundError.of(error)
        except Forbidden as error:
            return PermissionDeniedError.of(error)
        return WhatsAppNumberDeleteSuccess(deleted_id=strawberry.ID(str(number.id)))
