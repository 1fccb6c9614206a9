#!/usr/bin/env bash
# Time `manage.py seed_demo` on an empty database and print its figures.
#
#   bench/seed_demo.sh [MESSAGES]          # SQLite in a temporary directory
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhitong_bench_seed \
#       bench/seed_demo.sh [MESSAGES]      # PostgreSQL: the database is
#                                          # created first and dropped after;
#                                          # an existing one is left alone
#
# MESSAGES defaults to 1,000,000. Prints elapsed seconds, rows per second
# (messages + timeline events) and the peak resident memory of the command.
set -euo pipefail
export PGOPTIONS="--client-min-messages=warning"

cd "$(dirname "$0")/.."
messages="${1:-1000000}"
python=".venv/bin/python"
export DJANGO_SETTINGS_MODULE=config.settings.base
workdir="$(mktemp -d)"
database_name=""
created_database=""

cleanup() {
    if [[ -n "$database_name" && -n "$created_database" ]]; then
        dropdb --if-exists "${pg_args[@]}" "$database_name" || true
    fi
    rm -rf "$workdir"
}
trap cleanup EXIT

if [[ -n "${DATABASE_URL:-}" ]]; then
    # postgres://user@host:port/name → createdb/dropdb arguments.
    read -r pg_user pg_host pg_port database_name < <(
        "$python" - <<'EOF'
import os
from urllib.parse import urlsplit

url = urlsplit(os.environ["DATABASE_URL"])
print(url.username or "postgres", url.hostname or "127.0.0.1", url.port or 5432,
      url.path.lstrip("/"))
EOF
    )
    pg_args=(-U "$pg_user" -h "$pg_host" -p "$pg_port")
    # Never drop a database this script did not create: it may be in use.
    if ! createdb "${pg_args[@]}" "$database_name"; then
        echo "Database $database_name exists; choose another name in DATABASE_URL." >&2
        exit 1
    fi
    created_database=1
    backend="PostgreSQL $(psql "${pg_args[@]}" -d "$database_name" -Atc 'show server_version')"
else
    export SQLITE_PATH="$workdir/bench.sqlite3"
    backend="SQLite $("$python" -c 'import sqlite3; print(sqlite3.sqlite_version)')"
fi

echo "seed_demo --messages $messages on $backend"
"$python" manage.py migrate --verbosity 0
# The timed run is bounded so the benchmark always ends by itself; it stays
# in the foreground process group so Ctrl-C stops it too.
PYTHONUNBUFFERED=1 timeout --foreground 3600 \
    /usr/bin/time -v -o "$workdir/time.txt" \
    "$python" manage.py seed_demo --password x --messages "$messages" \
    | grep --line-buffered -E "messages, [0-9]+ s$" | tee "$workdir/progress.txt"

rows="$(
    "$python" -c '
import django
django.setup()
from board.models import Message, MessageEvent
print(Message.objects.count(), MessageEvent.objects.count())
'
)"
read -r message_rows event_rows <<<"$rows"
wall="$(grep "Elapsed (wall clock)" "$workdir/time.txt" | awk '{print $NF}')"
seconds="$(awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }' <<<"$wall")"
seeding="$(tail -n 1 "$workdir/progress.txt" | awk '{print $(NF-1)}')"
peak_kb="$(grep "Maximum resident set size" "$workdir/time.txt" | awk '{print $NF}')"

awk -v s="$seconds" -v g="$seeding" -v m="$message_rows" -v e="$event_rows" \
    -v kb="$peak_kb" 'BEGIN {
    printf "elapsed:       %.1f s (of which writing messages: %d s)\n", s, g
    printf "rows:          %d messages + %d events = %d\n", m, e, m + e
    printf "rows/second:   %.0f (messages/second: %.0f)\n", (m + e) / s, m / s
    printf "peak RSS:      %.0f MiB\n", kb / 1024
}'
