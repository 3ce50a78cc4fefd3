"""Typed table rows, one module per feature. Every table that holds tenant data carries
organization_id. Importing the package registers every table on `Base.metadata`, which
migrations and the tests read."""

from persistence.models import (  # noqa: F401 - imported to register their tables
    accounts,
    audit,
    conversations,
    events,
    flows,
    ingestion,
    notifications,
    onboarding,
    queues,
    replies,
    signals,
    team,
    whatsapp,
)
