import { OptionError } from "../errors/index.ts";

/**
 * A search space that cannot be used. `path` (also `field`) is the dotted path of the
 * offending leaf ("" for the space itself); the message starts with it, e.g.
 * `optimizer.lr: loguniform needs 0 < low < high, got low=0`.
 */
export class SearchSpaceError extends OptionError {
  override readonly name = "SearchSpaceError";
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(path, problem);
  }
}
