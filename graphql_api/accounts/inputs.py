"""What sign-in, user and organization operations take as input."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from graphql_api.accounts.types import UserRole
from graphql_api.languages import Language
from graphql_api.segments import BusinessSegment


@strawberry.input(description="Sign in with an email and password.")
class TokenCreateInput:
    email: str = strawberry.field(description="The account's email.")
    password: str = strawberry.field(description="The account's password.")


@strawberry.input(description="Exchange a refresh token for a new token pair.")
class TokenRefreshInput:
    refresh_token: str = strawberry.field(description="The refresh token to rotate.")


@strawberry.input(description="Sign out: revoke a refresh token and every token rotated from it.")
class TokenRevokeInput:
    refresh_token: str = strawberry.field(description="The refresh token to revoke.")


@strawberry.input(description="Create a user in the caller's organization.")
class UserCreateInput:
    email: str = strawberry.field(description="Sign-in email; unique across PyTake.")
    name: str = strawberry.field(description="The name shown to colleagues.")
    role: UserRole = strawberry.field(description="What the user may do.")
    password: str = strawberry.field(description="Initial password, at least 12 characters.")


@strawberry.input(
    description="Change a user. Anyone may change their own name and password; owners and "
    "admins may change others and their roles. Omitted fields stay as they are."
)
class UserUpdateInput:
    id: strawberry.ID = strawberry.field(description="The user to change.")
    name: str | None = strawberry.field(default=None, description="A new display name.")
    role: UserRole | None = strawberry.field(default=None, description="A new role.")
    password: str | None = strawberry.field(
        default=None,
        description="A new password; signs the user out everywhere (refresh tokens revoked).",
    )


@strawberry.input(description="Deactivate a user: sign-in is refused and sessions end.")
class UserDeactivateInput:
    id: strawberry.ID = strawberry.field(description="The user to deactivate.")


@strawberry.input(
    description="Change the caller's organization's profile (owners and admins); omitted "
    "fields stay as they are."
)
class OrganizationUpdateInput:
    name: str | None = strawberry.field(default=None, description="A new display name.")
    language: Language | None = strawberry.field(
        default=None, description="The language it talks to customers in."
    )
    time_zone: str | None = strawberry.field(
        default=None, description="An IANA time zone, such as America/Sao_Paulo."
    )
    business_hours: JSON | None = strawberry.field(
        default=None,
        description="Opening hours in the flow editor's shape: "
        '`{"timeZone", "weekly": {"monday": [["09:00", "18:00"]], ...}, "holidays": []}`.',
    )
    segment: BusinessSegment | None = strawberry.field(
        default=None, description="What kind of business it is."
    )


@strawberry.input(description="Create an organization with its first owner (platform superusers).")
class OrganizationCreateInput:
    name: str = strawberry.field(description="The organization's display name.")
    owner_email: str = strawberry.field(description="The first owner's sign-in email.")
    owner_name: str = strawberry.field(description="The first owner's name.")
    owner_password: str = strawberry.field(description="The first owner's password.")
    language: Language = strawberry.field(
        default=Language.PT_BR,
        description="The language it talks to customers in; Portuguese (Brazil) by default.",
    )
