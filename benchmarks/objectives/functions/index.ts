export type { SyntheticFunction } from "./synthetic-function.ts";
export { branin } from "./branin.ts";
export { hartmann3 } from "./hartmann3.ts";
export { hartmann6 } from "./hartmann6.ts";
export { rosenbrock } from "./rosenbrock.ts";
