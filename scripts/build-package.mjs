#!/usr/bin/env node
// Builds the npm package into dist/ (runs on `npm run build` and on prepack).
//
// The entry points come from package.json itself, so adding a subpath export is
// one line there and nothing else: every "exports" entry must be the compiled
// form { "types": "./dist/X.d.ts", "import": "./dist/X.js" }, and X.ts is the
// source compiled for it (with everything it imports). The CLI entry is the
// "bin" script's target, cli/main.ts. Plain Node, so the build needs no tsx.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const CLI_ENTRY = "cli/main.ts";
// Files that run in a process or thread of their own, started by path rather than imported.
const SPAWNED_ENTRIES = ["real-backend/process/node-worker-host.ts", "cli/bench/cell-worker.ts"];
// Plain JavaScript files started by path: copied as they are.
const COPIED_FILES = ["benchmarks/lcbench/surrogate-worker.mjs"];

function fail(message) {
  process.stderr.write(`build-package: ${message}\n`);
  process.exit(1);
}

/** The source entry file of one "exports" subpath, from its compiled form. */
function sourceEntry(subpath, target) {
  const compiled = typeof target === "object" && target !== null ? target : {};
  const match = /^\.\/dist\/(.+)\.js$/.exec(compiled.import ?? "");
  const stem = match?.[1] ?? (typeof target === "string" ? target.replace(/^\.\//, "").replace(/\.[cm]?[jt]s$/, "") : "X");
  const expected = `{ "types": "./dist/${stem}.d.ts", "import": "./dist/${stem}.js" }`;
  if (!match || compiled.types !== `./dist/${stem}.d.ts` || Object.keys(compiled).length !== 2) {
    fail(`package.json exports["${subpath}"] must be ${expected} (the compiled form; the build compiles ${stem}.ts), got ${JSON.stringify(target)}`);
  }
  if (!existsSync(join(root, `${stem}.ts`))) fail(`package.json exports["${subpath}"]: its source ${stem}.ts does not exist`);
  return `${stem}.ts`;
}

const exportsField = pkg.exports ?? {};
const entries = Object.entries(exportsField).map(([subpath, target]) => sourceEntry(subpath, target));
if (entries.length === 0) fail("package.json has no exports");

const configPath = join(root, "tsconfig.build.json");
const read = ts.readConfigFile(configPath, ts.sys.readFile);
if (read.error) fail(ts.flattenDiagnosticMessageText(read.error.messageText, "\n"));
const parsed = ts.parseJsonConfigFileContent({ ...read.config, files: [...new Set([...entries, CLI_ENTRY, ...SPAWNED_ENTRIES])] }, ts.sys, root, undefined, configPath);
if (parsed.errors.length > 0) fail(parsed.errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")).join("; "));

rmSync(join(root, "dist"), { recursive: true, force: true });
const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
const emitted = program.emit();
const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
if (diagnostics.length > 0) {
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => "\n" };
  process.stderr.write(ts.formatDiagnostics(diagnostics, host));
  fail(`${diagnostics.length} TypeScript error(s)`);
}
for (const file of COPIED_FILES) {
  mkdirSync(dirname(join(root, "dist", file)), { recursive: true });
  copyFileSync(join(root, file), join(root, "dist", file));
}
for (const file of SPAWNED_ENTRIES) {
  if (!existsSync(join(root, "dist", file.replace(/\.ts$/, ".js")))) fail(`the build did not produce dist/${file.replace(/\.ts$/, ".js")}`);
}
for (const [subpath, target] of Object.entries(exportsField)) {
  for (const file of [target.import, target.types]) {
    if (!existsSync(join(root, file))) fail(`package.json exports["${subpath}"]: the build did not produce ${file}`);
  }
}
process.stdout.write(`build-package: dist/ from ${entries.join(", ")} and ${CLI_ENTRY}\n`);
