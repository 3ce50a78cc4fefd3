"""Connecting, syncing, changing and removing WhatsApp numbers, and managing their templates
(owners and admins)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain.errors import InvalidInput
from domain.whatsapp.numbers import NumberDetails
from domain.whatsapp.templates import TemplateDefinition
from graphql_api.context import Context
from graphql_api.errors import (
    ConflictError,
    MetaRefusedError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from graphql_api.ids import parse_uuid
from graphql_api.mutations import MUTATION_INPUT, mutation
from graphql_api.whatsapp.inputs import (
    WhatsAppNumberCreateInput,
    WhatsAppNumberDeleteInput,
    WhatsAppNumberSyncInput,
    WhatsAppNumberUpdateInput,
    WhatsAppTemplateCreateInput,
    WhatsAppTemplateDeleteInput,
    WhatsAppTemplateSyncInput,
    WhatsAppTrialCustomerSayInput,
)
from graphql_api.whatsapp.types import WhatsAppNumber, WhatsAppTemplate


@strawberry.type(description="The number is connected.")
class WhatsAppNumberCreateSuccess:
    number: WhatsAppNumber = strawberry.field(description="The connected number.")


WhatsAppNumberCreatePayload = Annotated[
    WhatsAppNumberCreateSuccess | ValidationError | ConflictError | PermissionDeniedError,
    strawberry.union(
        "WhatsAppNumberCreatePayload", description="The outcome of whatsappNumberCreate."
    ),
]


@strawberry.type(description="The organization's trial number, made on first use.")
class WhatsAppTrialStartSuccess:
    number: WhatsAppNumber = strawberry.field(description="The trial number.")


WhatsAppTrialStartPayload = Annotated[
    WhatsAppTrialStartSuccess | ConflictError | PermissionDeniedError,
    strawberry.union("WhatsAppTrialStartPayload", description="The outcome of whatsappTrialStart."),
]


@strawberry.type(description="The test customer's message reached PyTake, as Meta's would.")
class WhatsAppTrialCustomerSaySuccess:
    wamid: str = strawberry.field(description="The message's WhatsApp id.")


WhatsAppTrialCustomerSayPayload = Annotated[
    WhatsAppTrialCustomerSaySuccess | NotFoundError | ConflictError | ValidationError,
    strawberry.union(
        "WhatsAppTrialCustomerSayPayload", description="The outcome of whatsappTrialCustomerSay."
    ),
]


@strawberry.type(description="The number was changed (or already had these values).")
class WhatsAppNumberUpdateSuccess:
    number: WhatsAppNumber = strawberry.field(description="The number as it is now.")


WhatsAppNumberUpdatePayload = Annotated[
    WhatsAppNumberUpdateSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union(
        "WhatsAppNumberUpdatePayload", description="The outcome of whatsappNumberUpdate."
    ),
]


@strawberry.type(description="The number is disconnected; its webhooks are no longer routed.")
class WhatsAppNumberDeleteSuccess:
    deleted_id: strawberry.ID = strawberry.field(description="The id of the disconnected number.")


WhatsAppNumberDeletePayload = Annotated[
    WhatsAppNumberDeleteSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union(
        "WhatsAppNumberDeletePayload", description="The outcome of whatsappNumberDelete."
    ),
]


@strawberry.type(description="The number now shows what Meta reports for it.")
class WhatsAppNumberSyncSuccess:
    number: WhatsAppNumber = strawberry.field(description="The number as it is now.")


WhatsAppNumberSyncPayload = Annotated[
    WhatsAppNumberSyncSuccess
    | ValidationError
    | NotFoundError
    | PermissionDeniedError
    | MetaRefusedError,
    strawberry.union("WhatsAppNumberSyncPayload", description="The outcome of whatsappNumberSync."),
]


@strawberry.type(description="PyTake's templates for the WABA now match Meta's.")
class WhatsAppTemplateSyncSuccess:
    templates: list[WhatsAppTemplate] = strawberry.field(description="Every template Meta has.")


WhatsAppTemplateSyncPayload = Annotated[
    WhatsAppTemplateSyncSuccess
    | ValidationError
    | NotFoundError
    | PermissionDeniedError
    | MetaRefusedError,
    strawberry.union(
        "WhatsAppTemplateSyncPayload", description="The outcome of whatsappTemplateSync."
    ),
]


@strawberry.type(description="Meta accepted the template for review (status PENDING).")
class WhatsAppTemplateCreateSuccess:
    template: WhatsAppTemplate = strawberry.field(description="The submitted template.")


WhatsAppTemplateCreatePayload = Annotated[
    WhatsAppTemplateCreateSuccess
    | ValidationError
    | NotFoundError
    | PermissionDeniedError
    | MetaRefusedError,
    strawberry.union(
        "WhatsAppTemplateCreatePayload", description="The outcome of whatsappTemplateCreate."
    ),
]


@strawberry.type(description="The template is deleted.")
class WhatsAppTemplateDeleteSuccess:
    deleted_languages: int = strawberry.field(
        description="How many of PyTake's copies (one per language) were removed."
    )


WhatsAppTemplateDeletePayload = Annotated[
    WhatsAppTemplateDeleteSuccess
    | ValidationError
    | NotFoundError
    | PermissionDeniedError
    | MetaRefusedError,
    strawberry.union(
        "WhatsAppTemplateDeletePayload", description="The outcome of whatsappTemplateDelete."
    ),
]


def template_definition(input: WhatsAppTemplateCreateInput) -> TemplateDefinition:
    named = input.body_named_examples
    if named is not None and not isinstance(named, dict):
        raise InvalidInput(
            "bodyNamedExamples must be an object of name: value", "bodyNamedExamples"
        )
    examples: list[str] | dict[str, str] = (
        {str(k): str(v) for k, v in named.items()} if named else list(input.body_examples)
    )
    return TemplateDefinition(
        name=input.name,
        category=input.category,
        language=input.language,
        body=input.body,
        body_examples=examples,
        header_text=input.header_text,
        footer=input.footer,
        quick_replies=tuple(input.quick_replies),
    )


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
    @mutation(description="Connect a WhatsApp Business number (owners and admins).")
    async def whatsapp_number_create(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[WhatsAppNumberCreateInput, MUTATION_INPUT],
    ) -> WhatsAppNumberCreatePayload:
        details = number_details(input)
        number = await info.context.services.numbers.create(
            info.context.actor, input.phone_number_id, input.waba_id, details
        )
        return WhatsAppNumberCreateSuccess(number=WhatsAppNumber.from_domain(number))

    @mutation(description="Change a connected number (owners and admins).")
    async def whatsapp_number_update(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[WhatsAppNumberUpdateInput, MUTATION_INPUT],
    ) -> WhatsAppNumberUpdatePayload:
        details = number_details(input)
        number = await info.context.services.numbers.update(
            info.context.actor, parse_uuid(input.id), details
        )
        return WhatsAppNumberUpdateSuccess(number=WhatsAppNumber.from_domain(number))

    @mutation(description="Disconnect a number (owners and admins).")
    async def whatsapp_number_delete(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[WhatsAppNumberDeleteInput, MUTATION_INPUT],
    ) -> WhatsAppNumberDeletePayload:
        number = await info.context.services.numbers.delete(
            info.context.actor, parse_uuid(input.id)
        )
        return WhatsAppNumberDeleteSuccess(deleted_id=strawberry.ID(str(number.id)))

    @mutation(
        description="Refresh a number's display number, verified name, quality rating, status "
        "and throughput from Meta (owners and admins)."
    )
    async def whatsapp_number_sync(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[WhatsAppNumberSyncInput, MUTATION_INPUT],
    ) -> WhatsAppNumberSyncPayload:
        number = await info.context.services.numbers.sync(info.context.actor, parse_uuid(input.id))
        return WhatsAppNumberSyncSuccess(number=WhatsAppNumber.from_domain(number))

    @mutation(
        description="Fetch every template of the number's WABA from Meta, page by page; "
        "templates Meta no longer has are removed (owners and admins)."
    )
    async def whatsapp_template_sync(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[WhatsAppTemplateSyncInput, MUTATION_INPUT],
    ) -> WhatsAppTemplateSyncPayload:
        found = await info.context.services.templates.sync(
            info.context.actor, parse_uuid(input.number_id)
        )
        return WhatsAppTemplateSyncSuccess(
            templates=[WhatsAppTemplate.from_domain(template) for template in found]
        )

    @mutation(
        description="Submit a template for Meta's review (owners and admins); its status "
        "follows Meta's template webhooks."
    )
    async def whatsapp_template_create(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[WhatsAppTemplateCreateInput, MUTATION_INPUT],
    ) -> WhatsAppTemplateCreatePayload:
        template = await info.context.services.templates.create(
            info.context.actor, parse_uuid(input.number_id), template_definition(input)
        )
        return WhatsAppTemplateCreateSuccess(template=WhatsAppTemplate.from_domain(template))

    @mutation(
        description="Delete a template in every language, at Meta and in PyTake (owners and "
        "admins)."
    )
    async def whatsapp_template_delete(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[WhatsAppTemplateDeleteInput, MUTATION_INPUT],
    ) -> WhatsAppTemplateDeletePayload:
        deleted = await info.context.services.templates.delete(
            info.context.actor, parse_uuid(input.number_id), input.name
        )
        return WhatsAppTemplateDeleteSuccess(deleted_languages=deleted)

    @mutation(
        description="Start trial mode (owners and admins): a trial number whose messages go to "
        "the simulator built into PyTake instead of Meta, to try flows, queues and the inbox "
        "without a Meta account. One per organization; asked again, the same number. Refused "
        "with CONFLICT where the installation turned trial mode off (PYTAKE_TRIAL_MODE)."
    )
    async def whatsapp_trial_start(
        self, info: strawberry.Info[Context, None]
    ) -> WhatsAppTrialStartPayload:
        number = await info.context.services.trial.start(info.context.actor)
        return WhatsAppTrialStartSuccess(number=WhatsAppNumber.from_domain(number))

    @mutation(
        description="Play the trial's test customer: the message reaches the trial number as "
        "a customer's would through Meta's webhook, and flows and queues answer it for real."
    )
    async def whatsapp_trial_customer_say(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[WhatsAppTrialCustomerSayInput, MUTATION_INPUT],
    ) -> WhatsAppTrialCustomerSayPayload:
        if not input.text.strip():
            raise InvalidInput("the test customer's message is empty", field="text")
        organization = await info.context.services.accounts.current_organization(info.context.actor)
        wamid = await info.context.services.trial.customer_says(
            info.context.actor, input.text, input.reply_id, organization.language
        )
        return WhatsAppTrialCustomerSaySuccess(wamid=wamid)
