import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeOfflineConsumer } from "./offline-consumer.ts";

/**
 * The published package, as a user gets it: `npm pack` (its prepack builds
 * dist/), installed OFFLINE into a fresh consumer project, then imported by
 * plain Node, typechecked by a standard strict NodeNext tsconfig, and run as
 * `npx tunelab --version`. Slow (a build and an install: ~30-90 s).
 */
const root = resolve(import.meta.dirname, "../..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name: string; version: string };
const work = mkdtempSync(join(tmpdir(), "tunelab-pack-"));
// The scratch install holds a whole node_modules: removing it took over the default 10 s hook timeout on a loaded machine.
afterAll(() => rmSync(work, { recursive: true, force: true }), 60_000);

// Any network access fails: the proxy is a closed local port, and --offline
// forbids npm from asking the registry in the first place.
const NO_NETWORK = ["--offline", "--no-audit", "--no-fund", "--proxy", "http://127.0.0.1:9", "--https-proxy", "http://127.0.0.1:9"];

function run(command: string, args: string[], cwd: string) {
  const r = spawnSync(command, args, { cwd, encoding: "utf8", shell: process.platform === "win32" });
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

describe("the npm package", () => {
  it("packs only what users need, installs offline, imports in plain Node, typechecks strict NodeNext, and runs its bin", () => {
    // The prepack script (the build) prints before npm's JSON.
    const packOutput = run("npm", ["pack", "--json", "--pack-destination", work], root);
    const packed = JSON.parse(packOutput.slice(packOutput.search(/^\[/m))) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const files = packed[0]!.files.map((f) => f.path);
    expect(files).toContain("dist/index.js");
    expect(files).toContain("dist/index.d.ts");
    expect(files).toContain("dist/index.js.map");
    expect(files).toContain("dist/cli/main.js");
    expect(files).toContain("bin/tunelab.js");
    // No sources, tests, benchmark scripts or examples: only dist/, the bin and npm's own files.
    const unexpected = files.filter((f) => !f.startsWith("dist/") && !["bin/tunelab.js", "package.json", "README.md", "LICENSE"].includes(f));
    expect(unexpected).toEqual([]);
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
    // The public API includes objectives, LCBench, suites, statistics and paper checks; never tests, perf scripts or peers.
    expect(files.filter((f) => /^dist\/(test\/|benchmarks\/(perf|peers)\/)/.test(f))).toEqual([]);

    const consumer = join(work, "consumer");
    mkdirSync(consumer);
    writeOfflineConsumer(consumer, join(work, packed[0]!.filename), root);
    run("npm", ["ci", ...NO_NETWORK], consumer);

    writeFileSync(
      join(consumer, "plain.mjs"),
      [
        'import { simulate, RandomSearch, uniform, benchmarkByName } from "tunelab";',
        'import { checkScheduler } from "tunelab/testing";',
        "const space = { x: uniform(0, 1) };",
        "const objective = { name: 'o', metrics: ['loss'], init: () => ({ n: 0 }), step: (s, c) => ({ metrics: { loss: c.x + 1 / (s.n + 1) }, seconds: 1, state: { n: s.n + 1 } }) };",
        "const run = simulate({ objective, space, metric: 'loss', mode: 'min', trials: 3, seed: 1, maxIterations: 2 });",
        "console.log(JSON.stringify({ best: run.best?.metric, searcher: typeof RandomSearch, benchmark: typeof benchmarkByName, kit: typeof checkScheduler }));",
      ].join("\n"),
    );
    const plain = JSON.parse(execFileSync(process.execPath, ["plain.mjs"], { cwd: consumer, encoding: "utf8" }));
    expect(plain).toMatchObject({ best: expect.any(Number), searcher: "function", benchmark: "function", kit: "function" });

    writeFileSync(
      join(consumer, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true }, include: ["typed.ts"] }),
    );
    writeFileSync(
      join(consumer, "typed.ts"),
      [
        'import { simulate, uniform, type Objective, type RngState } from "tunelab";',
        'import { checkScheduler } from "tunelab/testing";',
        "export const kit: typeof checkScheduler = checkScheduler;",
        "const objective: Objective<{ n: number }> = { name: 'o', metrics: ['loss'], init: () => ({ n: 0 }), step: (s) => ({ metrics: { loss: 1 / (s.n + 1) }, seconds: 1, state: { n: s.n + 1 } }) };",
        "export const run = simulate({ objective, space: { x: uniform(0, 1) }, metric: 'loss', mode: 'min', trials: 2, seed: 1 });",
        "export const state: RngState = { alea: { c: 1, s0: 0.1, s1: 0.2, s2: 0.3 } };",
      ].join("\n"),
    );
    // The repository's TypeScript (the consumer installs none: offline, its lockfile holds only TuneLab's closure).
    const tsc = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "."], { cwd: consumer, encoding: "utf8" });
    const errors = (tsc.stdout + tsc.stderr).split("\n").filter((line) => /error TS\d+/.test(line));
    // Every error in TuneLab's own .d.ts files or in the consumer's code fails; third-party declaration files are
    // theirs to fix (arquero 8's ColumnTable.d.ts has errors of its own without skipLibCheck, the default of tsc --init).
    const ours = errors.filter((line) => line.startsWith("node_modules/tunelab/") || line.startsWith("typed.ts"));
    expect(ours).toEqual([]);
    // With tsc --init's skipLibCheck the consumer's project typechecks clean: skipLibCheck drops exactly the errors in
    // declaration files, so every error of this run must be in a third-party .d.ts (one tsc run instead of two).
    expect(errors.filter((line) => !/^node_modules\/(?!tunelab\/)[^(]*\.d\.ts\(/.test(line))).toEqual([]);

    expect(run("npx", ["--offline", "tunelab", "--version"], consumer).trim()).toBe(manifest.version);
  }, 300_000);
});
