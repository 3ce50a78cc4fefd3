"""The edge: the ASGI app, settings, the event bus, health checks and the `pytake` command."""
