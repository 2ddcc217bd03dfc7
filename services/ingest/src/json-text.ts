// JSON to readable blocks: scalar fields become "Key: value" lines, nested objects and arrays of objects become sections.
import { RejectError, type Block } from "./blocks.ts";

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const MAX_DEPTH = 6;
const NAME_KEYS = ["title", "name", "id", "key", "label"];

export function jsonBlocks(source: string): Block[] {
  let value: Json;
  try {
    value = JSON.parse(source) as Json;
  } catch (error) {
    throw new RejectError("invalid_request", `text is not valid JSON: ${error instanceof Error ? error.message : "parse error"}`);
  }
  const blocks: Block[] = [];
  emit(value, 1, blocks);
  return blocks;
}

/** "shippingTime" and "shipping_time" both read "Shipping time". */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_\-.]+/g, " ")
    .trim()
    .toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : key;
}

function emit(value: Json, level: number, blocks: Block[]): void {
  if (isScalar(value)) {
    blocks.push({ kind: "paragraph", text: scalarText(value) });
    return;
  }
  if (Array.isArray(value)) {
    emitArray(value, undefined, level, blocks);
    return;
  }
  const lines: string[] = [];
  const nested: [string, Json][] = [];
  for (const [key, child] of Object.entries(value)) {
    if (isScalar(child)) lines.push(`${humanize(key)}: ${scalarText(child)}`);
    else if (Array.isArray(child) && child.every(isScalar)) lines.push(`${humanize(key)}: ${child.map(scalarText).join(", ")}`);
    else nested.push([key, child]);
  }
  if (lines.length) blocks.push({ kind: "list", items: lines });
  for (const [key, child] of nested) {
    if (level > MAX_DEPTH) {
      blocks.push({ kind: "paragraph", text: `${humanize(key)}: ${JSON.stringify(child)}` });
      continue;
    }
    if (Array.isArray(child)) emitArray(child, key, level, blocks);
    else {
      blocks.push({ kind: "heading", level: Math.min(level, 6), text: humanize(key) });
      emit(child, level + 1, blocks);
    }
  }
}

function emitArray(items: Json[], key: string | undefined, level: number, blocks: Block[]): void {
  if (items.every(isScalar)) {
    blocks.push({ kind: "list", items: items.map((i) => `- ${scalarText(i)}`) });
    return;
  }
  if (key !== undefined) blocks.push({ kind: "heading", level: Math.min(level, 6), text: humanize(key) });
  const inner = key === undefined ? level : level + 1;
  items.forEach((item, i) => {
    blocks.push({ kind: "heading", level: Math.min(inner, 6), text: itemName(item, key, i) });
    emit(item, inner + 1, blocks);
  });
}

function itemName(item: Json, key: string | undefined, i: number): string {
  if (item !== null && typeof item === "object" && !Array.isArray(item)) {
    for (const k of NAME_KEYS) {
      const v = item[k];
      if (typeof v === "string" && v.trim() !== "") return v.trim();
      if (typeof v === "number") return `${humanize(key ?? "item")} ${v}`;
    }
  }
  return `${humanize(key ?? "item")} ${i + 1}`;
}

function isScalar(value: Json): value is string | number | boolean | null {
  return value === null || typeof value !== "object";
}

function scalarText(value: string | number | boolean | null): string {
  return value === null ? "none" : String(value);
}
