// Public API of the search-space DSL. Nothing from _internals/ is exported.
export { SearchSpaceError } from "./errors.ts";
export type { Uniform01 } from "./random.ts";
export type { Space, Config, Infer } from "./types.ts";
export { Domain, isDomain } from "./domain.ts";
export type { AnyDomain, NumericDomain } from "./any-domain.ts";
export { FloatDomain, uniform, quniform, loguniform, qloguniform, type FloatDomainName } from "./float-domain.ts";
export { IntDomain, randint, qrandint, lograndint, qlograndint, type IntDomainName } from "./int-domain.ts";
export { NormalDomain, randn, qrandn } from "./normal-domain.ts";
export { CategoricalDomain, choice } from "./categorical-domain.ts";
export { GridDomain, grid } from "./grid-domain.ts";
export { FunctionDomain, sampleFrom, type SampleFromFn } from "./function-domain.ts";
export { validateSpace } from "./validate.ts";
export { spaceFromPlain } from "./from-plain.ts";
export { sampleConfig, type SampleOptions } from "./sample.ts";
export { sampleNumeric, sampleChoiceIndex } from "./sample-domain.ts";
export { expandGrid, countGridVariants, gridLeaves } from "./grid.ts";
export { rangeLeafPaths, toGridSpace } from "./to-grid-space.ts";
export { valueToUnit, unitToValue, NORMAL_UNIT_MARGIN } from "./unit.ts";
export { domainContains, optionMatches } from "./contains.ts";
export {
  createEncoding,
  dimensionsOf,
  type SpaceEncoding,
  type EncodedDimension,
  type EncodingOptions,
  type ActiveCondition,
} from "./encoding.ts";
