// Dev-only JSON shim over HTTP for the conformance tests: each request calls a twin through the Worker's own
// loopback bindings (ctx.exports), so arguments and results cross real RPC as they do for the services.
//   POST /__twin/ai/run               { model, inputs, options? } -> JSON, or the stream's bytes (x-twin-result: stream)
//   POST /__twin/vectorize/<method>   { props?, args: [...] }     -> JSON result
// Errors answer 400 with { error: message }, the only part of an error that survives RPC.

const VECTORIZE_METHODS = ["describe", "query", "queryById", "insert", "upsert", "deleteByIds", "getByIds"] as const;
type VectorizeMethod = (typeof VECTORIZE_METHODS)[number];

interface ShimBody {
  model?: string;
  inputs?: Record<string, unknown>;
  options?: AiOptions;
  props?: Record<string, unknown>;
  args?: unknown[];
}

export async function handleShim(request: Request, exports: Cloudflare.Exports): Promise<Response> {
  const { pathname } = new URL(request.url);
  if (request.method !== "POST" || !pathname.startsWith("/__twin/")) {
    return new Response("local-cloud is reached through service bindings; only POST /__twin/* exists, for tests", { status: 404 });
  }
  try {
    const body = (await request.json()) as ShimBody;
    if (pathname === "/__twin/ai/run") return aiResponse(await exports.LocalAI.run(body.model ?? "", body.inputs ?? {}, body.options));
    const method = pathname.slice("/__twin/vectorize/".length);
    if (pathname.startsWith("/__twin/vectorize/") && isVectorizeMethod(method)) {
      return Response.json(await callVectorize(exports, method, body.props ?? {}, body.args ?? []));
    }
    return Response.json({ error: `no twin route ${pathname}` }, { status: 404 });
  } catch (error) {
    return Response.json({ error: error instanceof Error ? error.message : String(error) }, { status: 400 });
  }
}

function aiResponse(result: unknown): Response {
  if (result instanceof Response) return new Response(result.body, { headers: { "content-type": result.headers.get("content-type") ?? "", "x-twin-result": "raw" } });
  if (result instanceof ReadableStream) return new Response(result, { headers: { "content-type": "application/octet-stream", "x-twin-result": "stream" } });
  if (result instanceof Uint8Array) return new Response(result, { headers: { "content-type": "application/octet-stream", "x-twin-result": "bytes" } });
  return Response.json(result, { headers: { "x-twin-result": "json" } });
}

function callVectorize(exports: Cloudflare.Exports, method: VectorizeMethod, props: Record<string, unknown>, args: unknown[]): Promise<unknown> {
  const index = exports.LocalVectorize({ props });
  // The shim passes JSON through unchecked on purpose: validating arguments is the twin's job.
  const [a, b] = args as [never, never];
  switch (method) {
    case "describe":
      return index.describe();
    case "query":
      return index.query(a, b);
    case "queryById":
      return index.queryById(a, b);
    case "insert":
      return index.insert(a);
    case "upsert":
      return index.upsert(a);
    case "deleteByIds":
      return index.deleteByIds(a);
    case "getByIds":
      return index.getByIds(a);
  }
}

function isVectorizeMethod(name: string): name is VectorizeMethod {
  return (VECTORIZE_METHODS as readonly string[]).includes(name);
}
