"""On PostgreSQL the audit log also refuses TRUNCATE (which skips row and statement triggers of
UPDATE/DELETE). Only a superuser passes — a superuser can switch any trigger off anyway, and the
test runner's flush between browser tests needs it. In production neither the owner role that
runs migrations nor the application's role is a superuser (deploy/db-roles.sql)."""

from django.db import migrations

FORBID = """
CREATE OR REPLACE FUNCTION core_auditevent_no_truncate() RETURNS trigger AS $$
BEGIN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'core_auditevent is append-only: TRUNCATE refused (审计日志只能追加)';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditevent_no_truncate
    BEFORE TRUNCATE ON core_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION core_auditevent_no_truncate();
"""
ALLOW = """
DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;
DROP FUNCTION IF EXISTS core_auditevent_no_truncate();
"""


def forbid(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORBID)


def allow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only")]
    operations = [migrations.RunPython(forbid, allow)]
