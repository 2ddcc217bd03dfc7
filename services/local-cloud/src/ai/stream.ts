// Workers AI stream framing: `data: {"response":"tok","p":"..."}` frames, a usage frame, then `data: [DONE]`.
import type { ToolCall } from "./tools.ts";

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

const encoder = new TextEncoder();
const PADDING = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** Word-ish tokens whose concatenation is the text: "Refunds", " take", " five", " days". */
export function tokenize(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

export function chatFrames(tokens: string[], usage: Usage, toolCalls?: ToolCall[]): Uint8Array[] {
  // Real frames carry random padding against a token-length side channel; the twin's is deterministic.
  const frames = tokens.map((response, i) => frame({ response, p: PADDING.slice(0, 4 + ((i * 7 + response.length) % 24)) }));
  if (toolCalls) frames.push(frame({ response: "", tool_calls: toolCalls, p: PADDING.slice(0, 8) }));
  frames.push(frame({ response: "", usage }));
  frames.push(encoder.encode("data: [DONE]\n\n"));
  return frames;
}

function frame(data: unknown): Uint8Array {
  return encoder.encode(`data: ${JSON.stringify(data)}\n\n`);
}

/** A byte stream handing out one chunk per read. Enqueueing transfers each chunk's buffer: chunks must not share one. */
export function byteStream(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream({
    type: "bytes",
    pull(controller) {
      const chunk = chunks[next++];
      if (chunk) controller.enqueue(chunk);
      else controller.close();
    },
  });
}
