"""Settings: production refuses to start without its secrets."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config import DevelopmentConfig, ProductionConfig
from jetaa import create_app

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("env", "missing"), [
    ({}, "SECRET_KEY, DATABASE_URL"),
    ({"SECRET_KEY": "s3cret"}, "DATABASE_URL"),
    ({"DATABASE_URL": "postgresql+psycopg://db/jetaa"}, "SECRET_KEY"),
    ({"SECRET_KEY": "", "DATABASE_URL": ""}, "SECRET_KEY, DATABASE_URL"),
    ({"SECRET_KEY": "s3cret", "DATABASE_URL": "sqlite://", "PUBLIC_URL": ""}, "PUBLIC_URL"),
])
def test_production_refuses_to_start_without_secrets(monkeypatch, env, missing):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("PUBLIC_URL", "https://connect.jetaa.example")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(RuntimeError, match=f"needs {missing} in the environment"):
        ProductionConfig()
    monkeypatch.setenv("JETAA_ENV", "production")
    with pytest.raises(RuntimeError):
        create_app()


def test_production_reads_its_secrets_and_secures_cookies(monkeypatch):
    monkeypatch.setenv("PUBLIC_URL", "https://connect.jetaa.example")
    monkeypatch.setenv("SECRET_KEY", "s3cret")
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    config = ProductionConfig()
    assert config.SECRET_KEY == "s3cret"
    assert config.SQLALCHEMY_DATABASE_URI == "sqlite://"
    assert config.SESSION_COOKIE_SECURE
    assert config.REMEMBER_COOKIE_SECURE
    assert config.SESSION_COOKIE_HTTPONLY
    assert config.SESSION_COOKIE_SAMESITE == "Lax"


def test_development_defaults_to_sqlite_under_instance():
    """A newcomer needs nothing installed: without DATABASE_URL, a file under instance/."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    code = "import config; print(config.DevelopmentConfig.SQLALCHEMY_DATABASE_URI)"
    output = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True,  # noqa: S603
                            capture_output=True, text=True).stdout.strip()
    assert output == f"sqlite:///{ROOT / 'instance' / 'jetaa.sqlite3'}"
    assert not getattr(DevelopmentConfig, "SESSION_COOKIE_SECURE", False)


def test_rate_limit_storage_is_memory_without_redis():
    config = DevelopmentConfig()
    config.REDIS_URL = None
    assert config.RATELIMIT_STORAGE_URI == "memory://"
    config.REDIS_URL = "redis://127.0.0.1:6379/9"
    assert config.RATELIMIT_STORAGE_URI == "redis://127.0.0.1:6379/9"


def test_production_refuses_a_public_url_that_is_not_an_address(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s3cret")
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("PUBLIC_URL", "connect.jetaa.example")
    with pytest.raises(RuntimeError, match="PUBLIC_URL must be an address"):
        ProductionConfig()


def test_production_trusts_only_its_public_host(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s3cret")
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("PUBLIC_URL", "https://connect.jetaa.example")
    assert ProductionConfig().TRUSTED_HOSTS == ["connect.jetaa.example"]
