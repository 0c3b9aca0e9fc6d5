export { PB2, type PB2Options } from "./pb2.ts";
export type { SelectConfigSettings } from "./select-config.ts";
