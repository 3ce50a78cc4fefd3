"""The languages PyTake talks to customers in, as a GraphQL enum."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="A language PyTake writes customer-facing texts in.")
class Language(Enum):
    PT_BR = strawberry.enum_value("pt-BR", description="Portuguese (Brazil).")
    EN = strawberry.enum_value("en", description="English.")

    @property
    def code(self) -> str:
        """The BCP 47 tag the domain uses (strawberry unwraps the values at class creation)."""
        return str(self.value)
