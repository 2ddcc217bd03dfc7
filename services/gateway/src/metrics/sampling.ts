// Sampling of successful request log lines: LOG_SAMPLE_RATE (0..1, default 1 = every line) per environment.
// Error lines and metrics events are never sampled.

export function keepLine(env: GatewayEnv | undefined, random = Math.random): boolean {
  const raw: string | undefined = env?.LOG_SAMPLE_RATE;
  const rate = raw === undefined || raw === "" ? 1 : Number(raw);
  if (!Number.isFinite(rate) || rate >= 1) return true;
  return random() < rate;
}
