/**
 * The one error hierarchy. Callers tell the kinds apart by class, and the CLI by
 * `exitCode`: only bad input (an `OptionError`) exits 2.
 *
 * - OptionError: the user gave a bad option, flag, space or file field.
 * - ContractError: a component broke its interface contract (a scheduler chose a
 *   trial that is not a candidate, an executor was driven out of order).
 * - SavedStateError: saved state (experiment, scheduler, searcher, checkpoint) is
 *   corrupt or from an incompatible version.
 * - DeadlockError: the experiment can make no progress and has not ended.
 * - TrialError: a trial's user code failed or reported something unusable.
 *
 * This folder imports nothing, so every other folder (core/space included) may use it.
 */
export class TuneLabError extends Error {
  override readonly name: string = "TuneLabError";
  /** What was wrong: an option path, a component's method, a trial id; "" when nothing narrower applies. */
  readonly field: string;
  /** Process exit code the CLI uses for this error. */
  readonly exitCode: number = 1;
  constructor(field: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.field = field;
  }
}

/** A bad option or argument. The message starts with the option's name. */
export class OptionError extends TuneLabError {
  override readonly name: string = "OptionError";
  override readonly exitCode: number = 2;
  constructor(field: string, problem: string, options?: ErrorOptions) {
    super(field, field === "" ? problem : `${field}: ${problem}`, options);
  }
}

/** A component (scheduler, searcher, executor) broke the call contract it implements. */
export class ContractError extends TuneLabError {
  override readonly name = "ContractError";
  constructor(field: string, problem: string, options?: ErrorOptions) {
    super(field, field === "" ? problem : `${field}: ${problem}`, options);
  }
}

/** Saved state or a data file that cannot be loaded: corrupt, truncated, missing, or written by another version. */
export class SavedStateError extends TuneLabError {
  override readonly name = "SavedStateError";
  constructor(field: string, problem: string, options?: ErrorOptions) {
    super(field, field === "" ? problem : `${field}: ${problem}`, options);
  }
}

/** The experiment can make no progress: nothing runs, nothing can start, and it has not ended. */
export class DeadlockError extends TuneLabError {
  override readonly name = "DeadlockError";
  constructor(problem: string, options?: ErrorOptions) {
    super("", `deadlock: ${problem}`, options);
  }
}

/** A trial's user code failed or produced something unusable (a NaN metric, a missing metric, a throw). */
export class TrialError extends TuneLabError {
  override readonly name = "TrialError";
  constructor(
    readonly trialId: string,
    problem: string,
    options?: ErrorOptions,
  ) {
    super(trialId, `trial ${trialId}: ${problem}`, options);
  }
}
