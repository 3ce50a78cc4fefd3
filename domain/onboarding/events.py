"""Facts about the onboarding."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from domain.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class OnboardingChanged(DomainEvent):
    """A step was completed or skipped."""

    type: ClassVar[str] = "onboarding.changed"
    step: str
    status: str
