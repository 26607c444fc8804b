#!/usr/bin/env bash
# Backs up or restores Nanolearning's database while the app runs (docs/operations.md, "Backup and restore").
#
#   scripts/backup.sh sqlite     backup  App_Data/nanolearning.db  /backup/nanolearning-$(date +%F).db
#   scripts/backup.sh sqlite     restore /backup/nanolearning-2026-12-03.db  App_Data/nanolearning.db   (app stopped)
#   scripts/backup.sh postgresql backup  "host=db dbname=nanolearning user=nanolearning"  /backup/nanolearning-$(date +%F).dump
#   scripts/backup.sh postgresql restore /backup/nanolearning-2026-12-03.dump  "host=db dbname=nanolearning_restored user=…"
#
# SQLite: VACUUM INTO writes a consistent, compacted copy from one read transaction, so the app keeps writing meanwhile
# (WAL mode); the copy is checked with PRAGMA integrity_check before it counts. A restore copies the file back with the
# app stopped and removes the old -wal and -shm files, which belong to the replaced database.
# PostgreSQL: pg_dump's custom format (-Fc), one consistent snapshot, the Hangfire schema included; pg_restore into an
# empty database (create it first), with --no-owner so it restores under whichever role the target connection uses.
# The Data Protection certificate (DataProtection:CertificatePath) is not in the database: back it up apart, elsewhere.
set -euo pipefail

usage() { sed -n '2,7p' "$0" >&2; exit 2; }
[ $# -eq 4 ] || usage
provider=$1 action=$2 from=$3 to=$4

case "$provider/$action" in
sqlite/backup)
    [ -f "$from" ] || { echo "no SQLite file $from" >&2; exit 1; }
    [ ! -e "$to" ] || { echo "$to exists; VACUUM INTO needs a new file" >&2; exit 1; }
    sqlite3 "$from" "VACUUM INTO '${to//\'/\'\'}'"
    result=$(sqlite3 "$to" "PRAGMA integrity_check")
    [ "$result" = ok ] || { echo "the copy $to failed its integrity check: $result" >&2; exit 1; }
    echo "backed up $from to $to ($(stat -c %s "$to") bytes, integrity ok)"
    ;;
sqlite/restore)
    [ "$(sqlite3 "$from" "PRAGMA integrity_check")" = ok ] || { echo "$from is not a sound SQLite database" >&2; exit 1; }
    rm -f "$to-wal" "$to-shm"
    cp "$from" "$to.restoring" && mv "$to.restoring" "$to"
    echo "restored $to from $from; start the app"
    ;;
postgresql/backup)
    pg_dump --format=custom --file="$to" --dbname="$from"
    pg_restore --list "$to" >/dev/null
    echo "backed up to $to ($(stat -c %s "$to") bytes)"
    ;;
postgresql/restore)
    pg_restore --no-owner --exit-on-error --dbname="$to" "$from"
    echo "restored $from into $to"
    ;;
*)
    usage
    ;;
esac
