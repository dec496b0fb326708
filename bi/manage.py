"""Superset for the warehouse, run with the Superset venv's Python (`.venv-bi/bin/python bi/manage.py ...`).

    setup   initialise the metadata DB (warehouse/superset/), create the local admin, register the
            published warehouse read-only and import the dashboards of bi/dashboards/ (idempotent)
    serve   start Superset on 127.0.0.1:8088 (gunicorn, in the foreground)
    bundle  write the dashboards' import zip (bi/dashboards/ with the warehouse's absolute path)
    export  replace bi/dashboards/ by Superset's export of its dashboards (after editing them in the UI),
            the warehouse's path taken out again

Environment: WAREHOUSE_PATH [warehouse/events.duckdb], SUPERSET_HOME [warehouse/superset],
SUPERSET_PORT [8088], SUPERSET_ADMIN_PASSWORD [admin] (a local, single-user server on 127.0.0.1).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BI = REPO / "bi"
BUNDLE = BI / "dashboards"
URI_PLACEHOLDER = "__WAREHOUSE_URI__"
HOST = "127.0.0.1"


def settings() -> dict[str, str]:
    warehouse = Path(os.environ.get("WAREHOUSE_PATH") or REPO / "warehouse" / "events.duckdb").resolve()
    home = Path(os.environ.get("SUPERSET_HOME") or REPO / "warehouse" / "superset").resolve()
    return {
        "warehouse": str(warehouse),
        "home": str(home),
        "port": os.environ.get("SUPERSET_PORT") or "8088",
        "password": os.environ.get("SUPERSET_ADMIN_PASSWORD") or "admin",
    }


def environment(cfg: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        SUPERSET_CONFIG_PATH=str(BI / "superset_config.py"),
        SUPERSET_HOME=cfg["home"],
        FLASK_APP="superset.app:create_app()",
        # No telemetry from Superset's stack or its libraries.
        SCARF_ANALYTICS="false",
        DO_NOT_TRACK="1",
        SUPERSET_LOAD_EXAMPLES="no",
    )
    return env


def warehouse_uri(warehouse: str) -> str:
    """duckdb-engine URL of the published file, opened read-only (DuckDB config via the query string)."""
    return f"duckdb:///{warehouse}?access_mode=read_only"


def bundle(cfg: dict[str, str]) -> Path:
    """Zip bi/dashboards/ as Superset's export bundle, with the warehouse's URL in the database file."""
    Path(cfg["home"]).mkdir(parents=True, exist_ok=True)
    out = Path(cfg["home"]) / "dashboards.zip"
    root = "newsevents_dashboards"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(BUNDLE.rglob("*.yaml")):
            text = path.read_text(encoding="utf-8").replace(URI_PLACEHOLDER, warehouse_uri(cfg["warehouse"]))
            zf.writestr(f"{root}/{path.relative_to(BUNDLE).as_posix()}", text)
    return out


def export(cfg: dict[str, str]) -> None:
    """Superset's dashboards (with their charts, datasets and database) as the YAML bundle in bi/dashboards/."""
    import yaml

    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "export.zip"
        superset(cfg, "export-dashboards", "-f", str(archive))
        files = {}
        with zipfile.ZipFile(archive) as zf:
            for name in zf.namelist():
                relative = name.split("/", 1)[1]
                text = zf.read(name).decode("utf-8")
                if relative.startswith("databases/"):
                    config = yaml.safe_load(text)
                    text = text.replace(config["sqlalchemy_uri"], URI_PLACEHOLDER)
                files[relative] = text
    shutil.rmtree(BUNDLE)
    for relative, text in files.items():
        (BUNDLE / relative).parent.mkdir(parents=True, exist_ok=True)
        (BUNDLE / relative).write_text(text, encoding="utf-8")
    print(f"{len(files)} files in {BUNDLE}")


def superset(cfg: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "superset"
    return subprocess.run([str(exe), *args], env=environment(cfg), check=check, text=True)


def fingerprint(cfg: dict[str, str]) -> str:
    """What setup depends on: Superset's version, the config, the bundle and the warehouse's path."""
    from importlib.metadata import version

    digest = hashlib.sha256(version("apache-superset").encode())
    for path in [BI / "superset_config.py", *sorted(BUNDLE.rglob("*.yaml"))]:
        digest.update(path.read_bytes())
    digest.update(cfg["warehouse"].encode())
    return digest.hexdigest()


def in_app(cfg: dict[str, str], *commands: list[str]) -> None:
    """Run `superset` CLI commands in this process, on one app (one start-up instead of one per command)."""
    os.environ.update(environment(cfg))
    from flask.cli import ScriptInfo
    from superset.app import create_app
    from superset.cli.main import superset as cli

    app = create_app()
    info = ScriptInfo(create_app=lambda: app)
    for args in commands:
        try:
            cli.main(args, standalone_mode=False, obj=info)
        except SystemExit as exit_:
            if exit_.code not in (0, None):
                sys.exit(f"superset {' '.join(args[:2])} failed ({exit_.code})")


def setup(cfg: dict[str, str]) -> None:
    """Idempotent; skipped when nothing it depends on changed since the last setup (a stamp in SUPERSET_HOME).
    Objects already in Superset are kept (charts edited in the UI survive); `make bi-reset` starts afresh."""
    if not Path(cfg["warehouse"]).exists():
        sys.exit(f"no warehouse at {cfg['warehouse']}: run `make run` first")
    stamp = Path(cfg["home"]) / "setup.stamp"
    if stamp.exists() and stamp.read_text() == fingerprint(cfg):
        print(f"Superset already set up in {cfg['home']}")
        return
    admin = [
        "--username",
        "admin",
        "--firstname",
        "Local",
        "--lastname",
        "Admin",
        "--email",
        "admin@localhost",
    ]
    in_app(
        cfg,
        ["db", "upgrade"],
        # create-admin leaves an existing user as it is (and says so).
        ["fab", "create-admin", *admin, "--password", cfg["password"]],
        ["init"],
        ["import-dashboards", "-p", str(bundle(cfg)), "-u", "admin"],
    )
    stamp.write_text(fingerprint(cfg))


def serve(cfg: dict[str, str]) -> None:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    print(
        f"Superset on http://{HOST}:{cfg['port']}/ (user admin, password {cfg['password']!r}); Ctrl-C stops it"
    )
    args = [
        str(gunicorn),
        "--bind",
        f"{HOST}:{cfg['port']}",
        "--workers",
        "1",
        "--threads",
        "8",
        "--worker-class",
        "gthread",
        "--timeout",
        "120",
        "--limit-request-line",
        "0",
        "--no-control-socket",  # none in $HOME, shared by every gunicorn of the user
        "--limit-request-field_size",
        "0",
        "superset.app:create_app()",
    ]
    os.execve(args[0], args, environment(cfg))


def main(argv: list[str]) -> None:
    cfg = settings()
    command = argv[0] if argv else ""
    if command == "setup":
        setup(cfg)
    elif command == "serve":
        serve(cfg)
    elif command == "bundle":
        print(bundle(cfg))
    elif command == "export":
        export(cfg)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
