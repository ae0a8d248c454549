"""The database roles of production (deploy/db-roles.sql), exercised on the test cluster: the
owner role runs every migration, the application role — which does not own the tables — can
append to the audit log and read it, but can neither change, delete nor truncate it, nor switch
its triggers off; the owner itself is refused UPDATE, DELETE and TRUNCATE by the triggers."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SQL = ROOT / "deploy" / "db-roles.sql"

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL roles")


def _conninfo(user: str, dbname: str) -> str:
    s = connection.settings_dict
    return f"host={s['HOST']} port={s['PORT']} user={user} dbname={dbname}"


def _url(user: str, dbname: str) -> str:
    s = connection.settings_dict
    return f"postgres://{user}@{s['HOST']}:{s['PORT']}/{dbname}"


def _manage(user, dbname, *args, code: str | None = None):
    env = {
        **os.environ,
        "DATABASE_URL": _url(user, dbname),
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "zhifa.settings",
        "ZHIFA_AUDIT_ANCHOR_PATH": os.devnull,
    }
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "django", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture(scope="module")
def roles():
    suffix = secrets.token_hex(3)
    owner, app, dbname = f"zhifa_owner_{suffix}", f"zhifa_app_{suffix}", f"zhifa_roles_{suffix}"
    admin = connection.settings_dict["USER"]
    with psycopg.connect(_conninfo(admin, "postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{owner}" LOGIN')
        conn.execute(f'CREATE ROLE "{app}" LOGIN')
        conn.execute(f'CREATE DATABASE "{dbname}" OWNER "{owner}"')
    try:
        migrated = _manage(owner, dbname, "migrate", "--noinput", "-v0")
        assert migrated.returncode == 0, migrated.stderr[-3000:]
        psql = Path(os.environ.get("ZHIFA_TEST_PG_BIN", "/usr/lib/postgresql/15/bin")) / "psql"
        s = connection.settings_dict
        granted = subprocess.run(
            [
                str(psql),
                "-v",
                "ON_ERROR_STOP=1",
                "-v",
                f"app={app}",
                "-h",
                s["HOST"],
                "-p",
                str(s["PORT"]),
                "-U",
                owner,
                "-d",
                dbname,
                "-f",
                str(SQL),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert granted.returncode == 0, granted.stderr
        yield owner, app, dbname
    finally:
        with psycopg.connect(_conninfo(admin, "postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            conn.execute(f'DROP ROLE IF EXISTS "{app}"')
            conn.execute(f'DROP ROLE IF EXISTS "{owner}"')


APPEND = """
import django; django.setup()
from zhifa.core import audit
audit.record(None, "test.append", object_type="test", object_id="1", after={"n": 1})
audit.record(None, "test.append", object_type="test", object_id="2", after={"n": 2})
print(audit.verify_chain())
"""


def test_application_role_appends_and_reads_the_audit_log(roles):
    owner, app, dbname = roles
    result = _manage(app, dbname, code=APPEND)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "(2, None)" in result.stdout
    assert _manage(app, dbname, "verify_audit").returncode == 0


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_auditevent SET action = 'x'",
        "DELETE FROM core_auditevent",
        "TRUNCATE core_auditevent",
        "ALTER TABLE core_auditevent DISABLE TRIGGER ALL",
        "DROP TRIGGER core_auditevent_append_only ON core_auditevent",
        "INSERT INTO django_migrations (app, name, applied) VALUES ('x', 'y', now())",
    ],
)
def test_application_role_cannot_rewrite_the_audit_log(roles, statement):
    owner, app, dbname = roles
    with psycopg.connect(_conninfo(app, dbname)) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(statement)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_auditevent SET action = 'x'",
        "DELETE FROM core_auditevent",
        "TRUNCATE core_auditevent",
    ],
)
def test_even_the_owner_is_refused_by_the_triggers(roles, statement):
    owner, app, dbname = roles
    with (
        psycopg.connect(_conninfo(owner, dbname)) as conn,
        pytest.raises(psycopg.errors.RaiseException, match="append-only"),
    ):
        conn.execute(statement)


def test_application_role_is_not_the_owner_nor_a_superuser(roles):
    owner, app, dbname = roles
    with psycopg.connect(_conninfo(app, dbname)) as conn:
        row = conn.execute(
            "SELECT tableowner, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) "
            "FROM pg_tables WHERE tablename = 'core_auditevent'"
        ).fetchone()
    assert row == (owner, False)
