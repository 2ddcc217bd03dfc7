// Long synthesis jobs: status and audio in R2 under `${tenantId}/tts-jobs/`; another tenant's job id is simply not there (404).
import { AppError, type TtsAudio, type TtsJob, type TtsJobAudio } from "@platform/shared";
import { readAll } from "./audio/bytes.ts";

/** The part of R2Bucket jobs use. */
export interface JobBucket {
  put(key: string, value: Uint8Array | string, options?: { httpMetadata?: { contentType?: string } }): Promise<unknown>;
  get(key: string): Promise<{ text(): Promise<string>; body: ReadableStream<Uint8Array> } | null>;
}

const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const statusKey = (tenantId: string, id: string) => `${tenantId}/tts-jobs/${id}.json`;
const audioKey = (tenantId: string, id: string) => `${tenantId}/tts-jobs/${id}.audio`;

export async function createJob(bucket: JobBucket, tenantId: string, provider: string, characters: number): Promise<TtsJob> {
  const now = new Date().toISOString();
  const job: TtsJob = { id: crypto.randomUUID(), status: "pending", characters, provider, createdAt: now, updatedAt: now };
  await saveStatus(bucket, tenantId, job);
  return job;
}

/** Synthesises the job's audio, stores it, and records the outcome; never throws (it runs after the answer). */
export async function runJob(bucket: JobBucket, tenantId: string, job: TtsJob, produce: () => Promise<TtsAudio>): Promise<TtsJob> {
  let done: TtsJob;
  try {
    const audio = await produce();
    const bytes = await readAll(audio.audio);
    await bucket.put(audioKey(tenantId, job.id), bytes, { httpMetadata: { contentType: audio.contentType } });
    done = { ...job, status: "done", format: audio.format, contentType: audio.contentType, bytes: bytes.byteLength, updatedAt: new Date().toISOString() };
  } catch (error) {
    const { code, message } = AppError.from(error).body;
    done = { ...job, status: "failed", error: { code, message }, updatedAt: new Date().toISOString() };
  }
  await saveStatus(bucket, tenantId, done).catch((error: unknown) => console.error(JSON.stringify({ service: "tts", jobId: job.id, error: String(error) })));
  return done;
}

export async function readJob(bucket: JobBucket, tenantId: string, id: string): Promise<TtsJobAudio> {
  const status = JOB_ID.test(id) ? await bucket.get(statusKey(tenantId, id)) : null;
  if (!status) throw new AppError("not_found", "TTS job not found");
  const job = JSON.parse(await status.text()) as TtsJob;
  if (job.status !== "done") return { job };
  const audio = await bucket.get(audioKey(tenantId, id));
  if (!audio) throw new AppError("not_found", "TTS job audio not found");
  return { job, audio: audio.body };
}

async function saveStatus(bucket: JobBucket, tenantId: string, job: TtsJob): Promise<void> {
  await bucket.put(statusKey(tenantId, job.id), JSON.stringify(job), { httpMetadata: { contentType: "application/json" } });
}
