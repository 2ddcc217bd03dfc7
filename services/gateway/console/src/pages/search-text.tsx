// Text helpers for search: citation markers [n] in an answer, and a passage with given words highlighted.
export function splitCitations(answer: string): (string | number)[] {
  const parts: (string | number)[] = [];
  let last = 0;
  for (const match of answer.matchAll(/\[(\d{1,3})\]/g)) {
    parts.push(answer.slice(last, match.index), Number(match[1]));
    last = match.index + match[0].length;
  }
  parts.push(answer.slice(last));
  return parts;
}

const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function Highlighted({ text, words }: { text: string; words: string[] }) {
  const unique = [...new Set(words.map((w) => w.toLowerCase()).filter((w) => w.length > 1))];
  if (unique.length === 0) return <>{text}</>;
  const pattern = new RegExp(`\\b(${unique.map(escape).join("|")})\\w*`, "gi");
  const parts: (string | { mark: string })[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    parts.push(text.slice(last, match.index), { mark: match[0] });
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return <>{parts.map((p) => (typeof p === "string" ? p : <mark>{p.mark}</mark>))}</>;
}
