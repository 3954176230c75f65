"""A minimal Django REST framework + SimpleJWT API for Tessera's interop tests (never deployed).

Rotation and the token blacklist are on (TESSERA_INTEROP_ROTATE=0 turns rotation off, SimpleJWT's
default), access tokens live 10 seconds and refresh tokens a day (TESSERA_INTEROP_REFRESH_SECONDS), the database is the sqlite file named by TESSERA_INTEROP_DB
(a temp file the test creates and migrates).
"""
import os
from datetime import timedelta

SECRET_KEY = "interop-tests-only-not-a-secret-0123456789abcdef0123456789"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
]
# CommonMiddleware gives the 301 to the path with its trailing slash (APPEND_SLASH), as deployments do.
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
ROOT_URLCONF = "interop_project.urls"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("TESSERA_INTEROP_DB", ":memory:"),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework_simplejwt.authentication.JWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(seconds=10),
    "REFRESH_TOKEN_LIFETIME": timedelta(seconds=int(os.environ.get("TESSERA_INTEROP_REFRESH_SECONDS", "86400"))),
    "ROTATE_REFRESH_TOKENS": os.environ.get("TESSERA_INTEROP_ROTATE", "1") == "1",
    "BLACKLIST_AFTER_ROTATION": os.environ.get("TESSERA_INTEROP_ROTATE", "1") == "1",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": True,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["stderr"], "level": "ERROR"},
}
