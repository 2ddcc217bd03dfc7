// Search service entry: retrieval and cited answers over RPC for the gateway, chat and tools.
import { WorkerEntrypoint } from "cloudflare:workers";
import { rpcCall, type AiRunner, type RequestContext, type RetrieveInput, type RetrieveResult, type SearchInput, type SearchResult, type ServiceHealth } from "@platform/shared";
import { retrieve } from "./retrieve.ts";
import { search, type SearchDeps } from "./search.ts";

export class SearchService extends WorkerEntrypoint<SearchEnv> {
  async health(ctx: RequestContext): Promise<ServiceHealth> {
    return rpcCall("search", "health", ctx, async () => ({ service: "search", ok: true, version: "0.2.0" }));
  }

  /** Ranked chunks of the tenant's documents: hybrid (default), semantic or keyword; reranked on request. */
  async retrieve(ctx: RequestContext, input: RetrieveInput): Promise<RetrieveResult> {
    return rpcCall("search", "retrieve", ctx, async () => {
      const { rewrite: _rewrite, ...result } = await retrieve(deps(this.env, this.ctx), ctx, input);
      return result;
    });
  }

  /** An answer citing its sources as [n], with confidence, follow-ups and why; cached per tenant and index version. */
  async search(ctx: RequestContext, input: SearchInput): Promise<SearchResult> {
    return rpcCall("search", "search", ctx, () => search(deps(this.env, this.ctx), ctx, input));
  }
}

function deps(env: SearchEnv, ctx: ExecutionContext): SearchDeps {
  return {
    db: env.DB,
    index: env.VECTORIZE as unknown as Vectorize,
    ai: env.AI as Ai as AiRunner,
    kv: env.CACHE,
    waitUntil: (promise) => ctx.waitUntil(promise),
    settleMs: Number(env.INDEX_SETTLE_SECONDS) * 1000 || 0,
  };
}

export default SearchService;
