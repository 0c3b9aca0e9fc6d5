#!/usr/bin/env node
// The `tunelab` command. The published package runs the compiled CLI in dist/;
// a source checkout (cli/main.ts present: the package does not ship .ts files)
// runs the TypeScript sources through tsx, so development needs no build step.
import { existsSync } from "node:fs";

const source = new URL("../cli/main.ts", import.meta.url);
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api");
  register();
  await import(source.href);
} else {
  await import("../dist/cli/main.js");
}
