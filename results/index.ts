export * from "./analysis/index.ts";
export * from "./report/index.ts";
