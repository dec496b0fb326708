"""Superset settings for `make bi` (SUPERSET_CONFIG_PATH points here): local, offline, no telemetry.

State lives in SUPERSET_HOME (`warehouse/superset/`, git-ignored): the metadata database and the
secret key. The key comes from SUPERSET_SECRET_KEY, else it is generated once into
SUPERSET_HOME/secret_key.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

_HOME = Path(
    os.environ.get("SUPERSET_HOME") or Path(__file__).resolve().parents[1] / "warehouse" / "superset"
)
_HOME.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if os.environ.get("SUPERSET_SECRET_KEY"):
        return os.environ["SUPERSET_SECRET_KEY"]
    path = _HOME / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
SQLALCHEMY_DATABASE_URI = f"sqlite:///{_HOME / 'superset.db'}?check_same_thread=false"
DATA_DIR = str(_HOME)

# Offline and private: no usage statistics, no example data, no remote assets or tiles.
ENABLE_PROXY_FIX = False
FEATURE_FLAGS = {
    "DASHBOARD_RBAC": False,
    "ALERT_REPORTS": False,
    "THUMBNAILS": False,
    "ENABLE_TEMPLATE_PROCESSING": False,
}
# Superset's built frontend shows a Scarf usage pixel (an <img> from a remote host) in its menu; the
# Content Security Policy below lets the browser load nothing but this server's own resources, so it is
# blocked, as are map tiles and web fonts.
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {
    "content_security_policy": {
        "base-uri": ["'self'"],
        "default-src": ["'self'"],
        "img-src": ["'self'", "blob:", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": "'none'",
        "style-src": ["'self'", "'unsafe-inline'"],
        "font-src": ["'self'", "data:"],
        "script-src": ["'self'", "'strict-dynamic'"],
    },
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": False,
}
# No Mapbox key: the dashboards use only charts that draw offline (no deck.gl basemaps).
MAPBOX_API_KEY = ""
# No rate-limit backend: a local, single-user server.
RATELIMIT_ENABLED = False
RATELIMIT_STORAGE_URI = "memory://"
# Caches in process memory (no Redis).
CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 300}
DATA_CACHE_CONFIG = CACHE_CONFIG
FILTER_STATE_CACHE_CONFIG = CACHE_CONFIG
EXPLORE_FORM_DATA_CACHE_CONFIG = CACHE_CONFIG
# The session cookie is sent over plain http on 127.0.0.1.
SESSION_COOKIE_SECURE = False
SESSION_COOKIE_SAMESITE = "Lax"
WTF_CSRF_ENABLED = True
