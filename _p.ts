import { TPESearcher } from "./algorithms/searchers/tpe/tpe-searcher.ts";
import { uniform } from "./core/space/index.ts";
import { hartmann6 } from "./benchmarks/objectives/index.ts";
const space: Record<string, unknown> = {};
for (let i = 0; i < 6; i++) space[`x${i}`] = uniform(0, 1);
for (const mv of [false]) {
  const b = new TPESearcher(space, { metric: "y", mode: "min", nStartupTrials: 5000, multivariate: mv });
  for (let t = 0; t < 1000; t++) { const c = b.suggest("h" + t) as Record<string, number>; b.onTrialComplete("h" + t, { trialId: "", iteration: 1, metrics: { y: hartmann6.evaluate([0,1,2,3,4,5].map(i => c[`x${i}`] as number)) }, time: 0, timeTotal: 0 }); }
  const s = new TPESearcher(space, { metric: "y", mode: "min", multivariate: mv });
  s.restore(b.save());
  const times: number[] = [];
  for (let r = 0; r < 40; r++) { const t0 = performance.now(); const c = s.suggest("t" + r) as Record<string, number>; times.push(performance.now() - t0); s.onTrialComplete("t" + r, { trialId: "", iteration: 1, metrics: { y: hartmann6.evaluate([0,1,2,3,4,5].map(i => c[`x${i}`] as number)) }, time: 0, timeTotal: 0 }); }
  times.sort((a, b) => a - b); console.log(mv, times[20]?.toFixed(2), times[0]?.toFixed(2));
}
