-- PostgreSQL roles for zhifa: the application does not own its tables.
--
--   zhifa_owner  owns the schema and every table; migrations run as this role
--                (DATABASE_URL=postgres://zhifa_owner@…  manage.py migrate).
--   zhifa_app    the role the web processes and Celery workers connect as: reads and writes
--                rows, may only INSERT into the audit log (no UPDATE, DELETE or TRUNCATE), and,
--                not being the owner, cannot drop or disable the audit log's triggers.
--
-- Neither role is a superuser. Run once as a superuser to create the roles (psql -v app_password=…
-- -v owner_password=… -f deploy/db-roles.sql), then after EVERY migration run the GRANT part
-- again as the owner (deploy/systemd/zhifa-migrate.service does), since new tables start with
-- no grants. Both parts are idempotent.

\if :{?create_roles}
CREATE ROLE zhifa_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE zhifa_app LOGIN PASSWORD :'app_password';
CREATE DATABASE zhifa OWNER zhifa_owner;
\quit
\endif

-- Grants (as zhifa_owner, connected to the zhifa database). :app names the application role.
\if :{?app}
\else
\set app zhifa_app
\endif
GRANT CONNECT ON DATABASE :"DBNAME" TO :"app";
GRANT USAGE ON SCHEMA public TO :"app";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app";
-- The audit log: append and read only.
REVOKE UPDATE, DELETE, TRUNCATE ON core_auditevent FROM :"app";
-- django_migrations: the application reads it (readiness check), never writes it.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON django_migrations FROM :"app";
