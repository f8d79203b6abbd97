"""Settings loading: the classes in ``config.py``, then ``FLASK_*`` variables, then overrides."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

import config as settings

ConfigSpec = str | type | dict[str, Any] | None


def load_config(app: Flask, config: ConfigSpec) -> None:
    """Load the settings class, then ``FLASK_*`` variables, then explicit overrides."""
    overrides: dict[str, Any] = {}
    if isinstance(config, dict):
        overrides = dict(config)
        config = overrides.pop("CONFIG", None)
    if config is None:
        config = settings.env("APP_CONFIG", "development")
    if isinstance(config, str):
        config = settings.CONFIGS[config]
    app.config.from_object(config)
    app.config.from_prefixed_env()
    app.config.update(overrides)
    if not app.config.get("SECRET_KEY"):
        if app.config["ENV_NAME"] == "production":
            raise RuntimeError("SECRET_KEY must be set in production")
        app.config["SECRET_KEY"] = settings.development_secret_key()


class DatabaseIdConverter(IntegerConverter):
    """``<int:...>`` in every URL: at most a 32-bit id, so a huge number is a 404, not a 500."""

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = 2**31 - 1,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
