import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildReport, reportHtml } from "../results/index.ts";
import { parseName } from "./flags.ts";

export interface ReportFlags {
  out?: string;
  format: string;
}

/** `tunelab report DIR...`: one self-contained HTML file, or (`--format svg`) one SVG per figure in the --out directory. */
export async function reportCommand(dirs: string[], flags: ReportFlags): Promise<void> {
  const format = parseName("--format", flags.format, ["html", "svg"] as const);
  const written = await writeReport(dirs, format, flags.out);
  process.stderr.write(`tunelab: wrote ${written}\n`);
}

export async function writeReport(dirs: readonly string[], format: "html" | "svg", out?: string): Promise<string> {
  const report = await buildReport(dirs);
  if (format === "svg") {
    const dir = out ?? "report-figures";
    mkdirSync(dir, { recursive: true });
    for (const f of report.figures) writeFileSync(join(dir, `${f.id}.svg`), f.svg);
    return `${report.figures.length} figures to ${dir}`;
  }
  const file = out ?? "report.html";
  writeFileSync(file, reportHtml(report));
  return file;
}
