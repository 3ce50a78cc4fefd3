"""Creating and changing intents."""

from __future__ import annotations

import strawberry


@strawberry.input(description="A new intent.")
class IntentCreateInput:
    name: str = strawberry.field(
        description="Lower-case letters, digits and '_', starting with a letter (1 to 40), "
        "e.g. 'status_pedido'; 'unsure' is taken."
    )
    description: str = strawberry.field(
        default="", description="What it means, for the team (at most 200 characters)."
    )
    examples: list[str] = strawberry.field(
        description="Customer messages that mean it: at least 5 to train, at most 100, each "
        "at most 500 characters; repeated ones are kept once."
    )


@strawberry.input(description="An intent, changed as a whole.")
class IntentUpdateInput:
    id: strawberry.ID = strawberry.field(description="The intent.")
    name: str = strawberry.field(description="Its name.")
    description: str = strawberry.field(default="", description="What it means.")
    examples: list[str] = strawberry.field(description="Customer messages that mean it.")


@strawberry.input(description="An intent of the caller's organization.")
class IntentIdInput:
    id: strawberry.ID = strawberry.field(description="The intent.")


@strawberry.input(description="What to import from PyTake's starter set.")
class IntentStarterSetImportInput:
    include_keyword_flows: bool = strawberry.field(
        default=True,
        description="Also one intent per published keyword flow (flow_<its name>), its "
        "keywords as examples.",
    )
