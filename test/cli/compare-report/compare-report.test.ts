import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { compareCommand } from "../../../cli/compare-command.ts";
import { bestSoFarBands, methodSummaries, type MethodRuns } from "../../../cli/compare-report/index.ts";
import type { ExperimentAnalysis } from "../../../results/index.ts";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = resolve(import.meta.dirname, "../../../test-artifacts");
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env["CI"]) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium`);

/** A stand-in analysis: only what the comparison reads. */
function fakeRun(curve: Array<[number, number]>, trials = 4): ExperimentAnalysis {
  return {
    bestSoFar: () => curve.map(([time, value]) => ({ time, gpuHours: time / 3600, value })),
    bestValue: () => curve.at(-1)?.[1],
    trials: Array.from({ length: trials }, () => ({ gpuSeconds: 3600 })),
  } as unknown as ExperimentAnalysis;
}

describe("comparison statistics", () => {
  it("bands are the median over seeds of each seed's best so far, shown once half the seeds have a result", () => {
    const a: MethodRuns = { method: "a", runs: [fakeRun([[0, 5], [10, 1]]), fakeRun([[0, 4], [10, 2]]), fakeRun([[5, 3]])] };
    const bands = bestSoFarBands([a], "time", 2); // x = 0, 5, 10
    expect(bands.map((b) => [b.x, b.median, b.seeds])).toEqual([
      [0, 4.5, 2],
      [5, 4, 3],
      [10, 2, 3],
    ]);
    for (const b of bands) {
      expect(b.low).toBeLessThanOrEqual(b.median);
      expect(b.high).toBeGreaterThanOrEqual(b.median);
    }
  });

  it("ranks against the method with the best median: a clearly worse method gets a small Holm-adjusted p", () => {
    const good: MethodRuns = { method: "good", runs: [1, 2, 3, 4, 5].map((v) => fakeRun([[1, v]])) };
    const bad: MethodRuns = { method: "bad", runs: [11, 12, 13, 14, 15].map((v) => fakeRun([[1, v]], 8)) };
    const same: MethodRuns = { method: "same", runs: [1.5, 2.5, 3.5, 4.5, 5.5].map((v) => fakeRun([[1, v]])) };
    const [g, b, s] = methodSummaries([good, bad, same], "min");
    expect(g?.best?.median).toBe(3);
    expect(g?.pVsBest).toBeUndefined();
    expect(b?.best?.median).toBe(13);
    expect(b?.pVsBest).toBeLessThan(0.05); // exact U test, 5 vs 5 fully separated: p = 2/252, Holm x2
    expect(s?.pVsBest).toBeGreaterThan(0.5);
    expect(b?.trials).toBe(8);
    expect(b?.gpuHours).toBe(8);
  });
});

describe("tunelab compare --report", () => {
  const root = mkdtempSync(join(tmpdir(), "tunelab-compare-test-"));
  const out = join(root, "runs");
  const file = join(root, "compare.html");
  let html = "";
  let stdout = "";

  beforeAll(async () => {
    const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      stdout += String(chunk);
      return true;
    });
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      await compareCommand({ benchmark: "branin", pairs: "random:fifo,random:asha", seeds: "3", trials: "8", maxIterations: "9", gpus: "4", out, report: file, json: true });
    } finally {
      write.mockRestore();
      err.mockRestore();
    }
    html = readFileSync(file, "utf8");
  }, 60_000);

  it("keeps each run's experiment directory and still prints the JSON summary alone on stdout", () => {
    for (const method of ["random_fifo", "random_asha"]) for (const seed of [0, 1, 2]) expect(existsSync(join(out, method, `seed-${seed}`, "trials.csv")), `${method}/${seed}`).toBe(true);
    expect(JSON.parse(stdout.trim()).rows).toHaveLength(2);
  });

  it("draws one median line and one interval band per method, each seed's final value, and a table with a rank test", () => {
    const figure = (id: string) => html.match(new RegExp(`<figure id="${id}"[\\s\\S]*?</figure>`))?.[0] ?? "";
    // Paths under vega's mark groups of one type (a coloured line is a group per series).
    const marks = (svg: string, type: string) => [...svg.matchAll(new RegExp(`<g class="mark-${type} role-mark[^"]*"[^>]*>(.*?)</g>`, "gs"))].reduce((n, m) => n + ((m[1] as string).match(/<path\b/g) ?? []).length, 0);
    for (const id of ["compare-best-vs-time", "compare-best-vs-gpu-hours"]) {
      expect(marks(figure(id), "line"), id).toBe(2);
      expect(marks(figure(id), "area"), id).toBe(2);
    }
    expect(marks(figure("compare-final-best"), "symbol")).toBe(6);
    expect(html).toMatch(/<td>random:fifo<\/td><td class="num">3<\/td>/);
    expect(html).toMatch(/<td>random:asha<\/td><td class="num">3<\/td>/);
    expect(html).toContain("Mann-Whitney");
    expect(html).toContain(">best<");
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
  });

  describe.skipIf(!haveChromium)("in a real browser", () => {
    let browser: Awaited<ReturnType<typeof puppeteer.launch>>;
    beforeAll(async () => {
      browser = await puppeteer.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", `--user-data-dir=${mkdtempSync(join(tmpdir(), "tunelab-chromium-"))}`],
      });
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
    });

    it("opens from file:// with no console error and every figure drawn", async () => {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
      const counts = (await page.evaluate(`(() => {
        const out = {};
        for (const fig of document.querySelectorAll("figure[data-figure]")) {
          const svg = fig.querySelector("svg");
          const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
          out[fig.getAttribute("data-figure")] = { areas: fig.querySelectorAll("g.mark-area.role-mark path").length, lines: fig.querySelectorAll("g.mark-line.role-mark path").length, symbols: fig.querySelectorAll("g.mark-symbol.role-mark path").length, size: box.width * box.height };
        }
        return out;
      })()`)) as Record<string, { areas: number; lines: number; symbols: number; size: number }>;
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, "compare-report.png") as `${string}.png`, fullPage: true });
      expect(errors).toEqual([]);
      expect(Object.keys(counts)).toEqual(["compare-best-vs-time", "compare-best-vs-gpu-hours", "compare-final-best"]);
      expect(counts["compare-best-vs-time"]).toMatchObject({ areas: 2, lines: 2 });
      expect(counts["compare-final-best"]?.symbols).toBe(6);
      for (const [id, c] of Object.entries(counts)) expect(c.size, `${id} has no size`).toBeGreaterThan(100 * 100);
    }, 60_000);
  });
});
