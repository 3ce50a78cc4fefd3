"""Creating and changing canned responses."""

from __future__ import annotations

import strawberry


@strawberry.input(description="A new canned response.")
class CannedResponseCreateInput:
    shortcut: str = strawberry.field(description="Typed after '/', e.g. 'horario'.")
    title: str = strawberry.field(description="What it is for (1 to 100 characters).")
    body: str = strawberry.field(description="The text sent (1 to 4,096 characters).")


@strawberry.input(description="A canned response, changed as a whole.")
class CannedResponseUpdateInput:
    id: strawberry.ID = strawberry.field(description="The canned response.")
    shortcut: str = strawberry.field(description="Typed after '/'.")
    title: str = strawberry.field(description="What it is for.")
    body: str = strawberry.field(description="The text sent.")


@strawberry.input(description="A canned response of the caller's organization.")
class CannedResponseIdInput:
    id: strawberry.ID = strawberry.field(description="The canned response.")
