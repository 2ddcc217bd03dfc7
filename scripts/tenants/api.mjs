// The admin API client of the tenants CLI: the platform URL and operator key from the environment, the envelope
// unwrapped, and the failures an operator meets (unreachable platform, 401/403, API errors) as one clear message.

export const DEFAULT_URL = "http://127.0.0.1:8787";
export const DEV_OPERATOR_KEY = "sk-dev-operator";

export class CliError extends Error {
  constructor(message, { exitCode = 1, status, code } = {}) {
    super(message);
    this.exitCode = exitCode;
    this.status = status;
    this.code = code;
  }
}

/** Loopback platforms are the local dev mesh; anything else is treated as staging or production. */
export function isDevelopment(url) {
  const host = new URL(url).hostname;
  return host === "127.0.0.1" || host === "localhost" || host === "[::1]" || host.endsWith(".localhost");
}

export function platformFromEnv(env, { bootstrap = false } = {}) {
  const url = (env.PLATFORM_URL || DEFAULT_URL).replace(/\/+$/, "");
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`PLATFORM_URL "${url}" is not a URL`);
  }
  const loopback = isDevelopment(url);
  // PLATFORM_ENV names the platform's environment when the URL cannot (e.g. a staging gateway on a local port).
  const declared = env.PLATFORM_ENV;
  if (declared && !["development", "staging", "production"].includes(declared)) throw new CliError(`PLATFORM_ENV must be development, staging or production (got "${declared}")`);
  const development = declared ? declared === "development" : loopback;
  if (parsed.protocol !== "https:" && !loopback) throw new CliError(`PLATFORM_URL must use https outside local development (got ${url})`);
  // The bootstrap of the first operator key presents the platform's one-time BOOTSTRAP_TOKEN instead of a key.
  const key = bootstrap ? env.BOOTSTRAP_TOKEN : env.PLATFORM_ADMIN_KEY || (development ? DEV_OPERATOR_KEY : undefined);
  if (!key) throw new CliError(bootstrap ? "BOOTSTRAP_TOKEN is not set: give the token set as the gateway's BOOTSTRAP_TOKEN secret" : `PLATFORM_ADMIN_KEY is not set: give the operator key of the platform at ${url}`);
  return { url, key, development };
}

export function createApi({ url, key }) {
  async function call(method, path, body) {
    let response;
    try {
      response = await fetch(url + path, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      const reason = error.cause?.code ?? error.name ?? "error";
      throw new CliError(`cannot reach the platform at ${url} (${reason}); is it running? (local: npm run dev; else set PLATFORM_URL)`);
    }
    const text = await response.text();
    let envelope;
    try {
      envelope = JSON.parse(text);
    } catch {
      throw new CliError(`${method} ${path}: the platform answered ${response.status} with a body that is not JSON`, { status: response.status });
    }
    if (response.ok && envelope.ok) return envelope.data;
    const code = envelope.error?.code ?? "error";
    const message = envelope.error?.message ?? `HTTP ${response.status}`;
    const trace = envelope.traceId ? ` (trace ${envelope.traceId})` : "";
    if (response.status === 401) throw new CliError(`the platform refused the key (401 ${code}): check PLATFORM_ADMIN_KEY${trace}`, { status: 401, code });
    if (response.status === 403) throw new CliError(`the key is not allowed to do this (403 ${code}): ${message}; an operator key (scope platform) is needed${trace}`, { status: 403, code });
    const details = envelope.error?.details ? `\n${JSON.stringify(envelope.error.details, null, 2)}` : "";
    throw new CliError(`${method} ${path}: ${response.status} ${code}: ${message}${trace}${details}`, { status: response.status, code });
  }
  const t = (id) => `/v1/admin/tenants/${encodeURIComponent(id)}`;
  return {
    listTenants: () => call("GET", "/v1/admin/tenants"),
    getTenant: (id) => call("GET", t(id)),
    putTenant: (id, config) => call("PUT", t(id), config),
    versions: (id) => call("GET", `${t(id)}/versions`),
    version: (id, version) => call("GET", `${t(id)}/versions/${version}`),
    rollback: (id, to) => call("POST", `${t(id)}/rollback`, to === undefined ? {} : { to }),
    setDisabled: (id, disabled) => call("POST", `${t(id)}/${disabled ? "disable" : "enable"}`, {}),
    listKeys: (id) => call("GET", `${t(id)}/keys`),
    createKey: (id, body) => call("POST", `${t(id)}/keys`, body),
    revokeKey: (id, keyId) => call("DELETE", `${t(id)}/keys/${encodeURIComponent(keyId)}`),
    rotateKey: (id, keyId, body) => call("POST", `${t(id)}/keys/${encodeURIComponent(keyId)}/rotate`, body),
    createOperatorKey: (body) => call("POST", "/v1/admin/operator-keys", body),
    bootstrapOperatorKey: (body) => call("POST", "/v1/admin/bootstrap", body),
  };
}
