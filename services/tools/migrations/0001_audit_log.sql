-- The tools audit log: one row per tool call (allowed or not). Never raw arguments or results: only their hash.
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  tenant_id TEXT NOT NULL,
  trace_id TEXT NOT NULL,
  key_id TEXT NOT NULL,
  tool TEXT NOT NULL,
  args_sha256 TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'denied', 'invalid', 'error', 'not_found')),
  error_code TEXT,
  route TEXT NOT NULL,
  latency_ms INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);

-- Pages are newest first per tenant, optionally for one tool or one outcome.
CREATE INDEX audit_log_tenant ON audit_log (tenant_id, seq);
CREATE INDEX audit_log_tenant_tool ON audit_log (tenant_id, tool, seq);
CREATE INDEX audit_log_tenant_outcome ON audit_log (tenant_id, outcome, seq);
