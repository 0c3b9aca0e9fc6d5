export { PB2, type PB2Options } from "./pb2.ts";
export type { Pb2Bound, Pb2BoundSpec } from "./hyperparams.ts";
export type { SelectConfigSettings } from "./select-config.ts";
