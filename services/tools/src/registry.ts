// The registry as clients and models see it: each tool's name, description, limits and arguments as JSON Schema
// (converted from its valibot schema).
import { toJsonSchema } from "@valibot/to-json-schema";
import type { JsonSchemaObject, ToolInfo } from "@platform/shared";
import type { AnyTool } from "./tool.ts";

const schemas = new WeakMap<AnyTool, JsonSchemaObject>();

/**
 * The JSON Schema of a tool's arguments. Actions JSON Schema cannot express (trim, custom checks) are left out: the
 * service still applies them. `required` is always present, as Workers AI's tool parameters require it.
 */
export function parametersOf(tool: AnyTool): JsonSchemaObject {
  let schema = schemas.get(tool);
  if (!schema) {
    const { $schema: _draft, ...rest } = toJsonSchema(tool.input, { errorMode: "ignore", typeMode: "input" }) as JsonSchemaObject;
    schema = { ...rest, required: Array.isArray(rest.required) ? rest.required : [] };
    schemas.set(tool, schema);
  }
  return schema;
}

export function toolInfo(tool: AnyTool): ToolInfo {
  return { name: tool.name, description: tool.description, parameters: parametersOf(tool), scopes: [...tool.scopes], limits: { ...tool.limits } };
}

export function findTool(tools: readonly AnyTool[], name: string): AnyTool | undefined {
  return tools.find((tool) => tool.name === name);
}

