// Turns with rag and/or tools: grounding passages and the tools notice go in one system message before the
// conversation; the answer comes after the tool rounds (non-streamed here; stream.ts streams the same turn).
import { runChat, sumUsage, ZERO_USAGE, type AiMessage, type AiTool, type ChatInput, type ChatMessage, type ChatSource, type RequestContext, type TokenUsage } from "@platform/shared";
import type { SearchRpc, ToolsRpc } from "./ports.ts";
import { ground } from "./rag.ts";
import { offeredTools, runToolRounds, TOOLS_NOTICE, type RoundsDeps, type RoundsOutcome } from "./tool-rounds.ts";

export interface Augmented {
  /** What the model sees first: the system message (passages, tools notice), then the conversation. */
  messages: AiMessage[];
  sources?: ChatSource[];
  /** The tools offered to the model; empty without `tools` (or when the caller may use none). */
  tools: AiTool[];
  /** Tokens spent before the model is asked (retrieval). */
  usage: TokenUsage;
}

export async function augment(deps: { search: SearchRpc; tools: ToolsRpc }, ctx: RequestContext, input: ChatInput, conversation: ChatMessage[]): Promise<Augmented> {
  const [grounding, tools] = await Promise.all([
    input.rag ? ground(deps.search, ctx, conversation) : undefined,
    input.tools ? offeredTools(deps.tools, ctx, input.tools.names) : [],
  ]);
  // The tenant's system prompt (tenant config `prompts.system`) leads; the grounding keeps the platform's guard.
  const system = [ctx.tenant.prompts?.system, grounding?.message.content, tools.length ? TOOLS_NOTICE : undefined].filter((s): s is string => s !== undefined);
  const messages: AiMessage[] = [...(system.length ? [{ role: "system", content: system.join("\n") }] : []), ...conversation];
  const usage = grounding ? { prompt_tokens: grounding.tokens, completion_tokens: 0, total_tokens: grounding.tokens } : ZERO_USAGE;
  return grounding ? { messages, sources: grounding.sources, tools, usage } : { messages, tools, usage };
}

export interface AugmentedAnswer {
  model: string;
  content: string;
  usage: TokenUsage;
  toolCalls?: RoundsOutcome["calls"];
}

/** The non-streamed answer: tool rounds when tools are offered, then (if they used every round) a final call without tools. */
export async function augmentedAnswer(deps: RoundsDeps, ctx: RequestContext, input: ChatInput, augmented: Augmented): Promise<AugmentedAnswer> {
  const params = { model: input.model, max_tokens: input.max_tokens, temperature: input.temperature };
  const ai = { ai: deps.ai, ctx, service: "chat", model: input.model };
  if (augmented.tools.length === 0) {
    const reply = await runChat(ai, { messages: augmented.messages, max_tokens: input.max_tokens, temperature: input.temperature });
    return { model: reply.model, content: reply.content, usage: sumUsage(augmented.usage, reply.usage) };
  }
  const rounds = await runToolRounds(deps, ctx, params, augmented.messages, augmented.tools, () => {});
  let usage = sumUsage(augmented.usage, rounds.usage);
  let answer = rounds.answer;
  if (!answer) {
    const final = await runChat(ai, { messages: rounds.messages, max_tokens: input.max_tokens, temperature: input.temperature });
    usage = sumUsage(usage, final.usage);
    answer = { content: final.content, model: final.model };
  }
  return { model: answer.model, content: answer.content, usage, toolCalls: rounds.calls };
}
