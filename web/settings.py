"""Configuration from PYTAKE_* environment variables (and an optional .env), validated at start."""

from __future__ import annotations

import secrets
from datetime import timedelta
from enum import StrEnum
from ipaddress import IPv4Network, IPv6Network
from pathlib import Path
from typing import Self

from pydantic import Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.notifications.push import valid_vapid_private_key
from web.whatsapp.graph_api import DEFAULT_GRAPH_URL, DEFAULT_GRAPH_VERSION

MIN_SECRET_KEY_LENGTH = 32
DEFAULT_ADMIN_EMAIL = "admin@example.com"


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class SmtpSecurity(StrEnum):
    STARTTLS = "starttls"
    TLS = "tls"
    NONE = "none"


class ConfigurationError(Exception):
    """Raised with a message meant for the operator: what is wrong and how to fix it."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PYTAKE_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    env: Environment = Environment.DEVELOPMENT
    data_dir: Path = Path("data")
    database_url: str | None = Field(
        default=None, description="Defaults to SQLite in the data folder"
    )
    database_pool_size: int = Field(default=10, ge=1, le=200)
    database_statement_timeout_seconds: float = Field(
        default=15.0,
        gt=0,
        le=600,
        description="A request's database statement unanswered for this long is answered 503",
    )
    broadcast_url: str = "memory://"
    broadcast_channel_prefix: str = "pytake"
    secret_key: str | None = None

    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    workers: int = Field(default=1, ge=1, le=64)
    run_workers_in_process: bool = True
    worker_backoff_seconds: float = Field(
        default=1.0,
        gt=0,
        le=60,
        description="A background worker that fails restarts after this, doubling to 60 s",
    )
    access_log: bool = False
    principal_cache_seconds: float = Field(
        default=60.0,
        ge=0,
        le=3600,
        description="How long a process trusts the user it read for a token; 0 reads every time",
    )

    admin_email: str = DEFAULT_ADMIN_EMAIL
    admin_password: str | None = None
    admin_name: str = "Administrator"
    admin_organization: str = "My organization"

    graphiql: bool | None = None
    introspection: bool | None = None
    allow_embedded_in_production: bool = False

    access_token_minutes: int = Field(default=15, ge=1, le=24 * 60)
    refresh_token_days: int = Field(default=30, ge=1, le=365)
    login_window_minutes: int = Field(default=15, ge=1)
    login_max_failures_per_account: int = Field(default=10, ge=1)
    login_max_failures_per_client: int = Field(default=50, ge=1)
    login_free_failures_per_address: int = Field(default=5, ge=1)

    event_retention_hours: float = Field(default=24, gt=0)
    maintenance_interval_seconds: float = Field(default=300, gt=0)
    subscriber_buffer_size: int = Field(default=1000, ge=10)
    bus_heartbeat_seconds: float = Field(default=2.0, gt=0)

    graphql_max_depth: int = Field(default=12, ge=2)
    graphql_max_aliases: int = Field(default=30, ge=1)
    graphql_max_tokens: int = Field(default=5000, ge=100)
    graphql_max_body_bytes: int = Field(default=1_048_576, ge=1024)
    max_subscriptions_per_connection: int = Field(default=20, ge=1)
    connection_init_timeout_seconds: float = Field(default=5, gt=0)
    trusted_proxies: list[str] = Field(default_factory=list)

    whatsapp_verify_token: str | None = None
    whatsapp_app_secret: str | None = None
    whatsapp_webhook_max_bytes: int = Field(default=4 * 1024 * 1024, ge=1024)
    webhook_retention_days: int = Field(default=30, ge=1)
    whatsapp_graph_url: str = DEFAULT_GRAPH_URL
    whatsapp_graph_version: str = DEFAULT_GRAPH_VERSION
    whatsapp_graph_timeout_seconds: float = Field(default=20, gt=0, le=50)
    whatsapp_send_deadline_minutes: float = Field(default=60, gt=0)
    whatsapp_max_sends_in_flight: int = Field(default=64, ge=1, le=1000)
    whatsapp_retry_base_seconds: float = Field(default=1.0, gt=0, le=60)
    webhook_poll_seconds: float = Field(default=0.25, gt=0, le=60)

    flow_http_allowed_networks: list[IPv4Network | IPv6Network] = Field(default_factory=list)
    """Private or loopback networks that flows' HTTP request nodes may reach; none by default."""
    flow_http_max_response_bytes: int = Field(default=1_048_576, ge=1024)
    flow_timer_poll_seconds: float = Field(default=1.0, gt=0, le=60)
    distribution_poll_seconds: float = Field(default=1.0, gt=0, le=60)
    snooze_poll_seconds: float = Field(default=5.0, gt=0, le=300)
    signals_enabled: bool = True
    """Whether this installation reads customer messages (sentiment) at all."""
    signals_poll_seconds: float = Field(default=1.0, gt=0, le=60)
    signals_batch_size: int = Field(default=500, ge=1, le=10_000)
    intents_poll_seconds: float = Field(default=2.0, gt=0, le=60)
    notifications_poll_seconds: float = Field(default=1.0, gt=0, le=60)
    notifications_email_digest_minutes: float = Field(default=15, ge=0, le=1440)
    """How long a notification waits for others to share its e-mail digest."""
    email_digest_poll_seconds: float = Field(default=30, gt=0, le=3600)
    vapid_private_key: str | None = None
    """The Web Push (VAPID) private key, a raw P-256 key in base64url; when absent, one is
    made at first start and stored, sealed, in the database."""
    vapid_subject: str | None = None
    """How push services reach the operator (mailto:ops@example.com or an https URL); the
    public URL when absent."""
    push_allow_http: bool = False
    """Accept push services on plain http: a local test push service, never a real one."""
    push_timeout_seconds: float = Field(default=10, gt=0, le=60)
    push_poll_seconds: float = Field(default=1.0, gt=0, le=60)

    trial_mode: bool | None = None
    """Trial numbers on the built-in simulator; on by default in development only."""
    public_url: str | None = None
    """The address people open PyTake at (https://pytake.example.com), for links in e-mails;
    when absent, the address the request that made the link came to."""
    invitation_days: int = Field(default=7, ge=1, le=90)
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_security: SmtpSecurity = SmtpSecurity.STARTTLS
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_from: str | None = None
    smtp_timeout_seconds: float = Field(default=10, gt=0, le=60)

    password_hash_time_cost: int = Field(default=3, ge=1)
    password_hash_memory_kib: int = Field(default=65536, ge=8192)

    @model_validator(mode="after")
    def _check_production(self) -> Self:
        if self.env is not Environment.PRODUCTION:
            return self
        problems = []
        if not self.allow_embedded_in_production:
            if self.database_url is None or self.database_url.startswith("sqlite"):
                problems.append(
                    "PYTAKE_DATABASE_URL must point at PostgreSQL (postgresql+asyncpg://...)"
                )
            if self.broadcast_url.startswith("memory"):
                problems.append("PYTAKE_BROADCAST_URL must point at Redis (redis://...)")
        if not self.secret_key:
            problems.append("PYTAKE_SECRET_KEY is required (generate one: openssl rand -hex 32)")
        if self.graphiql and self.introspection is False:
            problems.append("PYTAKE_GRAPHIQL needs introspection; set PYTAKE_INTROSPECTION=true")
        if problems:
            raise ValueError("production mode refuses: " + "; ".join(problems))
        return self

    @model_validator(mode="after")
    def _check_smtp(self) -> Self:
        if self.smtp_host and not self.smtp_from:
            raise ValueError(
                "PYTAKE_SMTP_FROM is required with PYTAKE_SMTP_HOST (the sender of PyTake's "
                "e-mails, such as PyTake <pytake@example.com>)"
            )
        if self.public_url and not self.public_url.startswith(("http://", "https://")):
            raise ValueError("PYTAKE_PUBLIC_URL must start with http:// or https://")
        if self.vapid_subject and not self.vapid_subject.startswith(("mailto:", "https://")):
            raise ValueError("PYTAKE_VAPID_SUBJECT must be a mailto: or https:// address")
        if self.vapid_private_key and not valid_vapid_private_key(self.vapid_private_key):
            raise ValueError(
                "PYTAKE_VAPID_PRIVATE_KEY must be a raw P-256 private key in base64url (43 "
                "characters, as `npx web-push generate-vapid-keys` prints it)"
            )
        return self

    @model_validator(mode="after")
    def _check_secret(self) -> Self:
        if self.secret_key is not None and len(self.secret_key) < MIN_SECRET_KEY_LENGTH:
            raise ValueError(
                f"PYTAKE_SECRET_KEY must have at least {MIN_SECRET_KEY_LENGTH} characters"
            )
        return self

    @property
    def is_production(self) -> bool:
        return self.env is Environment.PRODUCTION

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'pytake.db').resolve()}"

    @property
    def graphiql_enabled(self) -> bool:
        return self.graphiql if self.graphiql is not None else not self.is_production

    @property
    def introspection_enabled(self) -> bool:
        if self.introspection is not None:
            return self.introspection
        return not self.is_production or self.graphiql_enabled

    @property
    def trial_mode_enabled(self) -> bool:
        return self.trial_mode if self.trial_mode is not None else not self.is_production

    @property
    def access_token_lifetime(self) -> timedelta:
        return timedelta(minutes=self.access_token_minutes)

    @property
    def event_retention(self) -> timedelta:
        return timedelta(hours=self.event_retention_hours)

    def with_secret_key(self) -> Settings:
        """The embedded default keeps a generated key in the data folder across restarts."""
        if self.secret_key:
            return self
        key_file = self.data_dir / "secret_key"
        if key_file.exists():
            key = key_file.read_text().strip()
        else:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            key = secrets.token_hex(32)
            key_file.touch(mode=0o600)
            key_file.write_text(key + "\n")
        return self.model_copy(update={"secret_key": key})

    @property
    def required_secret_key(self) -> str:
        if not self.secret_key:
            raise ConfigurationError("no secret key: call with_secret_key() first")
        return self.secret_key


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        lines = []
        for problem in error.errors():
            location = ".".join(str(part) for part in problem["loc"])
            variable = f"PYTAKE_{location.upper()}" if location else "configuration"
            message = problem["msg"].removeprefix("Value error, ")
            lines.append(f"  {variable}: {message}")
        raise ConfigurationError("invalid configuration:\n" + "\n".join(lines)) from error
