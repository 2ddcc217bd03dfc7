// Asking a model for a JSON answer: the first JSON object in its text, checked against a valibot schema. Callers
// fall back to their rules when the model's answer does not pass (models do not always answer in JSON).
import * as v from "valibot";
import type { AiMessage } from "@platform/shared";
import type { ToolDeps } from "./tool.ts";

export async function askJson<S extends v.GenericSchema>(deps: ToolDeps, messages: AiMessage[], schema: S, maxTokens: number): Promise<{ value?: v.InferOutput<S>; model: string }> {
  const answer = await deps.chat({ messages, max_tokens: maxTokens, temperature: 0 });
  const parsed = v.safeParse(schema, firstJsonObject(answer.content));
  return parsed.success ? { value: parsed.output, model: answer.model } : { model: answer.model };
}

/** The first balanced `{...}` in text that parses as JSON, or undefined. */
export function firstJsonObject(text: string): unknown {
  for (let start = text.indexOf("{"); start >= 0; start = text.indexOf("{", start + 1)) {
    let depth = 0;
    let inString = false;
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        if (c === "\\") i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === "{") depth++;
      else if (c === "}" && --depth === 0) {
        try {
          return JSON.parse(text.slice(start, i + 1));
        } catch {
          break;
        }
      }
    }
  }
  return undefined;
}
