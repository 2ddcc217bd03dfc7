// Storage writes that need not hold an answer back (TenantUsage's bookkeeping of admissions, their reservations, large
// ones inside a cover (covers.ts), and settlements): kept in memory and run together by `flush`, which the owner calls
// before a write that must be durable or a read of what they change, or at most `delayMs` after the first of them.
// One commit, one disk flush, then carries several requests' writes; a crash loses at most the last `delayMs` of them
// (docs/faults.md).
export class DeferredWrites {
  private writes: (() => void)[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly delayMs: number;

  constructor(delayMs: number) {
    this.delayMs = delayMs;
  }

  add(write: () => void): void {
    this.writes.push(write);
    this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const writes = this.writes;
    this.writes = [];
    for (const write of writes) write();
  }
}
