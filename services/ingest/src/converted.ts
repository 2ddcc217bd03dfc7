// Workers AI's Markdown of a converted file, made into ingest text. The converter's own wrapping goes (the "# <file
// name>" line, a PDF's "## Metadata" list and "## Contents" heading), a PDF's `Title=` stays as the document's title,
// and its "### Page N" headings become page breaks: a form feed before each page, which normalising turns into page
// markers so chunks can cite their page. Without page headings the text has no breaks and chunks carry no page.

export const PAGE_BREAK = "\f";

export interface ConvertedText {
  text: string;
  title?: string;
}

const HEADING = /^#{1,6}\s+(.*?)\s*#*\s*$/;
const PAGE_HEADING = /^#{1,6}\s+Page\s+(\d{1,5})\s*$/i;
const METADATA_ITEM = /^\s*[-*]\s+([A-Za-z]+)=(.*)$/;

export function convertedText(markdown: string, name: string, paged: boolean): ConvertedText {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  let i = 0;
  const skipBlank = () => {
    while (i < lines.length && lines[i]!.trim() === "") i++;
  };
  skipBlank();
  if (HEADING.exec(lines[i] ?? "")?.[1] === name && lines[i]!.startsWith("# ")) i++;
  if (!paged) return { text: lines.slice(i).join("\n").trim() };

  let title: string | undefined;
  skipBlank();
  if (/^##\s+Metadata\s*$/i.test(lines[i] ?? "")) {
    for (i++; i < lines.length && !lines[i]!.startsWith("#"); i++) {
      const item = METADATA_ITEM.exec(lines[i]!);
      if (item?.[1] === "Title" && item[2]!.trim()) title = item[2]!.trim();
    }
  }
  skipBlank();
  if (/^##\s+Contents\s*$/i.test(lines[i] ?? "")) i++;

  // Page headings are the converter's when they count up; a heading "Page 2" inside page 5 is the document's own.
  const pages: string[][] = [[]];
  for (; i < lines.length; i++) {
    const page = PAGE_HEADING.exec(lines[i]!);
    const number = page ? Number(page[1]) : 0;
    if (number > pages.length - 1) {
      while (pages.length <= number) pages.push([]);
      continue;
    }
    pages[pages.length - 1]!.push(lines[i]!);
  }
  const [before, ...numbered] = pages.map((p) => p.join("\n").trim());
  const result: ConvertedText = {
    text: numbered.length === 0 ? before! : [before, ...numbered.map((p) => PAGE_BREAK + p)].filter((p) => p !== "").join("\n\n"),
  };
  if (title) result.title = title;
  return result;
}
