// Search service entry: retrieval and cited answers over RPC for the gateway, chat and tools.
import { probes, type RequestContext, type RetrieveInput, type RetrieveResult, type SearchInput, type SearchResult, meteredAi } from "@platform/shared";
import { serviceEntrypoint } from "@platform/shared/service";
import { READ_TABLES } from "@platform/ingest/documents-db";
import { version } from "../package.json";
import { fusionKeywordWeight } from "./fuse.ts";
import { retrieve } from "./retrieve.ts";
import { search, type SearchDeps } from "./search.ts";

export class SearchService extends serviceEntrypoint<SearchEnv>({
  name: "search",
  version,
  probes: (env, ctx) => ({
    documents: probes.d1(env.DB, READ_TABLES),
    cache: probes.kv(env.CACHE, `${ctx.tenantId}:health`),
    vectors: probes.vectorize(env.VECTORIZE as unknown as Vectorize),
    ai: probes.ai(env.AI as unknown as Ai),
  }),
}) {
  /** Ranked chunks of the tenant's documents: hybrid (default), semantic or keyword; reranked on request. */
  async retrieve(ctx: RequestContext, input: RetrieveInput): Promise<RetrieveResult> {
    const { rewrite: _rewrite, ...result } = await retrieve(deps(this.env, this.ctx), ctx, input);
    return result;
  }

  /** An answer citing its sources as [n], with confidence, follow-ups and why; cached per tenant and index version. */
  async search(ctx: RequestContext, input: SearchInput): Promise<SearchResult> {
    return search(deps(this.env, this.ctx), ctx, input);
  }
}

function deps(env: SearchEnv, ctx: ExecutionContext): SearchDeps {
  return {
    db: env.DB,
    index: env.VECTORIZE as unknown as Vectorize,
    ai: meteredAi(env),
    keywordWeight: fusionKeywordWeight(env.ENVIRONMENT),
    kv: env.CACHE,
    waitUntil: (promise) => ctx.waitUntil(promise),
    settleMs: Number(env.INDEX_SETTLE_SECONDS) * 1000 || 0,
  };
}

export default SearchService;
