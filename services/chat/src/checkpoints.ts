// Checkpoints of a streamed answer into its ChatSession, so a Worker that dies mid-turn loses a bounded tail.

/**
 * When a streamed answer is checkpointed to its session: once CHECKPOINT_CHARS more characters have streamed, or a
 * delta arrives CHECKPOINT_MS after the last checkpoint. A crash loses less than CHECKPOINT_CHARS characters.
 */
export const CHECKPOINT_CHARS = 200;
export const CHECKPOINT_MS = 1000;

/** One checkpoint write at a time, in order; a failed one is logged and the stream goes on. */
export class Checkpoints {
  private chain: Promise<void> = Promise.resolve();
  private savedChars = 0;
  private savedAt = Date.now();

  constructor(private readonly write: () => Promise<void>) {}

  note(chars: number, now = Date.now()): boolean {
    if (chars - this.savedChars < CHECKPOINT_CHARS && now - this.savedAt < CHECKPOINT_MS) return false;
    this.savedChars = chars;
    this.savedAt = now;
    this.chain = this.chain.then(this.write).catch((error: unknown) => console.error(JSON.stringify({ service: "chat", event: "checkpoint_failed", error: String(error).slice(0, 200) })));
    return true;
  }

  /** Resolves once every checkpoint started so far is written (or failed). */
  settled(): Promise<void> {
    return this.chain;
  }
}
