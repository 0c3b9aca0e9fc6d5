/**
 * Self time by function of a V8 .cpuprofile (node --cpu-prof), as `name=value` lines:
 * the share of all samples and the share under a root function (default sampleWithModel).
 *   npx tsx benchmarks/perf/cpuprofile-summary.ts FILE.cpuprofile [--under sampleWithModel] [--top 25]
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[] }

const { values, positionals } = parseArgs({ allowPositionals: true, options: { under: { type: "string", default: "sampleWithModel" }, top: { type: "string", default: "25" } } });
const file = positionals[0];
if (file === undefined) throw new Error("FILE: a .cpuprofile path is required");
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n: Node) => `${n.callFrame.functionName || "(anonymous)"}@${n.callFrame.url.split("/").pop()}:${n.callFrame.lineNumber + 1}`;
const isUnder = new Map<number, boolean>();
function under(id: number): boolean {
  const known = isUnder.get(id);
  if (known !== undefined) return known;
  const node = byId.get(id) as Node;
  const p = parent.get(id);
  const result = node.callFrame.functionName === values.under || (p !== undefined && under(p));
  isUnder.set(id, result);
  return result;
}
const self = new Map<string, number>();
let total = 0;
let root = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  total += dt;
  if (!under(id)) return;
  root += dt;
  const key = label(byId.get(id) as Node);
  self.set(key, (self.get(key) ?? 0) + dt);
});
console.log(`profile.total_ms=${(total / 1000).toFixed(1)}`);
console.log(`profile.under_${values.under}_ms=${(root / 1000).toFixed(1)}`);
for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
  console.log(`self_share.${key}=${((100 * us) / root).toFixed(1)}%`);
}
