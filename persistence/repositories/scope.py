"""What a feature's repositories need from the unit of work that opens them."""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod

from sqlalchemy.ext.asyncio import AsyncSession

from persistence.dialects import QueryComponents


class RepositoryScope(ABC):
    """The base of each feature's `<Feature>Repositories`: the properties a unit of work gains
    by composing them (`persistence/unit_of_work.py`)."""

    @property
    @abstractmethod
    def session(self) -> AsyncSession:
        """The transaction's session."""

    @property
    @abstractmethod
    def components(self) -> QueryComponents:
        """What differs between the database's dialect and the other."""

    @abstractmethod
    def scope(self) -> uuid.UUID:
        """The organization the unit of work is bound to; raises when it is bound to none."""
