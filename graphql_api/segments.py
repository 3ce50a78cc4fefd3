"""Kinds of business, as a GraphQL enum."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="A kind of business, with a ready-made flow of its own.")
class BusinessSegment(Enum):
    RETAIL = strawberry.enum_value("retail", description="Shops and online stores.")
    SERVICES = strawberry.enum_value(
        "services", description="Service businesses: repairs, cleaning, beauty, consulting."
    )
    HEALTH = strawberry.enum_value("health", description="Clinics and practices.")
    EDUCATION = strawberry.enum_value("education", description="Schools and courses.")
    RESTAURANTS = strawberry.enum_value("restaurants", description="Restaurants and delivery.")

    @property
    def code(self) -> str:
        """The domain's name for it (strawberry unwraps the values at class creation)."""
        return str(self.value)
