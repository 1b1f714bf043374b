// The JSON log's way to stdout, a descriptor written synchronously (pino's default destination is synchronous too;
// bench/README.md has why the log batches its lines). What the other end cannot take now, a pipe whose reader has
// stopped reading (`npm start | less` left on one page, a harness that read the "listening" line and no more):
// EAGAIN, or part of a write. Those bytes wait, in order, and go out on a later write or flush, so no line is lost
// or cut while the backlog lasts; sonic-boom's own answer, retrying in a loop, held every request and every signal.
// Past STDOUT_BACKLOG_BYTES the next lines are dropped whole. A reader gone (EPIPE), a full disk (ENOSPC) or any
// other failure drops everything from then on: the logs are lost, nothing else.
import { writeSync } from 'node:fs';

/** Bytes of log kept for a pipe whose reader does not read now: 1 MiB. */
const STDOUT_BACKLOG_BYTES = 1024 * 1024;

export class StdoutPipe {
  private pending: Buffer[] = [];
  private bytes = 0;
  private failed = false;

  constructor(private readonly fd = 1) {}

  /** Queues `text` (whole lines) behind what waits, and writes what the descriptor takes now. */
  write(text: string): void {
    if (this.failed || text === '') return;
    const chunk = Buffer.from(text);
    // Dropped whole: a line is never written in part because the backlog was full.
    if (this.bytes > 0 && this.bytes + chunk.length > STDOUT_BACKLOG_BYTES) return;
    this.pending.push(chunk);
    this.bytes += chunk.length;
    this.drain();
  }

  /** Writes what waits, as far as the descriptor takes it now; never waits for it. */
  drain(): void {
    while (this.pending.length > 0) {
      const head = this.pending[0]!;
      let written: number;
      try {
        written = writeSync(this.fd, head);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN' || code === 'EBUSY') return;
        this.failed = true;
        this.pending = [];
        this.bytes = 0;
        return;
      }
      this.bytes -= written;
      if (written < head.length) this.pending[0] = head.subarray(written);
      else this.pending.shift();
    }
  }

  /** Bytes waiting for the reader. */
  get waiting(): number {
    return this.bytes;
  }
}
