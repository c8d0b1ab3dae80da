"""Settings for the test suite: the real settings with fast hashing and tasks run inline."""

import os
import tempfile

# The suite runs on a developer's machine or CI: a generated secret and localhost are fine
# (config/settings.py refuses both on a server). Set before the settings below are read.
os.environ.setdefault("SMEDX_DEV", "1")

from config.settings import *  # noqa: E402, F403

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
