// The console's pages, where they live under /console, and what a key needs to see each.
import type { Me } from "./session.ts";
import { hasScope } from "./session.ts";

export interface PageInfo {
  path: string;
  label: string;
  /** The scope (and tenant feature of the same name) the page uses; without one, every key sees the page. */
  scope?: string;
}

export const PAGES: PageInfo[] = [
  { path: "chat", label: "Chat", scope: "chat" },
  { path: "documents", label: "Documents", scope: "ingest" },
  { path: "search", label: "Search", scope: "search" },
  { path: "tools", label: "Tools", scope: "tools" },
  { path: "speech", label: "Speech", scope: "tts" },
  { path: "usage", label: "Usage" },
  { path: "keys", label: "Keys", scope: "admin" },
  { path: "tenants", label: "Tenants", scope: "platform" },
];

/** A page is shown when the key has its scope, or when the tenant has the feature off (the page then says so). */
export function visible(page: PageInfo, me: Me, adminApi: { keys: boolean; tenants: boolean }): boolean {
  if (page.path === "keys") return adminApi.keys && hasScope(me, "admin");
  if (page.path === "tenants") return adminApi.tenants;
  if (!page.scope) return true;
  return hasScope(me, page.scope) || me.features[page.scope] === false;
}

export const currentPath = (): string => location.pathname.replace(/^\/console\/?/, "").split("/")[0] ?? "";

export function navigate(path: string): void {
  history.pushState(null, "", `/console/${path}`);
  dispatchEvent(new PopStateEvent("popstate"));
}
