#!/usr/bin/env bash
# Back up the database and the documents together into one folder (docs/deployment.md, "Backups").
#
#   DATABASE_URL=postgres://… DOCUMENTS_ROOT=/srv/careerbreak/media deploy/backup.sh /backups/2026-12-04
#
# The database first, then the documents: a document's file is written before its row is committed and
# never changed afterwards, so every row in the dump has its file in the copy taken after it. Files
# written after the dump are orphans in the backup; restore.sh removes them (verify_documents).
#
# Documents: DOCUMENTS_STORAGE=filesystem (default) copies DOCUMENTS_ROOT/documents with rsync;
# DOCUMENTS_STORAGE=s3 copies s3://$AWS_STORAGE_BUCKET_NAME/[$AWS_LOCATION/]documents with the AWS CLI
# (`aws s3 sync`, honouring AWS_S3_ENDPOINT_URL).
set -euo pipefail

usage() { echo "usage: DATABASE_URL=postgres://… deploy/backup.sh DEST_DIR" >&2; exit 2; }
[ $# -eq 1 ] || usage
dest=$1
: "${DATABASE_URL:?DATABASE_URL must point at the PostgreSQL database}"
storage=${DOCUMENTS_STORAGE:-filesystem}

if [ -e "$dest" ] && [ -n "$(ls -A "$dest" 2>/dev/null)" ]; then
  echo "backup: $dest exists and is not empty; choose a new folder" >&2
  exit 1
fi
mkdir -p "$dest/documents"

echo "backup: dumping the database"
# Custom format: compressed, restorable table by table, one consistent snapshot.
pg_dump --format=custom --no-owner --no-privileges --file "$dest/database.dump" --dbname "$DATABASE_URL"

echo "backup: copying the documents ($storage)"
case "$storage" in
  filesystem)
    root=${DOCUMENTS_ROOT:?DOCUMENTS_ROOT must name the documents folder (the storage location)}
    if [ -d "$root/documents" ]; then
      rsync -a "$root/documents/" "$dest/documents/"
    fi
    ;;
  s3)
    : "${AWS_STORAGE_BUCKET_NAME:?AWS_STORAGE_BUCKET_NAME must be set}"
    source="s3://$AWS_STORAGE_BUCKET_NAME/${AWS_LOCATION:+$AWS_LOCATION/}documents"
    aws s3 sync ${AWS_S3_ENDPOINT_URL:+--endpoint-url "$AWS_S3_ENDPOINT_URL"} --only-show-errors "$source" "$dest/documents"
    ;;
  *)
    echo "backup: DOCUMENTS_STORAGE must be filesystem or s3" >&2
    exit 1
    ;;
esac

# What was taken, to check a copy of the backup before relying on it.
(
  cd "$dest"
  {
    echo "# careerbreak backup $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    sha256sum database.dump
    find documents -type f -print0 | sort -z | xargs -0 -r sha256sum
  } > MANIFEST
)
echo "backup: done: $dest ($(find "$dest/documents" -type f | wc -l) document file(s))"
