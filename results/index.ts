export * from "./analysis/index.ts";
export * from "./report/index.ts";
export * from "./replay/index.ts";
