// The signed-in key: kept in sessionStorage only (gone when the tab closes), never in localStorage or a URL.
const KEY = "console.apiKey";

export const getKey = (): string | null => sessionStorage.getItem(KEY);
export const setKey = (key: string): void => sessionStorage.setItem(KEY, key);
export const forgetKey = (): void => sessionStorage.removeItem(KEY);

/** What GET /v1/me says the key may do. */
export interface Me {
  tenant: { id: string; name: string };
  keyId: string;
  scopes: string[];
  features: Record<string, boolean>;
}

export const hasScope = (me: Me, scope: string): boolean => me.scopes.includes("*") || me.scopes.includes(scope);
