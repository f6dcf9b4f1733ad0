#!/usr/bin/env bash
# Trial-store throughput: claims + completions per second of no-op trials with 16 workers (threads, one connection
# each), against an SQLite file and a PostgreSQL server started here (initdb in a temporary folder, Unix socket
# only, stopped at the end), measured in the same run on the same machine; then, when the reference venv has
# optuna and psycopg, Optuna's RDB storage on the same server (scripts/bench/optuna_rdb.py).
#   scripts/bench/store_throughput.sh [TRIALS] [WORKERS]     (release build: .build-rel-store/release/lyra)
set -euo pipefail
TRIALS=${1:-2000}
WORKERS=${2:-16}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LYRA=${LYRA:-$ROOT/.build-rel-store/release/lyra}
[ -x "$LYRA" ] || (cd "$ROOT" && swift build -c release --scratch-path .build-rel-store --product lyra >/dev/null)
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$BIN/initdb" ] || { echo "PostgreSQL server binaries not found (install postgresql: scripts/setup)" >&2; exit 1; }
DIR=$(mktemp -d /tmp/lyra-bench-pg.XXXXXX)
AS=()
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$DIR"; AS=(setpriv --reuid=postgres --regid=postgres --clear-groups --); fi
cleanup() { (cd "$DIR" && "${AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1) || true; rm -rf "$DIR"; }
trap cleanup EXIT
(cd "$DIR" && "${AS[@]}" "$BIN/initdb" -D "$DIR/data" -U lyra --auth=trust -E UTF8 --locale=C >/dev/null)
# Durable settings as a real server keeps them (fsync on, synchronous_commit on): the store's guarantees need them.
(cd "$DIR" && "${AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -o "-k $DIR -c listen_addresses='' -c max_connections=100" -l "$DIR/log" -w start >/dev/null)
URL="postgresql://lyra@/postgres?host=$DIR"

echo "CPU: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p'), $(nproc) cores; $TRIALS no-op trials, $WORKERS workers"
SQL=$(mktemp -d /tmp/lyra-bench-sqlite.XXXXXX)
echo "SQLite (WAL, synchronous=FULL):  $("$LYRA" _store-bench --store "$SQL/trials.db" --workers "$WORKERS" --trials "$TRIALS")"
rm -rf "$SQL"
echo "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') (Unix socket): $("$LYRA" _store-bench --store "$URL&task=bench$$" --workers "$WORKERS" --trials "$TRIALS")"
PY=/work/.venv-ref/bin/python
# SQLAlchemy's driver: psycopg (3) or psycopg2, whichever the venv has (pip install optuna psycopg2-binary).
DRIVER=
if [ -x "$PY" ] && "$PY" -c 'import optuna, psycopg' 2>/dev/null; then DRIVER=psycopg
elif [ -x "$PY" ] && "$PY" -c 'import optuna, psycopg2' 2>/dev/null; then DRIVER=psycopg2; fi
if [ -n "$DRIVER" ]; then
  echo "Optuna $("$PY" -c 'import optuna; print(optuna.__version__)') RDB storage ($DRIVER): $("$PY" "$ROOT/scripts/bench/optuna_rdb.py" "postgresql+$DRIVER://lyra@/postgres?host=$DIR" "$TRIALS" "$WORKERS")"
else
  echo "Optuna RDB storage: skipped (no optuna + psycopg or psycopg2 in /work/.venv-ref)"
fi
