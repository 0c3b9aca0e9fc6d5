import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer, { type Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ASHAScheduler } from "../../../algorithms/schedulers/index.ts";
import { pbtToyObjective } from "../../../benchmarks/objectives/index.ts";
import { buildReport, reportHtml, type Report } from "../../../results/index.ts";
import { simulate } from "../../../simulator/index.ts";
import { fixedConfigs, toyPbt } from "../../algorithms/schedulers/pbt-fixtures.ts";
import { countingObjective, countingSpace } from "../../_helpers/objectives.ts";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = resolve(import.meta.dirname, "../../../test-artifacts");
// CI installs Debian's chromium (.ci/run); elsewhere the browser half is skipped with a note, never silently in CI.
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env["CI"]) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium`);

const ASHA_TRIALS = 12;
const PBT_TRIALS = 2;
let html = "";
let report: Report;
let file = "";

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), "tunelab-report-"));
  const asha = join(root, "asha");
  const pbt = join(root, "pbt");
  simulate({
    objective: countingObjective, space: countingSpace, metric: "loss", mode: "min", trials: ASHA_TRIALS, seed: 4, cluster: { gpus: 3, preemptionRate: 2 },
    maxIterations: 9, storagePath: asha, checkpointFrequency: 3,
    scheduler: new ASHAScheduler({ metric: "loss", mode: "min", maxT: 9, gracePeriod: 1, reductionFactor: 3 }),
  });
  const bench = pbtToyObjective();
  simulate({
    objective: bench.objective, space: bench.space, metric: "Q", mode: "max", trials: PBT_TRIALS, seed: 0,
    searcher: fixedConfigs([{ h0: 1, h1: 0 }, { h0: 0, h1: 1 }]), scheduler: toyPbt(0), cluster: { gpus: 2 }, maxIterations: 40, storagePath: pbt,
  });
  report = await buildReport([asha, pbt]);
  html = reportHtml(report);
  file = join(root, "report.html");
  writeFileSync(file, html);
}, 60_000);

/** Marks of a figure's SVG: elements under vega's `role-mark` groups of one mark type. */
function marks(figureHtml: string, markType: string): number {
  let count = 0;
  for (const m of figureHtml.matchAll(new RegExp(`<g class="mark-${markType} role-mark[^"]*"[^>]*>(.*?)</g>`, "gs"))) {
    count += ((m[1] as string).match(/<path\b/g) ?? []).length;
  }
  return count;
}

const figure = (id: string) => report.figures.find((f) => f.id === id)?.svg ?? "";

describe("tunelab report (HTML in Node)", () => {
  it("is one self-contained page: no script, no external reference", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/<script|<link|src="http|href="http|@import|url\(http/);
  });

  it("has every figure, each with marks; one learning-curve path per trial and one lineage node per trial", () => {
    expect(report.figures.map((f) => f.id)).toEqual([
      "best-vs-time", "best-vs-gpu-hours",
      "asha-learning-curves", "asha-configs-vs-metric", "asha-cluster-timeline",
      "pbt-learning-curves", "pbt-configs-vs-metric", "pbt-pbt-lineage", "pbt-pbt-schedules", "pbt-cluster-timeline",
    ]);
    for (const f of report.figures) expect(f.svg.match(/role-mark/g)?.length ?? 0, f.id).toBeGreaterThan(0);
    expect(marks(figure("asha-learning-curves"), "line")).toBe(ASHA_TRIALS);
    expect(marks(figure("pbt-learning-curves"), "line")).toBe(PBT_TRIALS);
    expect(marks(figure("pbt-pbt-lineage"), "symbol")).toBe(PBT_TRIALS);
    expect(marks(figure("best-vs-time"), "line")).toBe(2); // one line per experiment
    expect(html).toMatch(/below the rung-\d cutoff/);
  });
});

describe.skipIf(!haveChromium)("tunelab report in a real browser (Debian chromium via puppeteer-core)", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", `--user-data-dir=${mkdtempSync(join(tmpdir(), "tunelab-chromium-"))}`],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it("opens from file:// with no console error, draws every figure, and saves a screenshot", async () => {
    const page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 900 });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("request", (r) => {
      if (!r.url().startsWith("file://")) requests.push(r.url());
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    // Runs in the page (a string: this project's TypeScript has no DOM types).
    const counts = (await page.evaluate(`(() => {
      const out = {};
      for (const fig of document.querySelectorAll("figure[data-figure]")) {
        const svg = fig.querySelector("svg");
        const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
        out[fig.getAttribute("data-figure")] = {
          marks: fig.querySelectorAll("g.role-mark > *").length,
          lines: fig.querySelectorAll("g.mark-line.role-mark path").length,
          symbols: fig.querySelectorAll("g.mark-symbol.role-mark path").length,
          width: box.width,
          height: box.height,
        };
      }
      return out;
    })()`)) as Record<string, { marks: number; lines: number; symbols: number; width: number; height: number }>;
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "report.png") as `${string}.png`, fullPage: true });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(Object.keys(counts)).toHaveLength(report.figures.length);
    for (const [id, c] of Object.entries(counts)) {
      expect(c.marks, `${id} is empty`).toBeGreaterThan(0);
      expect(c.width * c.height, `${id} has no size`).toBeGreaterThan(100 * 100);
    }
    expect(counts["asha-learning-curves"]?.lines).toBe(ASHA_TRIALS);
    expect(counts["pbt-pbt-lineage"]?.symbols).toBe(PBT_TRIALS);
    expect(existsSync(join(ARTIFACTS, "report.png"))).toBe(true);
  }, 60_000);
});
