// GET /v1/audit: every tool call leaves an entry with the arguments' SHA-256 (never the arguments), denied and
// invalid calls included; pages and filters; and a tenant sees only its own entries.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { call, postJson, testTenant } from "./helpers.ts";

const TENANT = testTenant("test-audit");
// A second tenant whose tool allow-list lacks ingest_document.
const OTHER = testTenant("test-audit-other");

interface AuditEntry {
  id: string;
  traceId: string;
  keyId: string;
  tool: string;
  argsSha256: string;
  outcome: string;
  errorCode: string | null;
  route: string;
  latencyMs: number;
  createdAt: string;
}

type AuditPage = { entries: AuditEntry[]; nextCursor: string | null };

const audit = (key: string, query = "") => call<AuditPage>(`/v1/audit${query}`, { key });
const traced = (tool: string, args: unknown, key = TENANT.key) => {
  const traceId = `audit-${crypto.randomUUID()}`;
  return postJson("/v1/tools/execute", { tool, args }, key, { "x-trace-id": traceId }).then((res) => ({ res, traceId }));
};

/** The canonical JSON the audit hashes: keys sorted at every level, no whitespace. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(",")}}`;
  return JSON.stringify(value);
}
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

async function findEntry(key: string, traceId: string, query = ""): Promise<AuditEntry | undefined> {
  const page = await audit(key, query);
  expect(page.status).toBe(200);
  return page.body.data!.entries.find((e) => e.traceId === traceId);
}

describe("GET /v1/audit", () => {
  it("records a call with the hash of its canonical arguments and none of their text", async () => {
    const secret = `confidential-${crypto.randomUUID()}`;
    const args = { text: `Quarterly plan ${secret}`, maxTags: 3 };
    const { res, traceId } = await traced("tag_document", args);
    expect(res.status).toBe(200);
    const page = await audit(TENANT.key, "?tool=tag_document&limit=50");
    const entry = page.body.data!.entries.find((e) => e.traceId === traceId);
    expect(entry).toMatchObject({ tool: "tag_document", outcome: "ok", errorCode: null, keyId: TENANT.keyId, route: "/v1/tools/execute" });
    expect(entry!.argsSha256).toBe(sha256(canonical(args)));
    expect(entry!.argsSha256).toBe(sha256('{"maxTags":3,"text":"Quarterly plan ' + secret + '"}'));
    expect(JSON.stringify(page.body)).not.toContain(secret);
    expect(JSON.stringify(page.body)).not.toContain("Quarterly plan");
  });

  it("records invalid and unknown-tool calls too, filterable by outcome", async () => {
    const invalid = await traced("summarize", { text: 7 });
    const unknown = await traced("no_such_tool", { a: 1 });
    expect(invalid.res.status).toBe(400);
    expect(unknown.res.status).toBe(404);
    expect(await findEntry(TENANT.key, invalid.traceId, "?outcome=invalid&limit=100")).toMatchObject({ tool: "summarize", outcome: "invalid", errorCode: "invalid_request", argsSha256: sha256('{"text":7}') });
    expect(await findEntry(TENANT.key, unknown.traceId, "?outcome=not_found&limit=100")).toMatchObject({ tool: "no_such_tool", outcome: "not_found" });
    const onlyInvalid = await audit(TENANT.key, "?outcome=invalid&limit=100");
    expect(onlyInvalid.body.data!.entries.every((e) => e.outcome === "invalid")).toBe(true);
  });

  it("pages newest first with a cursor", async () => {
    await Promise.all([traced("tag_document", { text: "page one" }), traced("tag_document", { text: "page two" })]);
    const first = await audit(TENANT.key, "?limit=1");
    expect(first.body.data!.entries).toHaveLength(1);
    const cursor = first.body.data!.nextCursor;
    expect(cursor).toMatch(/^\d+$/);
    const second = await audit(TENANT.key, `?limit=1&cursor=${cursor}`);
    expect(second.body.data!.entries).toHaveLength(1);
    expect(second.body.data!.entries[0]!.id).not.toBe(first.body.data!.entries[0]!.id);
    expect(Date.parse(second.body.data!.entries[0]!.createdAt)).toBeLessThanOrEqual(Date.parse(first.body.data!.entries[0]!.createdAt));
  });

  it("answers 400 for a malformed query", async () => {
    expect((await audit(TENANT.key, "?outcome=maybe")).status).toBe(400);
    expect((await audit(TENANT.key, "?limit=1000")).status).toBe(400);
    expect((await audit(TENANT.key, "?cursor=abc")).status).toBe(400);
  });

  it("records a denied call in the caller's tenant only, and shows no tenant another's entries", async () => {
    const ownCall = await traced("summarize", { text: "this tenant's own call" });
    const denied = await traced("ingest_document", { id: "x", text: "y" }, OTHER.key);
    expect(denied.res.status).toBe(403);

    const otherPage = await audit(OTHER.key, "?limit=100");
    expect(otherPage.status).toBe(200);
    const otherEntries = otherPage.body.data!.entries;
    // This tenant's only entry is the denied call.
    expect(otherEntries).toEqual([expect.objectContaining({ traceId: denied.traceId, tool: "ingest_document", outcome: "denied", errorCode: "forbidden", keyId: OTHER.keyId })]);

    const ownEntries = (await audit(TENANT.key, "?limit=100")).body.data!.entries;
    expect(ownEntries.some((e) => e.traceId === ownCall.traceId)).toBe(true);
    expect(ownEntries.some((e) => e.traceId === denied.traceId)).toBe(false);
    expect(ownEntries.every((e) => e.keyId === TENANT.keyId)).toBe(true);
  });
});
