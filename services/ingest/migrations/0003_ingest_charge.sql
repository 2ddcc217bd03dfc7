-- What the tenant is charged for a job: a queued job's estimate until it ends, then (settled by the gateway) the
-- tokens it embedded; a sync job's embedded tokens. NULL for jobs made before this column: read as embedding_tokens.
ALTER TABLE ingest_jobs ADD COLUMN charged_tokens INTEGER;
