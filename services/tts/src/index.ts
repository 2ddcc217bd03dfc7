// TTS service entry: speech synthesis over RPC through the tenant's provider adapter (see registry.ts), long jobs in R2.
import {
  probes,
  type AiRunner,
  type RequestContext,
  type TtsAudio,
  type TtsJob,
  type TtsJobAudio,
  type TtsProviderInfo,
  type TtsSynthesisInput,
  meteredAi,
} from "@platform/shared";
import { serviceEntrypoint } from "@platform/shared/service";
import { version } from "../package.json";
import type { AdapterDeps } from "./adapters/types.ts";
import { ttsAi } from "./ai.ts";
import { createJob, readJob, runJob } from "./jobs.ts";
import { planSpeech, providerInfo } from "./plan.ts";
import { synthesize, type SynthesizeOptions } from "./speech.ts";

export class TtsService extends serviceEntrypoint<TtsEnv>({
  name: "tts",
  version,
  probes: (env, ctx) => ({ audio: probes.r2(env.AUDIO, `${ctx.tenantId}/health`), ai: probes.ai(env.AI as unknown as Ai) }),
}) {
  /** The tenant's provider: model, voices, formats and limits. */
  async voices(ctx: RequestContext): Promise<TtsProviderInfo> {
    return providerInfo(ctx.tenant);
  }

  /** Audio for the text: a stream as the provider produces it, or with `whole` the complete file. */
  async synthesize(ctx: RequestContext, input: TtsSynthesisInput, options: SynthesizeOptions = {}): Promise<TtsAudio> {
    return synthesize(planSpeech(ctx.tenant, input), deps(this.env, ctx), options);
  }

  /** Accepts a long synthesis (checked like `synthesize`), runs it after answering, stores the audio in R2. */
  async startJob(ctx: RequestContext, input: TtsSynthesisInput): Promise<TtsJob> {
    const plan = planSpeech(ctx.tenant, input);
    const job = await createJob(this.env.AUDIO, ctx.tenantId, plan.adapter.name, plan.characters);
    this.ctx.waitUntil(runJob(this.env.AUDIO, ctx.tenantId, job, () => synthesize(plan, deps(this.env, ctx), { whole: true })));
    return job;
  }

  /** A job of the caller's tenant, with its audio once done; any other id is not_found. */
  async job(ctx: RequestContext, id: string): Promise<TtsJobAudio> {
    return readJob(this.env.AUDIO, ctx.tenantId, id);
  }
}

function deps(env: TtsEnv, ctx: RequestContext): AdapterDeps {
  // Workers AI in staging and production, the local twin (same interface) in development.
  const ai: AiRunner = meteredAi(env);
  // Provider keys are Worker secrets (`TTS_API_KEY_<TENANT>`), never vars, so they are not part of the generated Env.
  const secrets = env as unknown as Record<string, unknown>;
  return {
    ctx,
    ai: ttsAi(ai, ctx),
    fetch: (input, init) => fetch(input, init),
    secret: (name) => (typeof secrets[name] === "string" && secrets[name] !== "" ? (secrets[name] as string) : undefined),
  };
}

export default TtsService;
