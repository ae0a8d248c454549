#!/usr/bin/env bash
# Back up the database at DATABASE_URL with pg_dump, restore it into a FRESH PostgreSQL cluster
# (initdb on a free port, torn down afterwards), then check the restored copy: the audit hash
# chain verifies end to end (python -m django verify_audit) and the main tables hold as many rows
# as the source. Exit status 0 only when every check passes.
#
#   DATABASE_URL=postgres://user@host:port/db deploy/backup-restore-check.sh [dump-file]
#
# With a dump-file argument the dump is kept there (a real backup); otherwise it is temporary.
# As root the throwaway cluster runs as the `postgres` (or `zhifa-pg`) OS user, as ./dev does.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
[[ -x "$PY" ]] || PY=python3
: "${DATABASE_URL:?set DATABASE_URL to the database to back up}"
PG_BIN="${ZHIFA_TEST_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
[[ -x "$PG_BIN/initdb" ]] || { echo "PostgreSQL binaries not found (set ZHIFA_TEST_PG_BIN)" >&2; exit 2; }
TABLES="core_auditevent organizations_organization organizations_officer parties_party cases_case cases_caseevent
        dispatch_incident inspections_inspectionrecord"

WORK="$(mktemp -d /tmp/zhifa-restore.XXXXXX)"
RUN_AS=()
if [[ $EUID -eq 0 ]]; then
    PG_OS_USER=postgres
    id -u postgres >/dev/null 2>&1 || PG_OS_USER=zhifa-pg
    id -u "$PG_OS_USER" >/dev/null 2>&1 ||
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$PG_OS_USER"
    chown "$PG_OS_USER" "$WORK"
    RUN_AS=(runuser -u "$PG_OS_USER" --)
fi
as_pg() { (cd "$WORK" && "${RUN_AS[@]}" "$@"); }
cleanup() {
    set +e
    [[ -f "$WORK/data/postmaster.pid" ]] && as_pg "$PG_BIN/pg_ctl" -D "$WORK/data" -m immediate -w stop >/dev/null 2>&1
    rm -rf "$WORK"
}
trap cleanup EXIT

started=$SECONDS
DUMP="${1:-$WORK/zhifa.dump}"
echo "==> pg_dump (custom format) to $DUMP"
"$PG_BIN/pg_dump" --format=custom --no-owner --file="$DUMP" "$DATABASE_URL"
[[ -n "${RUN_AS[*]}" ]] && chmod a+r "$DUMP"
ls -l "$DUMP" | awk '{printf "    %.1f MB\n", $5 / 1048576}'

PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
echo "==> fresh cluster on 127.0.0.1:$PORT"
as_pg "$PG_BIN/initdb" -D "$WORK/data" -A trust -U postgres --encoding=UTF8 --locale=C.UTF-8 -N >"$WORK/initdb.log" 2>&1 ||
    as_pg "$PG_BIN/initdb" -D "$WORK/data" -A trust -U postgres --encoding=UTF8 --locale=C -N >"$WORK/initdb.log" 2>&1
printf "listen_addresses = '127.0.0.1'\nport = %s\nunix_socket_directories = '%s'\nfsync = off\n" "$PORT" "$WORK" |
    as_pg tee -a "$WORK/data/postgresql.conf" >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$WORK/data" -l "$WORK/postgres.log" -w -t 60 start >/dev/null
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres zhifa_restored
RESTORED="postgres://postgres@127.0.0.1:$PORT/zhifa_restored"

echo "==> pg_restore"
"$PG_BIN/pg_restore" --no-owner --exit-on-error --jobs=2 --dbname="$RESTORED" "$DUMP"

echo "==> verify the audit chain in the restored copy"
DATABASE_URL="$RESTORED" PYTHONPATH="$ROOT/src" DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-zhifa.settings}" \
    "$PY" -m django verify_audit

echo "==> row counts (source = restored)"
failed=0
for table in $TABLES; do
    source_rows="$("$PG_BIN/psql" "$DATABASE_URL" -Atc "SELECT count(*) FROM $table")"
    restored_rows="$("$PG_BIN/psql" "$RESTORED" -Atc "SELECT count(*) FROM $table")"
    mark=ok
    [[ "$source_rows" == "$restored_rows" ]] || { mark=DIFFERENT; failed=1; }
    printf '    %-34s %12s %12s  %s\n' "$table" "$source_rows" "$restored_rows" "$mark"
done
[[ $failed -eq 0 ]] || { echo "restore check FAILED: row counts differ" >&2; exit 1; }
echo "==> restore check passed in $((SECONDS - started))s"
