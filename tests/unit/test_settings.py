"""Configuration: defaults, and production refusing what is only fit for a laptop."""

from __future__ import annotations

from pathlib import Path

import pytest

from web.settings import ConfigurationError, load_settings


@pytest.fixture(autouse=True)
def no_pytake_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("PYTAKE_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def test_the_embedded_default_is_sqlite_in_the_data_folder_and_memory_broadcast() -> None:
    settings = load_settings()

    assert settings.resolved_database_url.startswith("sqlite+aiosqlite:///")
    assert settings.resolved_database_url.endswith("data/pytake.db")
    assert settings.broadcast_url == "memory://"
    assert settings.graphiql_enabled
    assert settings.introspection_enabled


def test_the_generated_secret_key_is_kept_and_reused(tmp_path: Path) -> None:
    first = load_settings().with_secret_key()
    second = load_settings().with_secret_key()

    assert first.secret_key == second.secret_key
    assert len(first.required_secret_key) >= 32
    assert (tmp_path / "data" / "secret_key").stat().st_mode & 0o777 == 0o600


def test_production_refuses_embedded_defaults_and_a_missing_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PYTAKE_ENV", "production")

    with pytest.raises(ConfigurationError) as refused:
        load_settings()

    message = str(refused.value)
    assert "PYTAKE_DATABASE_URL must point at PostgreSQL" in message
    assert "PYTAKE_BROADCAST_URL must point at Redis" in message
    assert "PYTAKE_SECRET_KEY is required" in message


def test_production_with_real_services_hides_graphiql_and_introspection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PYTAKE_ENV", "production")
    monkeypatch.setenv("PYTAKE_DATABASE_URL", "postgresql+asyncpg://db/pytake")
    monkeypatch.setenv("PYTAKE_BROADCAST_URL", "redis://cache:6379/0")
    monkeypatch.setenv("PYTAKE_SECRET_KEY", "k" * 48)

    settings = load_settings()

    assert not settings.graphiql_enabled
    assert not settings.introspection_enabled


def test_graphiql_can_be_asked_for_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTAKE_ENV", "production")
    monkeypatch.setenv("PYTAKE_DATABASE_URL", "postgresql+asyncpg://db/pytake")
    monkeypatch.setenv("PYTAKE_BROADCAST_URL", "redis://cache:6379/0")
    monkeypatch.setenv("PYTAKE_SECRET_KEY", "k" * 48)
    monkeypatch.setenv("PYTAKE_GRAPHIQL", "true")

    assert load_settings().graphiql_enabled


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("PYTAKE_PORT", "70000", "PYTAKE_PORT: Input should be less than or equal to 65535"),
        ("PYTAKE_SECRET_KEY", "short", "PYTAKE_SECRET_KEY must have at least 32 characters"),
        ("PYTAKE_ENV", "staging", "PYTAKE_ENV: Input should be 'development' or 'production'"),
    ],
)
def test_invalid_values_are_named_with_their_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, message: str
) -> None:
    monkeypatch.setenv(variable, value)

    with pytest.raises(ConfigurationError) as refused:
        load_settings()

    assert message in str(refused.value)


def test_every_setting_is_documented_in_the_configuration_guide() -> None:
    from web.settings import Settings

    guide = (Path(__file__).resolve().parents[2] / "docs" / "configuration.md").read_text()

    missing = [
        f"PYTAKE_{name.upper()}"
        for name in Settings.model_fields
        if f"`PYTAKE_{name.upper()}`" not in guide
    ]
    assert missing == []


def test_a_mail_server_needs_a_sender_and_links_an_absolute_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PYTAKE_SMTP_HOST", "smtp.example.com")
    with pytest.raises(ConfigurationError) as no_sender:
        load_settings()
    monkeypatch.setenv("PYTAKE_SMTP_FROM", "PyTake <pytake@example.com>")
    monkeypatch.setenv("PYTAKE_PUBLIC_URL", "pytake.example.com")
    with pytest.raises(ConfigurationError) as relative:
        load_settings()

    assert "PYTAKE_SMTP_FROM is required with PYTAKE_SMTP_HOST" in str(no_sender.value)
    assert "PYTAKE_PUBLIC_URL must start with http:// or https://" in str(relative.value)
