// Files to ingest documents: the content type from the extension, an id from the file name.
export const CONTENT_TYPES = ["text/plain", "text/markdown", "text/html", "application/json"] as const;

export interface NewDocument { id: string; text: string; contentType: string; title?: string }

const BY_EXTENSION: Record<string, string> = { md: "text/markdown", markdown: "text/markdown", html: "text/html", htm: "text/html", json: "application/json", txt: "text/plain" };

export async function toDocument(file: File): Promise<NewDocument> {
  const extension = file.name.split(".").pop()?.toLowerCase() ?? "";
  const contentType = BY_EXTENSION[extension] ?? (CONTENT_TYPES.includes(file.type as never) ? file.type : "text/plain");
  const id = file.name.replace(/[^A-Za-z0-9._:@-]+/g, "-").replace(/^[^A-Za-z0-9]+/, "").slice(0, 128) || `file-${Date.now()}`;
  return { id, title: file.name, contentType, text: await file.text() };
}
