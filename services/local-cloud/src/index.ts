// Local cloud: dev-only twins of Workers AI (LocalAI) and Vectorize (LocalVectorize), bound by services as AI and VECTORIZE.
import { WorkerEntrypoint } from "cloudflare:workers";
import { DurableObject } from "cloudflare:workers";

export class LocalAI extends WorkerEntrypoint<LocalCloudEnv> {}
export class LocalVectorize extends WorkerEntrypoint<LocalCloudEnv> {}
export class VectorIndex extends DurableObject<LocalCloudEnv> {}

export default class extends WorkerEntrypoint<LocalCloudEnv> {
  override async fetch(): Promise<Response> {
    return new Response("local-cloud is reachable only through service bindings", { status: 404 });
  }
}
