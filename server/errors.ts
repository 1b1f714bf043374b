// The emulator's own failures, one class per source. Each carries the exit code a command line ends with
// when it meets one, so every entry point has a single catch (bin/exit.ts); the HTTP side maps them all to
// Graph's envelope in one place (graphErrors.ts, toGraphError).

export abstract class EmulatorError extends Error {
  /** What a command line exits with when this error stops it. */
  abstract readonly exitCode: number;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A setting (flag, environment variable, config file, faults file) that cannot be used. */
export class ConfigError extends EmulatorError {
  readonly exitCode = 2;
}

/** A fault rule or throttling profile that does not follow fixtures/faults.schema.json. */
export class FaultRuleError extends EmulatorError {
  readonly exitCode = 2;
}

/** A record that does not follow its resource schema (a request body, a fixtures file, a reset body). */
export class ValidationError extends EmulatorError {
  readonly exitCode = 1;
}

/** A fixtures file or reset body the emulator cannot load. */
export class FixtureError extends EmulatorError {
  readonly exitCode = 1;
}

export type StoreErrorKind = 'conflict' | 'corrupt' | 'locked' | 'io' | 'full' | 'gone';

/** The data file: a duplicate id, a damaged file, a second process, the disk, the tenant limit, or a dropped tenant. */
export class StoreError extends EmulatorError {
  readonly exitCode = 1;

  constructor(
    readonly kind: StoreErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** A command-line usage mistake (an unknown flag, a bad count). */
export class UsageError extends EmulatorError {
  readonly exitCode = 2;
}
