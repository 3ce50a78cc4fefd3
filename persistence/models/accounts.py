"""Organizations, their users, refresh tokens and sign-in attempts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    String,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from persistence.models.base import Base
from persistence.types import AutoIncrementBigInt


class OrganizationRow(Base):
    __tablename__ = "organizations"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(10), default="pt-BR", server_default="pt-BR")
    time_zone: Mapped[str | None] = mapped_column(String(64))
    business_hours: Mapped[dict[str, Any] | None]
    segment: Mapped[str | None] = mapped_column(String(20))
    # Locked briefly at commit to hand out event sequences in commit order.
    last_event_sequence: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    created_at: Mapped[datetime]


class UserRow(Base):
    __tablename__ = "users"
    __table_args__ = (Index(None, "organization_id", "created_at", "id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_superuser: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class RefreshTokenRow(Base):
    __tablename__ = "refresh_tokens"
    __table_args__ = (Index(None, "user_id"), Index(None, "family_id"))

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    family_id: Mapped[uuid.UUID]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    replaced_by_id: Mapped[uuid.UUID | None]


class LoginAttemptRow(Base):
    """Sign-in attempts, keyed by the email typed (which may match no account), not by tenant:
    failures (recorded before the password is checked), and the successes that make an
    address a known device of the email."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index(None, "email", "attempted_at"),
        Index(None, "client_ip", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(AutoIncrementBigInt, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(320))
    client_ip: Mapped[str | None] = mapped_column(String(64))
    attempted_at: Mapped[datetime]
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
