// extract_entities: people, organisations, places, dates, amounts, emails, URLs and phone numbers in a text. The model
// answers in JSON; entities it names that are not in the text are dropped, and rules answer when the model's JSON fails.
import * as v from "valibot";
import { untrustedMessages } from "../guards.ts";
import { askJson } from "../model.ts";
import { defineTool } from "../tool.ts";

export const ENTITY_TYPES = ["person", "organization", "location", "name", "date", "money", "email", "url", "phone"] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export interface Entity {
  type: EntityType;
  text: string;
  count: number;
}

const MAX_ENTITIES = 100;

const ModelAnswer = v.object({
  entities: v.pipe(v.array(v.object({ type: v.picklist(ENTITY_TYPES), text: v.pipe(v.string(), v.minLength(1), v.maxLength(200)) })), v.maxLength(MAX_ENTITIES)),
});

export const extractEntities = defineTool({
  name: "extract_entities",
  description: "Find named entities in a text: person, organization, location, name, date, money, email, url, phone. Returns { entities: [{ type, text, count }], method }.",
  input: v.strictObject({
    text: v.pipe(v.string(), v.minLength(1), v.maxLength(30_000), v.description("The text to read.")),
    types: v.optional(v.pipe(v.array(v.picklist(ENTITY_TYPES)), v.minLength(1), v.description("Only these entity types (default: all)."))),
  }),
  scopes: ["tools"],
  limits: { maxInputBytes: 32 * 1024, timeoutMs: 30_000 },
  async handler(_ctx, args, deps) {
    const messages = untrustedMessages(
      "You extract named entities.",
      `List the entities in the text below as JSON: {"entities":[{"type":"<${ENTITY_TYPES.join("|")}>","text":"<exactly as written>"}]}. Answer with JSON only.`,
      args.text,
    );
    const answer = await askJson(deps, messages, ModelAnswer, 800);
    // Only entities that really occur in the text: a model talked into inventing some cannot pass them on.
    const fromModel = answer.value?.entities.filter((e) => args.text.toLowerCase().includes(e.text.toLowerCase()));
    const found = fromModel && fromModel.length > 0 ? fromModel : ruleEntities(args.text);
    const method = fromModel && fromModel.length > 0 ? "model" : "rules";
    const wanted = args.types ? new Set<EntityType>(args.types) : undefined;
    return { entities: tally(found.filter((e) => !wanted || wanted.has(e.type)), args.text), method };
  },
});

const RULES: [EntityType, RegExp][] = [
  ["email", /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g],
  ["url", /\bhttps?:\/\/[^\s<>"')\]]+[^\s<>"')\].,;:!?]/g],
  ["date", /\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{4}\b|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b/g],
  ["money", /[$€£¥]\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:k|m|bn|million|billion))?\b|\b\d[\d,]*(?:\.\d+)?\s?(?:USD|EUR|GBP|JPY|CHF|dollars|euros|pounds)\b/g],
  ["phone", /(?<![\w.])\+?\d[\d\s().-]{6,}\d(?![\w.])/g],
];

const NAME = /\b[A-Z][\p{L}'’-]+(?:[ \t]+[A-Z][\p{L}'’-]+)+\b/gu;

/** Deterministic extraction: patterns for emails, URLs, dates, amounts and phones; capitalised runs as names. */
export function ruleEntities(text: string): { type: EntityType; text: string }[] {
  const found: { type: EntityType; text: string; at: number }[] = [];
  const taken: [number, number][] = [];
  const overlaps = (start: number, end: number) => taken.some(([s, e]) => start < e && end > s);
  for (const [type, pattern] of [...RULES, ["name", NAME] as [EntityType, RegExp]]) {
    for (const match of text.matchAll(pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (overlaps(start, end)) continue;
      // A phone needs at least 7 digits; a run of digits that is a date or amount was taken above.
      if (type === "phone" && match[0].replace(/\D/g, "").length < 7) continue;
      taken.push([start, end]);
      found.push({ type, text: match[0].trim(), at: start });
    }
  }
  return found.sort((a, b) => a.at - b.at).map(({ type, text: t }) => ({ type, text: t }));
}

function tally(entities: { type: EntityType; text: string }[], text: string): Entity[] {
  const seen = new Map<string, Entity>();
  const lower = text.toLowerCase();
  for (const e of entities) {
    const key = `${e.type}\u0000${e.text.toLowerCase()}`;
    if (!seen.has(key)) seen.set(key, { type: e.type, text: e.text, count: Math.max(1, lower.split(e.text.toLowerCase()).length - 1) });
  }
  return [...seen.values()].slice(0, MAX_ENTITIES);
}
