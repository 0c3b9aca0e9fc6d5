/**
 * A search space that cannot be used. `path` is the dotted path of the offending leaf
 * ("" for the space itself); the message starts with it, e.g.
 * `optimizer.lr: loguniform needs 0 < low < high, got low=0`.
 *
 * It extends Error rather than the project's TuneLabError because core/space imports
 * nothing else from the project.
 */
export class SearchSpaceError extends Error {
  override readonly name = "SearchSpaceError";
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(path === "" ? problem : `${path}: ${problem}`);
  }
}
