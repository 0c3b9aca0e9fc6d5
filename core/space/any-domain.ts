import type { CategoricalDomain } from "./categorical-domain.ts";
import type { FloatDomain } from "./float-domain.ts";
import type { FunctionDomain } from "./function-domain.ts";
import type { GridDomain } from "./grid-domain.ts";
import type { IntDomain } from "./int-domain.ts";
import type { NormalDomain } from "./normal-domain.ts";

/** Every concrete Domain, discriminated by `type`. */
export type AnyDomain =
  | FloatDomain
  | IntDomain
  | NormalDomain
  | CategoricalDomain<unknown>
  | GridDomain<unknown>
  | FunctionDomain<unknown>;

/** Domains with a numeric value encoded as one coordinate. */
export type NumericDomain = FloatDomain | IntDomain | NormalDomain;
