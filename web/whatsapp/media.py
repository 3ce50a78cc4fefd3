"""`GET /api/v1/media/{message_id}`: a message's image, audio, video, document or sticker,
streamed from Meta chunk by chunk (never held whole in memory), for the signed-in user's
organization only. Binary content has no place in GraphQL, hence this one route."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from domain.accounts.model import Actor
from domain.accounts.services import AccountService
from domain.conversations.media import MediaService
from domain.errors import AccountDeactivated, InvalidToken, NotFound
from domain.whatsapp.meta_errors import GraphApiFailure
from web.whatsapp.graph_api import GraphApiClient

MEDIA_PATH = "/api/v1/media/{message_id}"


def problem(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


class MediaDownloads:
    def __init__(
        self, accounts: AccountService, media: MediaService, graph: GraphApiClient
    ) -> None:
        self._accounts = accounts
        self._media = media
        self._graph = graph

    async def download(self, request: Request) -> Response:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return problem(401, "INVALID_TOKEN", "Send 'Authorization: Bearer <access token>'")
        try:
            authentication = await self._accounts.resolve_access_token(token.strip())
            message_id = uuid.UUID(request.path_params["message_id"])
            actor = Actor.of(authentication.user, request.client.host if request.client else None)
            location = await self._media.locate(actor, message_id)
            info = await self._graph.media_url(location.media_id, location.access_token)
        except (InvalidToken, AccountDeactivated) as error:
            return problem(401, error.code, error.message)
        except (ValueError, NotFound):
            return problem(404, "NOT_FOUND", "No media message with that id in your organization")
        except GraphApiFailure as failure:
            return problem(502, "META_REFUSED", f"Meta refused the download: {failure.sentence}")
        url = str(info.get("url", ""))
        if not url:
            return problem(502, "META_REFUSED", "Meta returned no download URL")
        headers = {}
        if info.get("file_size"):
            headers["content-length"] = str(info["file_size"])
        if location.filename:
            headers["content-disposition"] = f'attachment; filename="{location.filename}"'
        media_type = str(info.get("mime_type") or location.mime_type or "application/octet-stream")
        # Opened before answering, so that Meta refusing the file is still a clean 502.
        stream = AsyncExitStack()
        try:
            _, chunks = await stream.enter_async_context(
                self._graph.media_stream(url, location.access_token)
            )
        except GraphApiFailure as failure:
            await stream.aclose()
            return problem(502, "META_REFUSED", f"Meta refused the download: {failure.sentence}")

        async def body() -> AsyncIterator[bytes]:
            try:
                async for chunk in chunks:
                    yield chunk
            finally:
                await stream.aclose()

        # The background task closes Meta's response even when the client left before the
        # body started.
        return StreamingResponse(
            body(), media_type=media_type, headers=headers, background=BackgroundTask(stream.aclose)
        )
