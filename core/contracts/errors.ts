/** Base class of every error TuneLab throws on purpose; `field` names what was wrong. */
export class TuneLabError extends Error {
  override readonly name: string = "TuneLabError";
}

/** A bad option or argument. The message starts with the option's name. */
export class OptionError extends TuneLabError {
  override readonly name = "OptionError";
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

/** A trial's objective produced something unusable (a NaN metric, a missing metric, a thrown error). */
export class TrialError extends TuneLabError {
  override readonly name = "TrialError";
  constructor(
    readonly trialId: string,
    problem: string,
  ) {
    super(`trial ${trialId}: ${problem}`);
  }
}
