// Faults on purpose (the twin is development-only): a model name carrying a fault marker fails, hangs or answers
// malformed output, or streams slowly, so fallback, timeouts, retries and the dead-letter queue can be exercised through the public API.
import { aiError, AI_NO_SUCH_MODEL } from "./errors.ts";

export const FAULTS = ["unavailable", "timeout", "malformed", "slow"] as const;
export type Fault = (typeof FAULTS)[number];

/** A `slow` model streams one chunk per this many ms (and answers a whole call this late), to crash mid-stream. */
export const SLOW_CHUNK_MS = 150;

/** How long a `timeout` model takes to answer: longer than any caller waits (the platform's limit is 120 s). */
export const HANG_MS = 10 * 60 * 1000;

const MARKER = new RegExp(`-(${FAULTS.join("|")})(?=-|$)`);

/** The fault a model name asks for and the model it stands for without the marker (`...-v1.5-timeout` -> `...-v1.5`). */
export function parseFault(model: string): { fault?: Fault; model: string } {
  const match = MARKER.exec(model);
  if (!match) return { model };
  return { fault: match[1] as Fault, model: model.slice(0, match.index) + model.slice(match.index + match[0].length) };
}

/** Runs `answer` as the fault says: throws, waits past any timeout, or breaks the output's shape. */
export async function withFault(fault: Fault | undefined, model: string, answer: () => unknown): Promise<unknown> {
  if (fault === "unavailable") throw aiError(AI_NO_SUCH_MODEL, `model unavailable (${model})`);
  if (fault === "timeout") await new Promise((resolve) => setTimeout(resolve, HANG_MS));
  const output = answer();
  if (fault === "slow") return output instanceof ReadableStream ? paced(output) : sleep(20 * SLOW_CHUNK_MS).then(() => output);
  return fault === "malformed" ? malformed(output) : output;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The stream's chunks, one per SLOW_CHUNK_MS. */
function paced(stream: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = stream.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      await sleep(SLOW_CHUNK_MS);
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/** The output without its payload (its text, vectors or audio), keeping the rest (usage) as it was. */
function malformed(output: unknown): unknown {
  if (output instanceof ReadableStream) {
    void output.cancel();
    return new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode("data: {not json\n\n")), c.close()) });
  }
  if (typeof output !== "object" || output === null) return { unexpected: true };
  const broken: Record<string, unknown> = { ...(output as Record<string, unknown>) };
  for (const key of ["response", "data", "choices", "output", "audio", "tool_calls"]) delete broken[key];
  return broken;
}
