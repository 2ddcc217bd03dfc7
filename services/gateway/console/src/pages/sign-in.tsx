// Sign-in: the API key is checked against GET /v1/me and kept for this tab only.
import { useState } from "preact/hooks";
import { ErrorView } from "../ui.tsx";

export function SignIn({ onSubmit, error }: { onSubmit: (key: string) => Promise<void>; error: unknown }) {
  const [key, setKey] = useState("");
  const [busy, setBusy] = useState(false);
  return (
    <main class="sign-in" id="main">
      <h1 tabIndex={-1}>Sign in to the console</h1>
      <p>Paste an API key of your tenant. It is kept in this browser tab only and sent only to this gateway; closing the tab or signing out forgets it.</p>
      <form
        autocomplete="off"
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          void onSubmit(key.trim()).finally(() => setBusy(false));
        }}
      >
        <label for="api-key">API key</label>
        <input id="api-key" type="password" value={key} required spellcheck={false} autocomplete="off" onInput={(e) => setKey(e.currentTarget.value)} />
        <button type="submit" disabled={busy || !key.trim()}>
          {busy ? "Checking…" : "Sign in"}
        </button>
      </form>
      {error !== null && <ErrorView error={error} />}
      <p class="hint">Running locally? Try the dev key <code>sk-dev-demo</code>.</p>
    </main>
  );
}
