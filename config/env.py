"""Small helpers that read settings from the environment and fail loudly on bad values."""

import os
import secrets
from pathlib import Path

from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Environment variable {name} is required")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.strip().lower() in TRUE:
        return True
    if raw.strip().lower() in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of {sorted(TRUE | FALSE)}, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def local_secret(path: Path) -> str:
    """Return SECRET_KEY from the environment, else from an ignored local file made on first use."""
    if value := os.environ.get("SECRET_KEY"):
        return value
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def server_secret() -> str:
    """SECRET_KEY on a server: from the environment and strong (Django's own deploy rule), or no start.

    A server never falls back to a generated file: each machine would make its own, and sessions and
    password-reset links signed by one worker would be refused by the next.
    """
    value = os.environ.get("SECRET_KEY", "")
    if not value:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off the settings take the secret from the environment only: "
            "set SECRET_KEY (e.g. the output of `python -c 'import secrets; print(secrets.token_urlsafe(50))'`), "
            "or SMEDX_DEV=1 on a developer's machine."
        )
    if (
        len(value) < SECRET_KEY_MIN_LENGTH
        or len(set(value)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
        or value.startswith(SECRET_KEY_INSECURE_PREFIX)
    ):
        raise ImproperlyConfigured(
            f"SECRET_KEY is a placeholder or too weak: it needs at least {SECRET_KEY_MIN_LENGTH} characters, "
            f"{SECRET_KEY_MIN_UNIQUE_CHARACTERS} different ones, and no {SECRET_KEY_INSECURE_PREFIX!r} prefix."
        )
    return value


def server_list(name: str) -> list[str]:
    """A comma-separated list that a server must be given (host names): refused when missing or empty."""
    if values := env_list(name):
        return values
    raise ImproperlyConfigured(
        f"{name} is not set. With DEBUG off it comes from the environment only (comma-separated), "
        "or set SMEDX_DEV=1 on a developer's machine."
    )


def media_storage(kind: str) -> dict:
    """STORAGES["default"], where uploads go: this machine's MEDIA_ROOT, or an S3-compatible bucket.

    Several web servers share one bucket (django-storages, `uv sync --extra s3`); downloads still pass
    through `smedx.core.uploads.download` after the access check, so the bucket stays private.
    """
    if kind == "local":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        raise ImproperlyConfigured(f"MEDIA_STORAGE must be 'local' or 's3', not {kind!r}")
    options = {
        "bucket_name": env_str("S3_BUCKET"),
        "location": env_str("S3_PREFIX", "media"),
        "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("S3_REGION") or None,
        "addressing_style": os.environ.get("S3_ADDRESSING_STYLE") or None,
        # Without keys boto3 looks for its own (AWS_* variables, the instance's role).
        "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
        "default_acl": None,  # the bucket's own policy: private
        "querystring_auth": True,
        "file_overwrite": False,
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
