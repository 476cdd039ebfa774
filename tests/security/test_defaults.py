"""Safe defaults: no known secret key by accident; no demo data in production."""

import pytest

from config import DevelopmentConfig, config_from_env
from jetaa.cli import demo_data


def test_an_unset_environment_needs_a_secret_key(monkeypatch):
    monkeypatch.delenv("JETAA_ENV", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="JETAA_ENV=development"):
        config_from_env()
    monkeypatch.setenv("SECRET_KEY", "s3cret")
    assert config_from_env() is DevelopmentConfig


def test_development_chosen_explicitly_starts_without_one(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("JETAA_ENV", "development")
    assert config_from_env() is DevelopmentConfig
    monkeypatch.setenv("JETAA_ENV", "prod")
    with pytest.raises(RuntimeError, match="must be development or production"):
        config_from_env()


def test_make_run_chooses_development():
    from pathlib import Path

    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    assert "export JETAA_ENV ?= development" in makefile


def test_demo_data_refuses_production(app, monkeypatch):
    monkeypatch.setitem(app.config, "ENV_NAME", "production")
    result = app.test_cli_runner().invoke(demo_data, ["--members", "10"])
    assert result.exit_code != 0
    assert "does not run in production" in result.output
