// Documents: upload files (drag and drop) or paste text, follow the ingest job, then list, filter and delete.
import { useState } from "preact/hooks";
import { api } from "../api.ts";
import { Busy, Empty, ErrorView, useLoad } from "../ui.tsx";
import { CONTENT_TYPES, toDocument, type NewDocument } from "./documents-files.ts";

interface Job { jobId: string; status: string; counts: Record<string, number> & { total: number }; documents: { index: number; id?: string; status: string; reason?: string }[] }
interface DocumentSummary { id: string; title: string | null; contentType: string; chunks: number; bytes: number; updatedAt: string }

const DONE = new Set(["completed", "completed_with_errors", "failed"]);

export function Documents() {
  const list = useLoad(() => api<{ documents: DocumentSummary[] }>("/v1/documents?limit=100"));
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [filter, setFilter] = useState("");
  const [type, setType] = useState("");
  const [dragging, setDragging] = useState(false);

  const upload = async (documents: NewDocument[]) => {
    setError(null);
    try {
      let current = await api<Job>("/v1/ingest", { body: { documents } });
      setJob(current);
      // Queued batches are processed by the consumer: poll the job until it settles.
      for (let wait = 300; !DONE.has(current.status); wait = Math.min(wait * 2, 3000)) {
        await new Promise((r) => setTimeout(r, wait));
        current = await api<Job>(`/v1/ingest/${current.jobId}`);
        setJob(current);
      }
      list.reload();
    } catch (e) {
      setError(e);
    }
  };
  const addFiles = async (files: FileList | null) => files && files.length > 0 && upload(await Promise.all([...files].map(toDocument)));
  const remove = async (id: string) => {
    if (!confirm(`Delete "${id}" and its chunks?`)) return;
    try {
      await api(`/v1/documents/${encodeURIComponent(id)}`, { method: "DELETE" });
      list.reload();
    } catch (e) {
      setError(e);
    }
  };

  const shown = (list.data?.documents ?? []).filter((d) => (!type || d.contentType === type) && `${d.id} ${d.title ?? ""}`.toLowerCase().includes(filter.toLowerCase()));
  return (
    <div class="documents">
      <section aria-labelledby="add-heading">
        <h2 id="add-heading">Add documents</h2>
        <div
          class={`dropzone${dragging ? " over" : ""}`}
          onDragOver={(e) => (e.preventDefault(), setDragging(true))}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            void addFiles(e.dataTransfer?.files ?? null);
          }}
        >
          <p>Drop .txt, .md, .html or .json files here, or</p>
          <label class="button">
            choose files
            <input type="file" class="sr-only" multiple accept=".txt,.md,.markdown,.html,.htm,.json,text/plain,text/markdown,text/html,application/json" onChange={(e) => void addFiles(e.currentTarget.files)} />
          </label>
        </div>
        <PasteForm onSubmit={(doc) => upload([doc])} />
        {job && <JobProgress job={job} />}
        {error !== null && <ErrorView error={error} />}
      </section>
      <section aria-labelledby="list-heading">
        <h2 id="list-heading">Your documents</h2>
        <div class="options">
          <label>
            Filter <input type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} placeholder="id or title" />
          </label>
          <label>
            Type{" "}
            <select value={type} onChange={(e) => setType(e.currentTarget.value)}>
              <option value="">all</option>
              {CONTENT_TYPES.map((t) => (
                <option value={t}>{t}</option>
              ))}
            </select>
          </label>
        </div>
        {list.loading && <Busy label="Loading documents" />}
        {list.error !== undefined && <ErrorView error={list.error} onRetry={list.reload} />}
        {list.data && list.data.documents.length === 0 && <Empty title="No documents yet">Drop a file above or paste some text, then ask about it on the Search page.</Empty>}
        {shown.length > 0 && (
          <ul class="doc-list">
            {shown.map((d) => (
              <li>
                <div>
                  <strong>{d.title ?? d.id}</strong> <code>{d.id}</code>
                  <small>
                    {d.contentType} · {d.chunks} chunks · {d.bytes} bytes · {new Date(d.updatedAt).toLocaleString()}
                  </small>
                </div>
                <button type="button" class="danger" aria-label={`Delete ${d.id}`} onClick={() => void remove(d.id)}>
                  Delete
                </button>
              </li>
            ))}
          </ul>
        )}
        {list.data && list.data.documents.length > 0 && shown.length === 0 && <Empty title="Nothing matches the filter">Clear the filter to see every document.</Empty>}
      </section>
    </div>
  );
}

function JobProgress({ job }: { job: Job }) {
  const settled = job.counts.total - (job.counts.pending ?? 0);
  return (
    <div class="job" role="status" aria-live="polite">
      <label>
        Job <code>{job.jobId}</code>: {job.status.replace(/_/g, " ")} ({settled} of {job.counts.total})
        <progress max={job.counts.total} value={settled} />
      </label>
      <ul>
        {job.documents.map((d) => (
          <li class={d.status}>
            {d.id ?? `#${d.index + 1}`}: {d.status}
            {d.reason ? ` (${d.reason})` : ""}
          </li>
        ))}
      </ul>
    </div>
  );
}

function PasteForm({ onSubmit }: { onSubmit: (doc: NewDocument) => Promise<void> }) {
  const [id, setId] = useState("");
  const [title, setTitle] = useState("");
  const [contentType, setContentType] = useState<string>("text/plain");
  const [text, setText] = useState("");
  return (
    <form
      class="paste"
      onSubmit={(e) => {
        e.preventDefault();
        void onSubmit({ id: id.trim(), text, contentType, ...(title.trim() ? { title: title.trim() } : {}) }).then(() => setText(""));
      }}
    >
      <fieldset>
        <legend>Or paste text</legend>
        <label>
          Id <input value={id} required pattern="[A-Za-z0-9][A-Za-z0-9._:@\-]*" maxLength={128} onInput={(e) => setId(e.currentTarget.value)} placeholder="refund-policy" />
        </label>
        <label>
          Title <input value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
        </label>
        <label>
          Type{" "}
          <select value={contentType} onChange={(e) => setContentType(e.currentTarget.value)}>
            {CONTENT_TYPES.map((t) => (
              <option value={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          Text <textarea rows={5} value={text} required onInput={(e) => setText(e.currentTarget.value)} />
        </label>
        <button type="submit">Add document</button>
      </fieldset>
    </form>
  );
}
