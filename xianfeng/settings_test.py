"""Fast settings for the test suite: the same as production but for hashing, mail and static storage."""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("HTTPS", "0")

from xianfeng.settings import *  # noqa: F403
from xianfeng.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]
AXES_ENABLED = True
# Tests never run collectstatic; files are found through the finders instead.
STATIC_ROOT = None  # type: ignore[assignment]
WHITENOISE_USE_FINDERS = True
# Uploaded evidence and other media go to a throw-away folder, never the real MEDIA_ROOT.
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="xianfeng-test-media-"))
