-- Recovery of queued ingest work after a crash (src/sweep.ts): a consumer claims the documents it runs, so a
-- claim older than the stale period marks work a dead Worker left; attempts bound how often it is tried again.
ALTER TABLE ingest_job_docs ADD COLUMN claimed_at INTEGER;
ALTER TABLE ingest_job_docs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
-- When the job was last swept, so one sweep per stale period re-drives it however many clients read it.
ALTER TABLE ingest_jobs ADD COLUMN swept_at INTEGER;
