// A deadline for a promise whose timer is always cleared, so a settled call leaves nothing pending in the isolate.
export class TimeoutError extends Error {
  override name = "TimeoutError";
}

/**
 * Settles like `work`, or rejects once `ms` have passed with `onTimeout()` (a TimeoutError by default).
 * `work` itself is not cancelled; the caller can react to the rejection if a late result must be released.
 */
export async function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error = () => new TimeoutError(`timed out after ${ms} ms`)): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
