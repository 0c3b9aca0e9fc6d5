import type { Report, ReportTable } from "./build-report.ts";
import { decisionRows } from "./build-report.ts";

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);

const CSS = `
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px auto; max-width: 1100px; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ddd; } h3 { font-size: 1em; color: #444; }
figure { margin: 1em 0 2em; } figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; font-size: 0.85em; } td, th { border-bottom: 1px solid #eee; padding: 2px 8px; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; } .muted { color: #777; }
.decisions { max-height: 420px; overflow: auto; display: block; }
`;

/**
 * One self-contained HTML page: inline SVG figures and tables, inline CSS, no
 * script and no external reference, so it opens from disk with no network.
 */
export function reportHtml(report: Report): string {
  const parts: string[] = [];
  parts.push(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(report.title)}</title><style>${CSS}</style></head><body>`);
  parts.push(`<h1>${escapeHtml(report.title)}</h1>`);
  parts.push(report.table ? plainTable(report.table) : summaryTable(report));
  for (const f of report.figures.filter((x) => x.experiment === "")) parts.push(figureHtml(f.id, f.title, f.svg));
  for (const { name, analysis } of report.experiments) {
    parts.push(`<h2>${escapeHtml(name)}</h2>`);
    for (const f of report.figures.filter((x) => x.experiment === name)) parts.push(figureHtml(f.id, f.title, f.svg));
    const rows = decisionRows(analysis);
    parts.push(`<h3>Scheduler decisions (${rows.length}${rows.length === 300 ? ", the first 300" : ""})</h3>`);
    if (rows.length === 0) parts.push(`<p class="muted">The scheduler stopped, paused or exploited nothing.</p>`);
    else {
      parts.push(`<table class="decisions" data-experiment="${escapeHtml(name)}"><thead><tr><th>time</th><th>trial</th><th>decision</th><th>iteration</th><th>reason</th></tr></thead><tbody>`);
      for (const r of rows) {
        parts.push(`<tr><td class="num">${r.time.toFixed(1)}</td><td>${escapeHtml(r.trial)}</td><td>${escapeHtml(r.kind)}</td><td class="num">${r.iteration}</td><td>${escapeHtml(r.reason)}</td></tr>`);
      }
      parts.push(`</tbody></table>`);
    }
  }
  parts.push(`<p class="muted">Written by tunelab report on ${escapeHtml(new Date().toISOString())}.</p></body></html>\n`);
  return parts.join("\n");
}

function figureHtml(id: string, title: string, svg: string): string {
  return `<figure id="${escapeHtml(id)}" data-figure="${escapeHtml(id)}"><h3>${escapeHtml(title)}</h3>${svg}</figure>`;
}

function plainTable(table: ReportTable): string {
  const head = table.headers.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const body = table.rows.map((row) => `<tr>${row.map((cell) => `<td${/^[-+\d.eE\s.,\[\]]+$/.test(cell) ? ' class="num"' : ""}>${escapeHtml(cell)}</td>`).join("")}</tr>`).join("");
  return `<table class="comparison"><caption class="muted">${escapeHtml(table.caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function summaryTable(report: Report): string {
  const rows = report.experiments.map(({ name, analysis }) => {
    const counts = analysis.statusCounts();
    const best = analysis.bestTrial();
    const value = analysis.bestValue();
    return `<tr><td>${escapeHtml(name)}</td><td>${escapeHtml(analysis.meta?.kind ?? "?")}</td><td class="num">${analysis.trials.length}</td><td class="num">${counts.TERMINATED}</td><td class="num">${counts.ERROR}</td><td>${escapeHtml(analysis.meta ? `${analysis.meta.metric} (${analysis.meta.mode})` : "?")}</td><td class="num">${value === undefined ? "-" : Number(value.toPrecision(5))}</td><td>${escapeHtml(best?.id ?? "-")}</td><td>${analysis.finished ? "finished" : "not finished"}</td></tr>`;
  });
  return `<table><thead><tr><th>experiment</th><th>kind</th><th>trials</th><th>terminated</th><th>errors</th><th>metric</th><th>best</th><th>best trial</th><th>state</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}
