-- How a tool call reached the platform: over HTTP (/v1/tools/execute, chat tool rounds) or over MCP (/mcp).
ALTER TABLE audit_log ADD COLUMN transport TEXT NOT NULL DEFAULT 'http' CHECK (transport IN ('http', 'mcp'));
