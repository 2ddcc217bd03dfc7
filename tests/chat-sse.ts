// Helpers for chat tests: POST /v1/chat and read its server-sent events with eventsource-parser.
import { createParser, type EventSourceMessage } from "eventsource-parser";
import { call, gatewayUrl } from "./helpers.ts";

export interface ChatEvent {
  event: string;
  data: Record<string, unknown>;
}

export function chatRequest(body: unknown, key: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${gatewayUrl()}/v1/chat`, {
    ...init,
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...init.headers },
    body: JSON.stringify(body),
  });
}

/** Reads an SSE body to its end (or until `stopAfter` returns true) and returns its events in order. */
export async function readEvents(response: Response, stopAfter?: (event: ChatEvent) => boolean): Promise<ChatEvent[]> {
  const events: ChatEvent[] = [];
  let stop = false;
  const parser = createParser({
    onEvent(message: EventSourceMessage) {
      const event = { event: message.event ?? "message", data: JSON.parse(message.data) as Record<string, unknown> };
      events.push(event);
      if (stopAfter?.(event)) stop = true;
    },
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  while (!stop) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  return events;
}

export interface HistoryMessage {
  id: string;
  role: string;
  content: string;
  createdAt: string;
  incomplete?: boolean;
}

export const history = (sessionId: string, key: string, query = "") =>
  call<{ messages: HistoryMessage[]; nextCursor: string | null }>(`/v1/chat/${sessionId}/history${query}`, { key });
