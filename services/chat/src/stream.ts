// A streamed chat turn as SSE: meta, sources (rag), tool_call / tool_result pairs (tools), message deltas, usage,
// then done (or error). Cancelling it cancels the model call, and whatever was generated so far is still stored,
// marked incomplete; the answer is also checkpointed while it streams, so a Worker that dies mid-turn loses little. Without tools the model is called before the stream is returned, so its failure is an HTTP error.
import {
  AppError,
  chooseModel,
  sseFrame,
  streamChat,
  sumUsage,
  type AdmissionGate,
  type ChatInput,
  type ChatStreamEvents,
  type ChatStreamResult,
  type RequestContext,
  type TokenUsage,
} from "@platform/shared";
import { augment } from "./augment.ts";
import { Checkpoints } from "./checkpoints.ts";
import { runToolRounds } from "./tool-rounds.ts";
import { prepareTurn, retention, type ChatDeps } from "./turn.ts";

type Phase = "tools" | "stream" | "end";

export async function chatTurnStream(deps: ChatDeps, ctx: RequestContext, input: ChatInput, gate?: AdmissionGate): Promise<ReadableStream<Uint8Array>> {
  // The gateway's answer (the refusal) is the one the client sees; this error only stops the turn.
  if (gate && !(await gate().catch(() => false))) throw new AppError("rate_limited", "the request was not admitted");
  const setup = await prepareTurn(deps, ctx, input);
  const augmented = await augment(deps, ctx, input, setup.messages);
  const ai = { ai: deps.ai, ctx, service: "chat", model: input.model };
  const params = { max_tokens: input.max_tokens, temperature: input.temperature };
  let call: ChatStreamResult | undefined = augmented.tools.length ? undefined : await streamChat(ai, { messages: augmented.messages, ...params });
  const { session, sessionId } = setup;
  const messageId = crypto.randomUUID();
  let model = call?.model ?? chooseModel(ctx.tenant, "chat", input.model);
  // The answer is stored with the question, empty and incomplete, then checkpointed as it streams: a Worker that dies
  // mid-turn leaves [user, assistant (partial, incomplete)], never an unanswered user message.
  await session?.append(ctx.tenantId, [...setup.incoming, { id: messageId, role: "assistant", content: "", model, incomplete: true }], retention(ctx));

  let reader = call?.deltas.getReader();
  let phase: Phase = call ? "stream" : "tools";
  let usage: TokenUsage = augmented.usage;
  let text = "";
  let cancelled = false;
  let stored: Promise<void> | undefined;
  const save = (complete: boolean) => (session ? session.append(ctx.tenantId, [{ id: messageId, role: "assistant", content: text, model, incomplete: !complete }], retention(ctx)) : Promise.resolve());
  const checkpoints = new Checkpoints(() => save(false));
  const store = (complete: boolean): Promise<void> => (stored ??= checkpoints.settled().then(() => save(complete)));

  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(sseFrame("meta", sessionId ? { sessionId, model } : { model }));
      if (augmented.sources) controller.enqueue(sseFrame("sources", augmented.sources satisfies ChatStreamEvents["sources"]));
    },
    async pull(controller) {
      const send = (event: keyof ChatStreamEvents, data: unknown) => {
        if (!cancelled) controller.enqueue(sseFrame(event, data));
      };
      const finish = async (complete: boolean, failure?: AppError) => {
        phase = "end";
        if (cancelled) return;
        send("usage", usage);
        let error = failure;
        try {
          await store(complete);
        } catch (storeError) {
          error ??= AppError.from(storeError);
        }
        if (error) send("error", { code: error.body.code, message: error.body.message });
        else send("done", sessionId ? { sessionId, messageId } : { messageId });
        controller.close();
      };
      try {
        if (phase === "tools") {
          const rounds = await runToolRounds(deps, ctx, { ...params, model: input.model }, augmented.messages, augmented.tools, send);
          usage = sumUsage(usage, rounds.usage);
          if (rounds.answer) {
            model = rounds.answer.model;
            text = rounds.answer.content;
            if (text !== "") send("message", { content: text });
            return await finish(true);
          }
          // Every round called tools: the answer comes without tools, streamed.
          call = await streamChat(ai, { messages: rounds.messages, ...params });
          model = call.model;
          reader = call.deltas.getReader();
          phase = "stream";
          if (cancelled) await reader.cancel();
          return;
        }
        if (phase !== "stream" || !reader || !call) return;
        const { done, value } = await reader.read();
        if (!done) {
          text += value;
          send("message", { content: value });
          checkpoints.note(text.length);
          return;
        }
        const outcome = await call.outcome;
        text = outcome.text;
        usage = sumUsage(usage, outcome.usage);
        await finish(outcome.complete, outcome.error);
      } catch (error) {
        await finish(false, AppError.from(error));
      }
    },
    cancel(reason) {
      cancelled = true;
      const stop = reader && call ? reader.cancel(reason).then(() => call?.outcome) : Promise.resolve(undefined);
      deps.waitUntil(
        stop.then((outcome) => {
          if (outcome && phase === "stream") text = outcome.text;
          return store(false);
        }),
      );
    },
  });
}
