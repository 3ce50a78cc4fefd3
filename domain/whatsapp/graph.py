"""The calls PyTake makes to Meta's Graph API; the httpx client in web/ implements them and
raises GraphApiFailure for every error Meta (or the network) returns."""

from __future__ import annotations

from typing import Any, Protocol


class GraphApi(Protocol):
    async def send_message(
        self, phone_number_id: str, access_token: str, payload: dict[str, Any]
    ) -> str | None:
        """Meta's wamid for a message; None for a read receipt."""
        ...

    async def phone_number(self, phone_number_id: str, access_token: str) -> dict[str, Any]:
        """The number's fields as Meta reports them (reference §10)."""
        ...

    async def templates_page(
        self, waba_id: str, access_token: str, after: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of the WABA's templates and the cursor of the next, if any."""
        ...

    async def create_template(
        self, waba_id: str, access_token: str, definition: dict[str, Any]
    ) -> dict[str, Any]:
        """Meta's answer: the new template's id, status and category."""
        ...

    async def delete_template(self, waba_id: str, access_token: str, name: str) -> None: ...

    async def subscribed_apps(self, waba_id: str, access_token: str) -> list[str]:
        """The names of the apps subscribed to the WABA's webhooks (reference §1)."""
        ...
