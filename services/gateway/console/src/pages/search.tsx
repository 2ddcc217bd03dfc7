// Search: the answer with clickable citations (the passage opens with the query's words highlighted), confidence,
// follow-up questions as buttons and the "why" panel.
import { useRef, useState } from "preact/hooks";
import { api } from "../api.ts";
import { Busy, Empty, ErrorView, json } from "../ui.tsx";
import { Highlighted, splitCitations } from "./search-text.tsx";

interface Source { n: number; docId: string; title: string | null; url: string | null; snippet: string; score: number; cited: boolean }
interface Result {
  answer: string;
  sources: Source[];
  confidence: { level: string; score: number; note: string };
  followUps: string[];
  why: { keywords: string[]; rewrittenQuery: string; intent: string; mode: string; reranked: boolean; cache: string; counts: Record<string, number>; generated: boolean };
}

export function Search() {
  const [query, setQuery] = useState("");
  const [result, setResult] = useState<Result | null>(null);
  const [asked, setAsked] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<Source | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);

  const run = async (q: string) => {
    if (!q.trim()) return;
    setQuery(q);
    setBusy(true);
    setError(null);
    try {
      setResult(await api<Result>("/v1/search", { body: { query: q.trim() } }));
      setAsked(q.trim());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const cite = (n: number) => {
    const source = result?.sources.find((s) => s.n === n);
    if (!source) return;
    setOpen(source);
    dialog.current?.showModal();
  };
  const words = result ? [...result.why.keywords, ...asked.split(/\W+/).filter((w) => w.length > 3)] : [];

  return (
    <div class="search">
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void run(query);
        }}
      >
        <label for="search-q">Question</label>
        <input id="search-q" type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} placeholder="Ask your documents…" />
        <button type="submit" disabled={busy || !query.trim()}>
          Search
        </button>
      </form>
      {busy && <Busy label="Searching" />}
      {error !== null && <ErrorView error={error} />}
      {!result && !busy && error === null && <Empty title="Ask a question">The answer cites your documents. No documents yet? Add some on the Documents page first.</Empty>}
      {result && (
        <section class="result" aria-live="polite">
          <p class={`confidence ${result.confidence.level}`}>
            Confidence: <strong>{result.confidence.level}</strong> ({Math.round(result.confidence.score * 100)}%) {result.confidence.note}
          </p>
          <p class="answer">
            {splitCitations(result.answer).map((part) =>
              typeof part === "string" ? (
                part
              ) : (
                <button type="button" class="cite" aria-label={`Open source ${part}`} onClick={() => cite(part)}>
                  [{part}]
                </button>
              ),
            )}
          </p>
          {result.sources.length === 0 && <Empty title="No sources found">Try other words, or add documents that cover this.</Empty>}
          <ol class="source-list">
            {result.sources.map((s) => (
              <li>
                <button type="button" class="link" onClick={() => cite(s.n)}>
                  [{s.n}] {s.title ?? s.docId}
                </button>{" "}
                <small>score {s.score.toFixed(3)}{s.cited ? " · cited" : ""}</small>
              </li>
            ))}
          </ol>
          {result.followUps.length > 0 && (
            <div class="follow-ups" role="group" aria-label="Follow-up questions">
              {result.followUps.map((f) => (
                <button type="button" class="secondary" onClick={() => void run(f)}>
                  {f}
                </button>
              ))}
            </div>
          )}
          <details class="why">
            <summary>Why this answer</summary>
            <dl>
              <dt>Rewritten query</dt>
              <dd>{result.why.rewrittenQuery}</dd>
              <dt>Keywords</dt>
              <dd>{result.why.keywords.join(", ") || "none"}</dd>
              <dt>Intent</dt>
              <dd>{result.why.intent}</dd>
              <dt>Retrieval</dt>
              <dd>
                {result.why.mode}
                {result.why.reranked ? ", reranked" : ""}, cache {result.why.cache}, answer {result.why.generated ? "generated" : "not generated"}
              </dd>
              <dt>Candidates</dt>
              <dd>
                <code>{json(result.why.counts)}</code>
              </dd>
            </dl>
          </details>
        </section>
      )}
      <dialog ref={dialog} class="passage" aria-labelledby="passage-title" onClose={() => setOpen(null)}>
        {open && (
          <>
            <h2 id="passage-title">
              [{open.n}] {open.title ?? open.docId}
            </h2>
            <p class="hint">
              Document <code>{open.docId}</code>
              {open.url && (
                <>
                  {" "}· <a href={open.url} rel="noopener noreferrer" target="_blank">source</a>
                </>
              )}
            </p>
            <blockquote>
              <Highlighted text={open.snippet} words={words} />
            </blockquote>
          </>
        )}
        <form method="dialog">
          <button type="submit" autofocus>
            Close
          </button>
        </form>
      </dialog>
    </div>
  );
}
