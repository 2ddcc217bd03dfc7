// HTML to blocks with htmlparser2's tokenizer: headings, paragraphs, (nested) lists, tables and <pre> survive; scripts, styles and navigation go.
import { Parser } from "htmlparser2";
import { cleanBlocks, collapse, type Block } from "./blocks.ts";

const SKIP = new Set(["script", "style", "noscript", "template", "svg", "nav", "iframe", "object", "canvas", "select", "button"]);
const BLOCK = new Set([
  "p", "div", "section", "article", "header", "footer", "main", "aside", "blockquote", "figure", "figcaption", "address",
  "dl", "dt", "dd", "details", "summary", "form", "fieldset", "legend", "hr", "body", "html", "caption",
]);
const HEADING = /^h([1-6])$/;

export interface HtmlResult {
  blocks: Block[];
  /** The page's <title>, for documents sent without one. */
  title?: string;
}

export function htmlBlocks(html: string): HtmlResult {
  const blocks: Block[] = [];
  let text = "";
  let title = "";
  let inTitle = false;
  let skip = 0;
  let pre = 0;
  let heading = 0;
  const lists: { ordered: boolean; n: number }[] = [];
  let items: string[] | null = null;
  let table: { rows: string[][]; row: string[] | null } | null = null;
  let cell = false;

  /** Moves pending inline text to where it belongs: the current list item, table cell or a new paragraph. */
  const flush = () => {
    if (pre > 0 || cell || heading > 0) return;
    const t = collapse(text);
    text = "";
    if (!t) return;
    if (items && items.length > 0) items[items.length - 1] += (/[-.)]\s$/.test(items[items.length - 1]!) ? "" : " ") + t;
    else blocks.push({ kind: "paragraph", text: t });
  };

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (skip > 0 || SKIP.has(name) || attribs.hidden !== undefined || attribs["aria-hidden"] === "true") {
          skip++;
          return;
        }
        if (name === "title") inTitle = true;
        else if (name === "pre") {
          flush();
          pre++;
        } else if (name === "br") text += pre > 0 ? "\n" : " ";
        else if (HEADING.test(name) && !items && !table) {
          flush();
          heading = Number(name[1]);
        } else if (name === "ul" || name === "ol") {
          flush();
          lists.push({ ordered: name === "ol", n: Number(attribs.start ?? 1) - 1 });
          items ??= [];
        } else if (name === "li" && lists.length > 0) {
          flush();
          const list = lists[lists.length - 1]!;
          list.n++;
          items!.push(`${"  ".repeat(lists.length - 1)}${list.ordered ? `${list.n}.` : "-"} `);
        } else if (name === "table" && !table) {
          flush();
          table = { rows: [], row: null };
        } else if (name === "tr" && table) table.row = [];
        else if ((name === "td" || name === "th") && table) {
          text = "";
          cell = true;
        } else if (BLOCK.has(name)) flush();
      },
      ontext(data) {
        if (skip > 0) return;
        if (inTitle) title += data;
        else text += data;
      },
      onclosetag(name) {
        if (skip > 0) {
          // Skipped elements nest: every tag opened inside one was counted too.
          skip--;
          return;
        }
        if (name === "title") inTitle = false;
        else if (name === "pre" && pre > 0) {
          pre--;
          if (pre === 0) {
            blocks.push({ kind: "code", text: text.replace(/^\n/, "").replace(/\s+$/, "") });
            text = "";
          }
        } else if (HEADING.test(name) && heading > 0) {
          blocks.push({ kind: "heading", level: heading, text: collapse(text) });
          text = "";
          heading = 0;
        } else if ((name === "ul" || name === "ol") && lists.length > 0) {
          flush();
          lists.pop();
          if (lists.length === 0 && items) {
            blocks.push({ kind: "list", items });
            items = null;
          }
        } else if (name === "li") flush();
        else if ((name === "td" || name === "th") && table && cell) {
          (table.row ??= []).push(collapse(text));
          text = "";
          cell = false;
        } else if (name === "tr" && table?.row) {
          table.rows.push(table.row);
          table.row = null;
        } else if (name === "table" && table) {
          flush();
          blocks.push({ kind: "table", rows: table.rows });
          table = null;
        } else if (BLOCK.has(name)) flush();
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  flush();
  if (items) blocks.push({ kind: "list", items });
  if (table) blocks.push({ kind: "table", rows: (table as { rows: string[][] }).rows });
  const result: HtmlResult = { blocks: cleanBlocks(blocks) };
  const pageTitle = collapse(title);
  if (pageTitle) result.title = pageTitle;
  return result;
}
