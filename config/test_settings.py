"""Settings for the test suite: the real settings with fast hashing and tasks run inline."""

import tempfile

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="smedx-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Unit tests assert English messages; the browser tests ask for Chinese through Accept-Language
# (zh-CN), and smedx/core/tests/test_translations.py checks the zh-hans default.
LANGUAGE_CODE = "en"
