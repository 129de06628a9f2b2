/**
 * The server's clock. Time is injected, never read from `Date.now()` elsewhere: the mock starts
 * at a configurable instant (so the same seed gives the same bytes) and either runs with real
 * elapsed time or stays frozen; tests and users can move it forward.
 */

/** A source of the current time in epoch milliseconds. */
export interface Clock {
  now(): number;
}

/** Clock settings. */
export interface ClockOptions {
  /** The instant the clock shows when the server starts (epoch ms). */
  readonly start: number;
  /** When true the clock only moves when told to. */
  readonly frozen: boolean;
  /** Monotonic milliseconds; injectable for tests. */
  readonly elapsed?: () => number;
}

/** The mock's movable clock. */
export class MockClock implements Clock {
  private offset = 0;
  private origin: number;
  private readonly elapsed: () => number;

  constructor(private readonly options: ClockOptions) {
    this.elapsed = options.elapsed ?? (() => performance.now());
    this.origin = this.elapsed();
  }

  /** The current mock time, whole milliseconds. */
  now(): number {
    const running = this.options.frozen ? 0 : this.elapsed() - this.origin;
    return Math.floor(this.options.start + this.offset + running);
  }

  /** Whether the clock moves only when told to. */
  get frozen(): boolean {
    return this.options.frozen;
  }

  /** Moves the clock forward (never backward: expiry and ordering assume time does not rewind). */
  advance(milliseconds: number): void {
    if (!(milliseconds >= 0)) throw new RangeError('the clock only moves forward');
    this.offset += milliseconds;
  }

  /** Back to the start instant, as when the server started. */
  restart(): void {
    this.offset = 0;
    this.origin = this.elapsed();
  }

  /**
   * Shows `epochMs` from now on, whichever way that moves it: only for restoring a saved state
   * (--state-file), where the saved time is the truth; requests move the clock only forward.
   */
  resume(epochMs: number): void {
    this.origin = this.elapsed();
    this.offset = epochMs - this.options.start;
  }

  /** Moves the clock to an instant not before now. */
  moveTo(epochMs: number): void {
    this.advance(epochMs - this.now());
  }
}
