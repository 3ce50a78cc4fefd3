"""Account mutations: sign-in tokens, user management and organization creation."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain.accounts.services import OrganizationChanges
from domain.errors import InvalidInput
from graphql_api.accounts.inputs import (
    OrganizationCreateInput,
    OrganizationUpdateInput,
    TokenCreateInput,
    TokenRefreshInput,
    TokenRevokeInput,
    UserCreateInput,
    UserDeactivateInput,
    UserUpdateInput,
)
from graphql_api.accounts.types import AuthTokens, Organization, User
from graphql_api.context import Context
from graphql_api.errors import (
    AccountDeactivatedError,
    ConflictError,
    InvalidCredentialsError,
    InvalidTokenError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ValidationError,
)
from graphql_api.ids import parse_uuid
from graphql_api.mutations import MUTATION_INPUT, mutation


def _client_ip(info: strawberry.Info[Context, None]) -> str | None:
    return info.context.actor.client_ip


@strawberry.type(description="Signed in: the tokens and the user they belong to.")
class TokenCreateSuccess:
    tokens: AuthTokens = strawberry.field(description="The new access and refresh tokens.")
    user: User = strawberry.field(description="The signed-in user.")


TokenCreatePayload = Annotated[
    TokenCreateSuccess | InvalidCredentialsError | AccountDeactivatedError | RateLimitedError,
    strawberry.union("TokenCreatePayload", description="The outcome of tokenCreate."),
]


@strawberry.type(description="The refresh token was rotated: use the new pair from now on.")
class TokenRefreshSuccess:
    tokens: AuthTokens = strawberry.field(description="The new access and refresh tokens.")
    user: User = strawberry.field(description="The user the tokens belong to.")


TokenRefreshPayload = Annotated[
    TokenRefreshSuccess | InvalidTokenError | AccountDeactivatedError,
    strawberry.union("TokenRefreshPayload", description="The outcome of tokenRefresh."),
]


@strawberry.type(description="The outcome of tokenRevoke.")
class TokenRevokePayload:
    revoked: bool = strawberry.field(
        description="True when the token was known and is now revoked; false for an unknown token."
    )


@strawberry.type(description="The user was created.")
class UserCreateSuccess:
    user: User = strawberry.field(description="The new user.")


UserCreatePayload = Annotated[
    UserCreateSuccess | ValidationError | ConflictError | PermissionDeniedError,
    strawberry.union("UserCreatePayload", description="The outcome of userCreate."),
]


@strawberry.type(description="The user was changed (or already had these values).")
class UserUpdateSuccess:
    user: User = strawberry.field(description="The user as it is now.")


UserUpdatePayload = Annotated[
    UserUpdateSuccess | ValidationError | NotFoundError | PermissionDeniedError | ConflictError,
    strawberry.union("UserUpdatePayload", description="The outcome of userUpdate."),
]


@strawberry.type(description="The user is deactivated.")
class UserDeactivateSuccess:
    user: User = strawberry.field(description="The user as it is now.")


UserDeactivatePayload = Annotated[
    UserDeactivateSuccess | ValidationError | NotFoundError | PermissionDeniedError | ConflictError,
    strawberry.union("UserDeactivatePayload", description="The outcome of userDeactivate."),
]


@strawberry.type(description="The organization and its owner were created.")
class OrganizationCreateSuccess:
    organization: Organization = strawberry.field(description="The new organization.")
    owner: User = strawberry.field(description="Its first owner.")


OrganizationCreatePayload = Annotated[
    OrganizationCreateSuccess | ValidationError | ConflictError | PermissionDeniedError,
    strawberry.union("OrganizationCreatePayload", description="The outcome of organizationCreate."),
]


@strawberry.type(description="The organization's profile is saved.")
class OrganizationUpdateSuccess:
    organization: Organization = strawberry.field(description="The organization as it is now.")


OrganizationUpdatePayload = Annotated[
    OrganizationUpdateSuccess | ValidationError | PermissionDeniedError,
    strawberry.union("OrganizationUpdatePayload", description="The outcome of organizationUpdate."),
]


@strawberry.type
class AccountMutations:
    @mutation(
        description="Sign in. Failed attempts are limited per account and per client address."
    )
    async def token_create(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[TokenCreateInput, MUTATION_INPUT],
    ) -> TokenCreatePayload:
        pair = await info.context.services.accounts.authenticate(
            input.email, input.password, _client_ip(info)
        )
        return TokenCreateSuccess(
            tokens=AuthTokens.from_domain(pair), user=User.from_domain(pair.user)
        )

    @mutation(description="Rotate a refresh token into a new access and refresh token.")
    async def token_refresh(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[TokenRefreshInput, MUTATION_INPUT],
    ) -> TokenRefreshPayload:
        pair = await info.context.services.accounts.refresh(input.refresh_token, _client_ip(info))
        return TokenRefreshSuccess(
            tokens=AuthTokens.from_domain(pair), user=User.from_domain(pair.user)
        )

    @mutation(description="Sign out by revoking a refresh token and its rotations.")
    async def token_revoke(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[TokenRevokeInput, MUTATION_INPUT],
    ) -> TokenRevokePayload:
        revoked = await info.context.services.accounts.revoke(input.refresh_token, _client_ip(info))
        return TokenRevokePayload(revoked=revoked)

    @mutation(description="Create a user (owners and admins).")
    async def user_create(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[UserCreateInput, MUTATION_INPUT],
    ) -> UserCreatePayload:
        user = await info.context.services.accounts.create_user(
            info.context.actor, input.email, input.name, input.role.to_domain(), input.password
        )
        return UserCreateSuccess(user=User.from_domain(user))

    @mutation(description="Change a user's name, role or password.")
    async def user_update(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[UserUpdateInput, MUTATION_INPUT],
    ) -> UserUpdatePayload:
        user = await info.context.services.accounts.update_user(
            info.context.actor,
            parse_uuid(input.id),
            name=input.name,
            role=input.role.to_domain() if input.role else None,
            password=input.password,
        )
        return UserUpdateSuccess(user=User.from_domain(user))

    @mutation(description="Deactivate a user (owners and admins).")
    async def user_deactivate(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[UserDeactivateInput, MUTATION_INPUT],
    ) -> UserDeactivatePayload:
        user = await info.context.services.accounts.deactivate_user(
            info.context.actor, parse_uuid(input.id)
        )
        return UserDeactivateSuccess(user=User.from_domain(user))

    @mutation(description="Create an organization and its first owner (superusers).")
    async def organization_create(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[OrganizationCreateInput, MUTATION_INPUT],
    ) -> OrganizationCreatePayload:
        organization, owner = await info.context.services.accounts.create_organization(
            info.context.actor,
            input.name,
            input.owner_email,
            input.owner_name,
            input.owner_password,
            input.language.code,
        )
        return OrganizationCreateSuccess(
            organization=Organization.from_domain(organization), owner=User.from_domain(owner)
        )

    @mutation(
        description="Change the organization's profile: name, language, time zone, business "
        "hours and kind of business (owners and admins)."
    )
    async def organization_update(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[OrganizationUpdateInput, MUTATION_INPUT],
    ) -> OrganizationUpdatePayload:
        hours = input.business_hours
        if hours is not None and not isinstance(hours, dict):
            raise InvalidInput("businessHours is an object", field="businessHours")
        organization = await info.context.services.accounts.update_organization(
            info.context.actor,
            OrganizationChanges(
                name=input.name,
                language=input.language.code if input.language is not None else None,
                time_zone=input.time_zone,
                business_hours=hours,
                segment=input.segment.code if input.segment is not None else None,
            ),
        )
        return OrganizationUpdateSuccess(organization=Organization.from_domain(organization))
