// The chat twin's tool rule: which tool a user message asks for, and the arguments read from its text.
//
// Rule (also in README.md): when `tools` are given and the LAST message is a user message that mentions a
// tool's name as a whole word (case-insensitive; `get_weather` also matches "get weather"), the model
// answers with `tool_calls: [{ name, arguments }]` and an empty `response`. The earliest mention wins.
// Arguments: if the tool's JSON schema has exactly one required string property (or, with nothing
// required, exactly one string property), it gets the text after the tool's name; when that text contains
// a colon, only what follows the first colon; trimmed of spaces, quotes and leading punctuation; the whole
// message when nothing is left. Otherwise each property is read from `key=value`, `key: value` or
// `key="quoted value"` in the message and coerced to its schema type; missing ones are left out (`{}`).
import { isRecord } from "@platform/shared";

export interface ToolSpec {
  name: string;
  parameters: Record<string, unknown>;
}

export interface ToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

/** Accepts Workers AI's `{ name, parameters }` and OpenAI's `{ type: "function", function: { ... } }`. */
export function normalizeTools(tools: unknown): ToolSpec[] {
  if (tools === undefined) return [];
  if (!Array.isArray(tools)) throw new Error("`tools` must be an array");
  return tools.map((tool, i) => {
    const fn = isRecord(tool) && isRecord(tool.function) ? tool.function : tool;
    if (!isRecord(fn) || typeof fn.name !== "string" || fn.name === "") throw new Error(`tools[${i}] needs a non-empty \`name\``);
    return { name: fn.name, parameters: isRecord(fn.parameters) ? fn.parameters : {} };
  });
}

export function pickToolCall(tools: ToolSpec[], message: string): ToolCall | undefined {
  let best: { tool: ToolSpec; start: number; end: number } | undefined;
  for (const tool of tools) {
    const found = findMention(message, tool.name);
    if (found && (!best || found.start < best.start || (found.start === best.start && tool.name.length > best.tool.name.length))) {
      best = { tool, ...found };
    }
  }
  if (!best) return undefined;
  return { name: best.tool.name, arguments: toolArguments(best.tool.parameters, message, best.end) };
}

function findMention(message: string, name: string): { start: number; end: number } | undefined {
  const spellings = new Set([name, name.replace(/[_-]+/g, " ")]);
  let found: { start: number; end: number } | undefined;
  for (const spelling of spellings) {
    const match = new RegExp(`(^|[^\\p{L}\\p{N}_])(${escapeRegExp(spelling)})(?=$|[^\\p{L}\\p{N}_])`, "iu").exec(message);
    if (match && (!found || match.index < found.start)) {
      const start = match.index + match[1]!.length;
      found = { start, end: start + match[2]!.length };
    }
  }
  return found;
}

function toolArguments(schema: Record<string, unknown>, message: string, mentionEnd: number): Record<string, unknown> {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required.filter((k): k is string => typeof k === "string") : [];
  const isString = (key: string) => {
    const prop = properties[key];
    return isRecord(prop) && (prop.type === "string" || prop.type === undefined);
  };
  const stringProps = Object.keys(properties).filter(isString);
  const target = required.length === 1 && isString(required[0]!) ? required[0] : required.length === 0 && stringProps.length === 1 ? stringProps[0] : undefined;
  if (target !== undefined) return { [target]: textAfter(message, mentionEnd) };
  const args: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(properties)) {
    const match = new RegExp(`\\b${escapeRegExp(key)}\\s*[:=]\\s*(?:"([^"]*)"|'([^']*)'|([^\\s,;]+))`, "i").exec(message);
    if (!match) continue;
    const raw = match[1] ?? match[2] ?? match[3] ?? "";
    args[key] = coerce(raw, isRecord(prop) ? prop.type : undefined);
  }
  return args;
}

function textAfter(message: string, mentionEnd: number): string {
  let rest = message.slice(mentionEnd);
  const colon = rest.indexOf(":");
  if (colon >= 0) rest = rest.slice(colon + 1);
  rest = rest.trim().replace(/^[\s:,;.\-–—]+/, "").replace(/^["'“‘]+|["'”’]+$/g, "").trim();
  return rest === "" ? message.trim() : rest;
}

function coerce(raw: string, type: unknown): unknown {
  if ((type === "number" || type === "integer") && raw.trim() !== "" && Number.isFinite(Number(raw))) return Number(raw);
  if (type === "boolean" && /^(true|false)$/i.test(raw)) return raw.toLowerCase() === "true";
  return raw;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
