// Local cloud: dev-only twins of Workers AI (LocalAI) and Vectorize (LocalVectorize), bound by services as AI and VECTORIZE.
import { WorkerEntrypoint } from "cloudflare:workers";
import { EMBEDDING_DIMENSIONS, modelKind } from "./ai/models.ts";
import { parseFault, withFault } from "./ai/faults.ts";
import { runModel, type RunOutput } from "./ai/run.ts";
import { convertFiles, ToMarkdownTwin } from "./ai/to-markdown.ts";
import { handleShim } from "./shim.ts";
import { indexConfig, type IndexConfig, type VectorizeProps } from "./vectorize/config.ts";
import { checkId, checkIds, checkQueryOptions, checkValues, checkVectors } from "./vectorize/limits.ts";
export { VectorIndex } from "./vectorize/index-object.ts";

/** Workers AI twin: `env.AI.run(model, inputs, options)`. */
export class LocalAI extends WorkerEntrypoint<LocalCloudEnv> {
  async run(model: string, inputs: Record<string, unknown>, options?: AiOptions): Promise<RunOutput | Response> {
    // A fault marker in the name (ai/faults.ts) picks a failure; the rest of the name picks the model.
    const { fault, model: base } = typeof model === "string" ? parseFault(model) : { model };
    const output = (await withFault(fault, model, () => runModel(base, inputs))) as RunOutput;
    return options?.returnRawResponse ? rawResponse(model, output) : output;
  }

  /** `env.AI.toMarkdown(files, options?)`; with no arguments, the `{ transform, supported }` handle. */
  async toMarkdown(files?: MarkdownDocument | MarkdownDocument[], options?: ConversionRequestOptions): Promise<ConversionResponse | ConversionResponse[] | ToMarkdownTwin> {
    return files === undefined ? new ToMarkdownTwin() : convertFiles(files, options);
  }

  /** The catalogue read health probes use (`ai.models()`): the twin's fixed models, as Workers AI lists them. */
  async models(params?: { per_page?: number }): Promise<{ name: string; task: { name: string } }[]> {
    const all = [...Object.keys(EMBEDDING_DIMENSIONS).map((name) => ({ name, task: { name: "Text Embeddings" } })), { name: "@cf/meta/llama-3.1-8b-instruct", task: { name: "Text Generation" } }];
    return all.slice(0, params?.per_page ?? all.length);
  }
}

/** Vectorize (V2) twin; the binding's props name the index and give its dimensions and metric. */
export class LocalVectorize extends WorkerEntrypoint<LocalCloudEnv, VectorizeProps> {
  async describe(): Promise<VectorizeIndexInfo> {
    return this.index().describe(this.config());
  }

  async query(vector: VectorFloatArray | number[], options?: VectorizeQueryOptions): Promise<VectorizeMatches> {
    const config = this.config();
    return this.index().query(config, checkValues("QUERY", "query vector", vector, config.dimensions), checkQueryOptions(options));
  }

  async queryById(vectorId: string, options?: VectorizeQueryOptions): Promise<VectorizeMatches> {
    checkId("QUERY", vectorId);
    return this.index().queryById(this.config(), vectorId, checkQueryOptions(options));
  }

  async insert(vectors: VectorizeVector[]): Promise<VectorizeAsyncMutation> {
    const config = this.config();
    return this.index().write(config, "INSERT", checkVectors("INSERT", vectors, config.dimensions));
  }

  async upsert(vectors: VectorizeVector[]): Promise<VectorizeAsyncMutation> {
    const config = this.config();
    return this.index().write(config, "UPSERT", checkVectors("UPSERT", vectors, config.dimensions));
  }

  async deleteByIds(ids: string[]): Promise<VectorizeAsyncMutation> {
    return this.index().deleteByIds(this.config(), checkIds("DELETE", ids));
  }

  async getByIds(ids: string[]): Promise<VectorizeVector[]> {
    return this.index().getByIds(this.config(), checkIds("GET", ids));
  }

  private config(): IndexConfig {
    return indexConfig(this.ctx.props);
  }

  private index() {
    return this.env.VECTOR_INDEX.getByName(this.config().index);
  }
}

/** Dev-only HTTP shim so tests can reach the twins over real RPC (see shim.ts); nothing else calls it. */
export default class LocalCloud extends WorkerEntrypoint<LocalCloudEnv> {
  override async fetch(request: Request): Promise<Response> {
    return handleShim(request, this.ctx.exports);
  }
}

function rawResponse(model: string, output: RunOutput): Response {
  if (!(output instanceof ReadableStream)) return Response.json(output);
  return new Response(output, { headers: { "content-type": modelKind(model)?.kind === "chat" ? "text/event-stream" : "audio/wav" } });
}
