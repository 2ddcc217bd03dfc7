-- Documents, their chunks (with an FTS5 index), ingest jobs and each tenant's index version.
-- Every row carries tenant_id and every statement of the platform filters on it.

CREATE TABLE documents (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  -- SHA-256 of everything that shapes the chunks; equal means re-ingesting changes nothing.
  version TEXT NOT NULL,
  title TEXT,
  url TEXT,
  content_type TEXT NOT NULL,
  metadata TEXT NOT NULL DEFAULT '{}',
  chunk_count INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE chunks (
  -- A stable integer key for the external-content FTS table.
  pk INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  -- The tenant as one FTS token ("t" + hex), so MATCH itself stays inside the tenant.
  tenant_token TEXT NOT NULL,
  -- Also the vector id in Vectorize.
  id TEXT NOT NULL,
  doc_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  version TEXT NOT NULL,
  title TEXT,
  url TEXT,
  -- The heading path joined with " > ".
  headings TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL,
  content_type TEXT NOT NULL,
  metadata TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  UNIQUE (tenant_id, id)
);
CREATE INDEX chunks_by_doc ON chunks (tenant_id, doc_id, version);

CREATE VIRTUAL TABLE chunks_fts USING fts5(
  tenant_token, title, headings, text,
  content = 'chunks', content_rowid = 'pk',
  tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER chunks_fts_insert AFTER INSERT ON chunks BEGIN
  INSERT INTO chunks_fts (rowid, tenant_token, title, headings, text) VALUES (new.pk, new.tenant_token, new.title, new.headings, new.text);
END;
CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks BEGIN
  INSERT INTO chunks_fts (chunks_fts, rowid, tenant_token, title, headings, text) VALUES ('delete', old.pk, old.tenant_token, old.title, old.headings, old.text);
END;
CREATE TRIGGER chunks_fts_update AFTER UPDATE ON chunks BEGIN
  INSERT INTO chunks_fts (chunks_fts, rowid, tenant_token, title, headings, text) VALUES ('delete', old.pk, old.tenant_token, old.title, old.headings, old.text);
  INSERT INTO chunks_fts (rowid, tenant_token, title, headings, text) VALUES (new.pk, new.tenant_token, new.title, new.headings, new.text);
END;

-- Bumped by every ingest and delete that changes the index; search keys its cache on it.
CREATE TABLE tenant_index (
  tenant_id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  changed_at INTEGER NOT NULL
);

CREATE TABLE ingest_jobs (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  mode TEXT NOT NULL,
  total INTEGER NOT NULL,
  embedding_tokens INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX ingest_jobs_by_age ON ingest_jobs (tenant_id, created_at);

CREATE TABLE ingest_job_docs (
  tenant_id TEXT NOT NULL,
  job_id TEXT NOT NULL,
  -- The document's position in the request.
  seq INTEGER NOT NULL,
  doc_id TEXT,
  status TEXT NOT NULL,
  chunks INTEGER,
  reason TEXT,
  -- The document as sent, kept only until a queued job has processed it.
  payload TEXT,
  PRIMARY KEY (tenant_id, job_id, seq)
);
