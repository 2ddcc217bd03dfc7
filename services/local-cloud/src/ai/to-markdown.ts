// Twin of Workers AI's document conversion (`env.AI.toMarkdown(files, options)`): PDF through unpdf (pdf.js built for
// serverless runtimes) in the layout Workers AI documents ("# name", "## Metadata", "## Contents", "### Page N"), DOCX
// through mammoth, text formats as they are. A file it cannot read is a per-file `format: "error"`, never a throw.
import { RpcTarget } from "cloudflare:workers";
import mammoth from "mammoth";
import { extractText, getDocumentProxy, getMeta } from "unpdf";

export const PDF = "application/pdf";
export const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

const BY_EXTENSION: Record<string, string> = {
  pdf: PDF,
  docx: DOCX,
  md: "text/markdown",
  markdown: "text/markdown",
  txt: "text/plain",
  html: "text/html",
  htm: "text/html",
  csv: "text/csv",
  xml: "application/xml",
};

/** The formats the twin converts, as `toMarkdown().supported()` lists them. */
export const SUPPORTED: SupportedFileFormat[] = Object.entries(BY_EXTENSION).map(([extension, mimeType]) => ({ extension: `.${extension}`, mimeType }));

/** Metadata keys Workers AI lists for a PDF (those pdf.js reports; others are left out). */
const PDF_INFO_KEYS = ["PDFFormatVersion", "IsLinearized", "IsAcroFormPresent", "IsXFAPresent", "IsCollectionPresent", "IsSignaturesPresent", "Producer", "Creator", "Author", "Title", "Subject"];

// mammoth's Markdown writer is not in its type declarations (its docs call it deprecated), but it ships and is tested.
const markdownWriter = mammoth as unknown as { convertToMarkdown(input: { arrayBuffer: ArrayBuffer }): Promise<{ value: string }> };

export async function convertFiles(files: MarkdownDocument | MarkdownDocument[], options?: ConversionRequestOptions): Promise<ConversionResponse | ConversionResponse[]> {
  if (Array.isArray(files)) return Promise.all(files.map((file) => convertOne(file, options?.conversionOptions)));
  return convertOne(files, options?.conversionOptions);
}

async function convertOne(file: MarkdownDocument, options: ConversionOptions | undefined): Promise<ConversionResponse> {
  const id = crypto.randomUUID();
  const name = String(file?.name ?? "");
  if (!(file?.blob instanceof Blob)) return { id, name, mimeType: "", format: "error", error: "blob must be a Blob" };
  const bytes = new Uint8Array(await file.blob.arrayBuffer());
  const mimeType = detectType(bytes, name, file.blob.type);
  try {
    const data = await convertBytes(bytes, name, mimeType, options);
    const format = options?.output?.format ?? "markdown";
    return { id, name, mimeType, format, tokens: Math.ceil(data.length / 4), data };
  } catch (error) {
    return { id, name, mimeType, format: "error", error: error instanceof Error ? error.message : String(error) };
  }
}

async function convertBytes(bytes: Uint8Array, name: string, mimeType: string, options: ConversionOptions | undefined): Promise<string> {
  switch (mimeType) {
    case PDF:
      return pdfMarkdown(bytes, name, options?.pdf?.metadata !== false);
    case DOCX:
      return (await markdownWriter.convertToMarkdown({ arrayBuffer: bytes.slice().buffer })).value.trim();
    case "":
      throw new Error(`unsupported file format: ${name}`);
    default:
      return new TextDecoder().decode(bytes);
  }
}

async function pdfMarkdown(bytes: Uint8Array, name: string, withMetadata: boolean): Promise<string> {
  // pdf.js takes ownership of the buffer it is given; each call gets its own copy.
  const pdf = await getDocumentProxy(bytes.slice());
  try {
    const { text } = await extractText(pdf, { mergePages: false });
    const lines = [`# ${name}`];
    if (withMetadata) {
      const { info } = await getMeta(pdf);
      const entries = PDF_INFO_KEYS.filter((k) => info[k] !== undefined && info[k] !== "").map((k) => `- ${k}=${String(info[k])}`);
      lines.push("## Metadata", ...entries, "");
    }
    lines.push("## Contents");
    text.forEach((page, i) => lines.push(`### Page ${i + 1}`, page.trim(), ""));
    return lines.join("\n").trim();
  } finally {
    await pdf.loadingTask.destroy();
  }
}

/** The type by content (a PDF header, a zip with a Word document), then by the declared type, then by extension. */
export function detectType(bytes: Uint8Array, name: string, declared: string): string {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 1024));
  if (head.includes("%PDF-")) return PDF;
  const extension = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? "";
  if (head.startsWith("PK\u0003\u0004") && (extension === "docx" || declared === DOCX || head.includes("word/"))) return DOCX;
  if (Object.values(BY_EXTENSION).includes(declared) && declared !== PDF && declared !== DOCX) return declared;
  return BY_EXTENSION[extension] ?? "";
}

/** What `toMarkdown()` without arguments returns: the same conversion, and the list of formats. */
export class ToMarkdownTwin extends RpcTarget {
  transform(files: MarkdownDocument | MarkdownDocument[], options?: ConversionRequestOptions): Promise<ConversionResponse | ConversionResponse[]> {
    return convertFiles(files, options);
  }

  supported(): SupportedFileFormat[] {
    return SUPPORTED;
  }
}
