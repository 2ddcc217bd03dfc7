// The console shell: sign-in with an API key, then navigation between the pages the key may use.
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, api } from "./api.ts";
import { PAGES, currentPath, navigate, visible } from "./routes.ts";
import { forgetKey, getKey, setKey, type Me } from "./session.ts";
import { ErrorView } from "./ui.tsx";
import { SignIn } from "./pages/sign-in.tsx";
import { Chat } from "./pages/chat.tsx";
import { Documents } from "./pages/documents.tsx";
import { Search } from "./pages/search.tsx";
import { Tools } from "./pages/tools.tsx";
import { Speech } from "./pages/speech.tsx";
import { Usage } from "./pages/usage.tsx";
import { Keys, Tenants } from "./pages/admin.tsx";

const VIEWS = { chat: Chat, documents: Documents, search: Search, tools: Tools, speech: Speech, usage: Usage, keys: Keys, tenants: Tenants };

/** Whether the control plane's admin API answers (404 until it lands: the pages stay hidden). */
async function probe(path: string): Promise<boolean> {
  try {
    await api(path);
    return true;
  } catch (error) {
    return error instanceof ApiError && error.status !== 404 && error.status !== 403 && error.status !== 401;
  }
}

export function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [checking, setChecking] = useState(Boolean(getKey()));
  const [path, setPath] = useState(currentPath());
  const [adminApi, setAdminApi] = useState({ keys: false, tenants: false });
  const heading = useRef<HTMLHeadingElement>(null);

  const signIn = async (key: string) => {
    setError(null);
    try {
      const who = await api<Me>("/v1/me", { key });
      setKey(key);
      setMe(who);
      setAdminApi({ keys: await probe("/v1/admin/keys"), tenants: await probe("/v1/admin/tenants") });
    } catch (e) {
      forgetKey();
      setMe(null);
      setError(e);
    } finally {
      setChecking(false);
    }
  };
  const signOut = () => {
    forgetKey();
    setMe(null);
    setError(null);
  };

  useEffect(() => {
    const key = getKey();
    if (key) void signIn(key);
    const onPop = () => setPath(currentPath());
    addEventListener("popstate", onPop);
    return () => removeEventListener("popstate", onPop);
  }, []);
  // A new page moves focus to its heading, so screen readers announce it.
  useEffect(() => heading.current?.focus(), [path, me]);

  if (checking) return <p role="status">Checking your key…</p>;
  if (!me) return <SignIn onSubmit={signIn} error={error} />;

  const pages = PAGES.filter((p) => visible(p, me, adminApi));
  const page = pages.find((p) => p.path === path) ?? pages[0]!;
  const View = VIEWS[page.path as keyof typeof VIEWS];
  return (
    <div class="shell">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">AI platform console</span>
        <span class="who" data-testid="who">
          tenant <strong>{me.tenant.id}</strong> · key <code>{me.keyId}</code> · scopes {me.scopes.join(", ")}
        </span>
        <button type="button" class="secondary" onClick={signOut}>
          Sign out
        </button>
      </header>
      <nav aria-label="Pages">
        <ul>
          {pages.map((p) => (
            <li>
              <a
                href={`/console/${p.path}`}
                aria-current={p === page ? "page" : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(p.path);
                }}
              >
                {p.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main">
        <h1 tabIndex={-1} ref={heading}>
          {page.label}
        </h1>
        {page.scope && me.features[page.scope] === false ? (
          <ErrorView error={new ApiError(501, "not_enabled", notEnabledText(page.scope), null)} />
        ) : (
          <View me={me} />
        )}
      </main>
    </div>
  );
}

function notEnabledText(scope: string): string {
  const what = { tts: "TTS", ingest: "Document ingestion", chat: "Chat", search: "Search", tools: "Tools" }[scope] ?? scope;
  return `${what} is not enabled for this tenant. Ask the platform team to turn on features.${scope} in the tenant's configuration`;
}
