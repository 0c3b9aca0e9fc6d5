import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");

/** DESIGN.md's floors: each folder imports only from the folders listed for it (prefix match, most specific rule wins). */
const rules: Array<{ folder: string; may: string[] }> = [
  { folder: "core/errors", may: ["core/errors"] },
  { folder: "core/space", may: ["core/space", "core/errors"] },
  { folder: "core/contracts", may: ["core/contracts", "core/space", "core/errors"] },
  { folder: "core", may: ["core"] },
  { folder: "algorithms", may: ["core", "algorithms"] },
  { folder: "algorithms/math", may: ["core", "algorithms/math"] },
  { folder: "algorithms/searchers", may: ["core", "algorithms/math", "algorithms/searchers"] },
  { folder: "algorithms/schedulers", may: ["core", "algorithms/math", "algorithms/schedulers"] },
  { folder: "simulator", may: ["core", "algorithms", "simulator"] },
  { folder: "real-backend", may: ["core", "algorithms", "real-backend"] },
  { folder: "benchmarks", may: ["core", "algorithms", "simulator", "real-backend", "benchmarks", "testing"] },
  // Replays read recorded experiment directories (recordedObjective lives in results/).
  { folder: "benchmarks/replay", may: ["core", "algorithms", "simulator", "real-backend", "benchmarks", "testing", "results"] },
  // The fixed-budget Fashion-MNIST comparisons replay their recorded FIFO runs the same way.
  { folder: "benchmarks/fashion-mnist", may: ["core", "algorithms", "simulator", "real-backend", "benchmarks", "testing", "results"] },
  // The public test kit (tunelab/testing) drives the real loop: it may use the library, never the tests.
  { folder: "testing", may: ["core", "algorithms", "testing"] },
  // Results (analysis, progress, reports) read experiment directories: core only.
  { folder: "results", may: ["core", "results"] },
  // Real models (tfjs, Fashion-MNIST) run as trainables; the data download is the benchmarks' checksummed one.
  { folder: "tfjs", may: ["core", "real-backend", "benchmarks", "tfjs"] },
  { folder: "cli", may: ["core", "algorithms", "simulator", "real-backend", "benchmarks", "results", "cli", "index.ts"] },
  // Examples use the public API only, as a user would.
  { folder: "examples", may: ["index.ts", "testing/index.ts"] },
];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith(".ts")) out.push(path);
  }
  return out;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;'"]*?from\s*["']([^"']+)["']/g)) specifiers.push(m[1] as string);
  for (const m of text.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)) specifiers.push(m[1] as string);
  return specifiers.filter((s) => s.startsWith("."));
}

const ruleFor = (path: string) =>
  rules.filter((r) => path === r.folder || path.startsWith(`${r.folder}/`)).sort((a, b) => b.folder.length - a.folder.length)[0];

describe("import rules of DESIGN.md's layout", () => {
  const files = rules
    .map((r) => r.folder)
    .filter((f) => !rules.some((o) => o.folder !== f && f.startsWith(`${o.folder}/`)))
    .flatMap((f) => {
      try {
        return sourceFiles(join(root, f));
      } catch {
        return [];
      }
    });

  it("finds the source tree", () => {
    expect(files.length).toBeGreaterThan(30);
  });

  it("every relative import stays on its floor or below", () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = relative(root, file);
      const rule = ruleFor(from);
      if (!rule) continue;
      for (const spec of importsOf(file)) {
        const target = relative(root, resolve(dirname(file), spec));
        if (target.startsWith("..") || target === "test" || target.startsWith("test/")) {
          violations.push(`${from} -> ${spec} (outside the library)`);
          continue;
        }
        if (!rule.may.some((m) => target === m || target.startsWith(`${m}/`))) violations.push(`${from} -> ${target}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("the rule checker itself catches an upward import", () => {
    const rule = ruleFor("core/tune-loop.ts");
    expect(rule?.may.some((m) => "algorithms/schedulers/fifo.ts".startsWith(`${m}/`))).toBe(false);
    expect(ruleFor("core/space/sample.ts")?.may).toEqual(["core/space", "core/errors"]);
    expect(importsOf(join(root, "core/tune-loop.ts"))).toContain("./contracts/index.ts");
  });
});
