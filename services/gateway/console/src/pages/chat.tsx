// Chat: streamed answers with a stop button, sessions and their history, a model picker, RAG and tools switches.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, readSse, request } from "../api.ts";
import type { Me } from "../session.ts";
import { Busy, Empty, ErrorView, json } from "../ui.tsx";
import { forgetSession, listSessions, rememberSession } from "./chat-sessions.ts";

interface Source { n: number; docId: string; title: string | null; snippet: string }
interface ToolStep { id: string; name: string; arguments?: unknown; result?: unknown; ok?: boolean }
interface Turn { role: string; content: string; incomplete?: boolean; sources?: Source[]; tools?: ToolStep[]; stopped?: boolean; error?: unknown }

export function Chat({ me }: { me: Me }) {
  const [sessions, setSessions] = useState(() => listSessions(me.tenant.id));
  const [sessionId, setSessionId] = useState<string | null>(null);
  const [turns, setTurns] = useState<Turn[]>([]);
  const [models, setModels] = useState<string[]>([]);
  const [model, setModel] = useState("");
  const [rag, setRag] = useState(false);
  const [tools, setTools] = useState(false);
  const [text, setText] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [loadingHistory, setLoadingHistory] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const [streaming, setStreaming] = useState(false);

  useEffect(() => {
    void api<{ data: { id: string }[] }>("/v1/models").then((list) => setModels(list.data.map((m) => m.id)), setError);
    return () => abort.current?.abort();
  }, []);

  const open = async (id: string) => {
    setSessionId(id);
    setTurns([]);
    setError(null);
    setLoadingHistory(true);
    try {
      const page = await api<{ messages: Turn[] }>(`/v1/chat/${encodeURIComponent(id)}/history?limit=100`);
      setTurns(page.messages);
    } catch (e) {
      setError(e);
    } finally {
      setLoadingHistory(false);
    }
  };

  const update = (change: (last: Turn) => Turn) => setTurns((all) => [...all.slice(0, -1), change(all[all.length - 1]!)]);

  const send = async () => {
    const message = text.trim();
    if (!message || streaming) return;
    setText("");
    setError(null);
    setTurns((all) => [...all, { role: "user", content: message }, { role: "assistant", content: "" }]);
    const controller = (abort.current = new AbortController());
    setStreaming(true);
    try {
      const body = { message, ...(sessionId ? { sessionId } : {}), ...(model ? { model } : {}), ...(rag ? { rag: true } : {}), ...(tools ? { tools: true } : {}) };
      const response = await request("/v1/chat", { body, signal: controller.signal });
      for await (const { event, data } of readSse(response)) {
        const d = data as Record<string, unknown>;
        if (event === "meta" && typeof d.sessionId === "string" && d.sessionId !== sessionId) {
          setSessionId(d.sessionId);
          setSessions(rememberSession(me.tenant.id, d.sessionId));
        } else if (event === "message") update((t) => ({ ...t, content: t.content + String(d.content ?? "") }));
        else if (event === "sources") update((t) => ({ ...t, sources: data as Source[] }));
        else if (event === "tool_call") update((t) => ({ ...t, tools: [...(t.tools ?? []), d as unknown as ToolStep] }));
        else if (event === "tool_result")
          update((t) => ({ ...t, tools: (t.tools ?? []).map((s) => (s.id === d.id ? { ...s, ok: Boolean(d.ok), result: d.result ?? d.error } : s)) }));
        else if (event === "error") update((t) => ({ ...t, error: new Error(String(d.message ?? "the stream failed")) }));
      }
    } catch (e) {
      if (e instanceof DOMException && e.name === "AbortError") update((t) => ({ ...t, stopped: true }));
      else {
        setTurns((all) => all.slice(0, -1));
        setError(e);
      }
    } finally {
      abort.current = null;
      setStreaming(false);
    }
  };

  return (
    <div class="chat">
      <aside class="sessions" aria-label="Sessions">
        <button type="button" onClick={() => (setSessionId(null), setTurns([]))} disabled={streaming}>
          New chat
        </button>
        {sessions.length === 0 ? (
          <p class="hint">Your chats in this browser appear here.</p>
        ) : (
          <ul>
            {sessions.map((s) => (
              <li>
                <button type="button" class="link" aria-current={s.id === sessionId ? "true" : undefined} disabled={streaming} onClick={() => void open(s.id)}>
                  {new Date(s.at).toLocaleString()} <small>{s.id.slice(0, 8)}</small>
                </button>
                <button type="button" class="icon" aria-label={`Forget session ${s.id.slice(0, 8)}`} onClick={() => setSessions(forgetSession(me.tenant.id, s.id))}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
      </aside>
      <section class="conversation" aria-label="Conversation">
        <div class="options">
          <label>
            Model{" "}
            <select value={model} onChange={(e) => setModel(e.currentTarget.value)}>
              <option value="">tenant default</option>
              {models.map((m) => (
                <option value={m}>{m}</option>
              ))}
            </select>
          </label>
          <label>
            <input type="checkbox" checked={rag} onChange={(e) => setRag(e.currentTarget.checked)} /> Use my documents (RAG)
          </label>
          <label>
            <input type="checkbox" checked={tools} onChange={(e) => setTools(e.currentTarget.checked)} /> Allow tools
          </label>
        </div>
        <div class="turns" aria-live="polite" aria-busy={streaming}>
          {loadingHistory && <Busy label="Loading the session" />}
          {!loadingHistory && turns.length === 0 && <Empty title="No messages yet">Type a question below and press Send. Turn on RAG to answer from your documents.</Empty>}
          {turns.map((t) => (
            <TurnView turn={t} />
          ))}
        </div>
        {error !== null && <ErrorView error={error} />}
        <form
          class="composer"
          onSubmit={(e) => {
            e.preventDefault();
            void send();
          }}
        >
          <label for="chat-input" class="sr-only">
            Message
          </label>
          <textarea id="chat-input" rows={2} value={text} placeholder="Ask something…" onInput={(e) => setText(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && !e.shiftKey) {
                e.preventDefault();
                void send();
              }
            }}
          />
          {streaming ? (
            <button type="button" class="danger" onClick={() => abort.current?.abort()}>
              Stop
            </button>
          ) : (
            <button type="submit" disabled={!text.trim()}>
              Send
            </button>
          )}
        </form>
      </section>
    </div>
  );
}

function TurnView({ turn }: { turn: Turn }) {
  return (
    <article class={`turn ${turn.role}`} aria-label={turn.role === "user" ? "You" : "Assistant"}>
      <p class="content">{turn.content || (turn.role === "assistant" && !turn.stopped ? "…" : "")}</p>
      {(turn.stopped || turn.incomplete) && <p class="hint">Stopped before the answer was complete.</p>}
      {turn.tools?.map((s) => (
        <details class="tool-step">
          <summary>
            Tool <code>{s.name}</code> {s.ok === undefined ? "running…" : s.ok ? "done" : "failed"}
          </summary>
          <pre>{json({ arguments: s.arguments, result: s.result })}</pre>
        </details>
      ))}
      {turn.sources && turn.sources.length > 0 && (
        <details class="sources">
          <summary>{turn.sources.length === 1 ? "1 source" : `${turn.sources.length} sources`}</summary>
          <ol>
            {turn.sources.map((s) => (
              <li>
                <strong>{s.title ?? s.docId}</strong> <span>{s.snippet}</span>
              </li>
            ))}
          </ol>
        </details>
      )}
      {turn.error !== undefined && <ErrorView error={turn.error} />}
    </article>
  );
}
