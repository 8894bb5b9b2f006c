#!/usr/bin/env bash
# Restore a backup made by backup.sh into an EMPTY database and documents storage, then check that they
# belong together (docs/deployment.md, "Backups").
#
#   DATABASE_URL=postgres://…/careerbreak_restored DOCUMENTS_ROOT=/srv/careerbreak/media \
#     deploy/restore.sh /backups/2026-12-04
#
# Steps: check the MANIFEST, pg_restore into the (new, empty) database, copy the documents, run
# `manage.py migrate` (a backup of an older release), then `manage.py verify_documents --grace-minutes 0
# --delete-orphans`: every row must have its unaltered file; files written after the dump are removed.
# The exit status is verify_documents': non-zero when a document is missing or altered.
#
# PYTHON (default .venv/bin/python) runs manage.py from the repository root; the same environment as the
# application (CAREERBREAK_ENV, secrets…) must be set for it.
set -euo pipefail

usage() { echo "usage: DATABASE_URL=postgres://… deploy/restore.sh BACKUP_DIR" >&2; exit 2; }
[ $# -eq 1 ] || usage
src=$1
: "${DATABASE_URL:?DATABASE_URL must point at the new, empty PostgreSQL database}"
storage=${DOCUMENTS_STORAGE:-filesystem}
here=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$here/.venv/bin/python}

[ -f "$src/database.dump" ] && [ -f "$src/MANIFEST" ] || { echo "restore: $src is not a backup" >&2; exit 1; }

echo "restore: checking the manifest"
(cd "$src" && grep -v '^#' MANIFEST | sha256sum --check --quiet --strict)

tables=$(psql --dbname "$DATABASE_URL" -Atc "select count(*) from pg_tables where schemaname = 'public'")
if [ "$tables" != 0 ]; then
  echo "restore: the database is not empty ($tables tables); restore into a new database" >&2
  exit 1
fi

echo "restore: restoring the database"
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname "$DATABASE_URL" "$src/database.dump"

echo "restore: copying the documents ($storage)"
case "$storage" in
  filesystem)
    root=${DOCUMENTS_ROOT:?DOCUMENTS_ROOT must name the documents folder (the storage location)}
    mkdir -p "$root/documents"
    rsync -a "$src/documents/" "$root/documents/"
    ;;
  s3)
    : "${AWS_STORAGE_BUCKET_NAME:?AWS_STORAGE_BUCKET_NAME must be set}"
    target="s3://$AWS_STORAGE_BUCKET_NAME/${AWS_LOCATION:+$AWS_LOCATION/}documents"
    aws s3 sync ${AWS_S3_ENDPOINT_URL:+--endpoint-url "$AWS_S3_ENDPOINT_URL"} --only-show-errors "$src/documents" "$target"
    ;;
  *)
    echo "restore: DOCUMENTS_STORAGE must be filesystem or s3" >&2
    exit 1
    ;;
esac

cd "$here"
echo "restore: migrating"
"$python" manage.py migrate --no-input
echo "restore: verifying the documents against the database"
"$python" manage.py verify_documents --grace-minutes 0 --delete-orphans
