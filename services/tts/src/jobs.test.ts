// Long jobs in R2: status while pending, audio once done, failures recorded, and other tenants' ids answered 404.
import { describe, expect, it } from "vitest";
import { AppError, type TtsAudio } from "@platform/shared";
import { createJob, readJob, runJob, type JobBucket } from "./jobs.ts";
import { bytesOf, wav } from "./testing.ts";

function memoryBucket() {
  const objects = new Map<string, { value: Uint8Array | string; contentType?: string }>();
  const bucket: JobBucket = {
    async put(key, value, options) {
      objects.set(key, { value, contentType: options?.httpMetadata?.contentType });
    },
    async get(key) {
      const object = objects.get(key);
      if (!object) return null;
      const bytes = typeof object.value === "string" ? new TextEncoder().encode(object.value) : object.value;
      return { text: async () => new TextDecoder().decode(bytes), body: new Response(bytes).body as ReadableStream<Uint8Array> };
    },
  };
  return { bucket, objects };
}

const audio = (bytes: Uint8Array): TtsAudio => ({ provider: "local", model: "m", voice: "v", format: "wav", contentType: "audio/wav", characters: 5, parts: 1, audio: bytes });

const notFound = async (run: () => Promise<unknown>) => {
  try {
    await run();
  } catch (error) {
    return AppError.from(error).body.code;
  }
  return "found";
};

describe("jobs", () => {
  it("stores status and audio under the tenant's prefix and serves the audio once done", async () => {
    const { bucket, objects } = memoryBucket();
    const job = await createJob(bucket, "demo", "local", 5);
    expect((await readJob(bucket, "demo", job.id)).job.status).toBe("pending");
    const done = await runJob(bucket, "demo", job, async () => audio(wav(10)));
    expect(done).toMatchObject({ status: "done", format: "wav", contentType: "audio/wav", bytes: wav(10).length });
    expect([...objects.keys()].every((key) => key.startsWith("demo/tts-jobs/"))).toBe(true);
    const read = await readJob(bucket, "demo", job.id);
    expect(read.job.status).toBe("done");
    expect(await bytesOf(read.audio!)).toEqual(wav(10));
  });

  it("answers not_found for another tenant's job and for ids that are not job ids", async () => {
    const { bucket } = memoryBucket();
    const job = await createJob(bucket, "demo", "local", 5);
    expect(await notFound(() => readJob(bucket, "acme", job.id))).toBe("not_found");
    expect(await notFound(() => readJob(bucket, "demo", "../acme/x"))).toBe("not_found");
    expect(await notFound(() => readJob(bucket, "demo", crypto.randomUUID()))).toBe("not_found");
  });

  it("records a failed synthesis with its error code", async () => {
    const { bucket } = memoryBucket();
    const job = await createJob(bucket, "demo", "local", 5);
    await runJob(bucket, "demo", job, async () => Promise.reject(new AppError("upstream_error", "provider down")));
    expect((await readJob(bucket, "demo", job.id)).job).toMatchObject({ status: "failed", error: { code: "upstream_error", message: "provider down" } });
  });
});
