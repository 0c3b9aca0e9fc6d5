// The hierarchy lives in core/errors (the lowest floor, so core/space can use it too).
export * from "../errors/index.ts";
