export * from "./tunelab-error.ts";
export * from "./option-checks.ts";
