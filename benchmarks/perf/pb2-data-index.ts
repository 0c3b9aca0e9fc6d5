/**
 * PB2's training data at an exploit: `pb2TrainingData` over every logged row (a sort of all of
 * them, what PB2 did at each exploit) against `Pb2DataIndex` (kept row by row), with R rows logged
 * the way the scale simulation logs them (each trial at time 9 and 18 in arrival order that mixes
 * trials, a clone row per exploit). CPU µs per exploit's data and per added row, same process.
 *
 *   npx tsx benchmarks/perf/pb2-data-index.ts [--rows 10000,100000] [--queries 200]
 */
import { parseArgs } from "node:util";
import { pb2TrainingData, type Pb2Row } from "../../algorithms/schedulers/pb2/pb2-data.ts";
import { Pb2DataIndex } from "../../algorithms/schedulers/pb2/pb2-data-index.ts";
import { numberFlag, numberListFlag } from "../script-flags.ts";

const { values } = parseArgs({ options: { rows: { type: "string" }, queries: { type: "string" } } });
const sizes = numberListFlag("rows", values.rows, { integer: true, min: 10 }) ?? [10_000, 100_000];
const queries = numberFlag("queries", values.queries, 200, { integer: true, min: 1 });

function rowsOf(count: number): Pb2Row[] {
  let s = 12345;
  const random = (): number => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  const rows: Pb2Row[] = [];
  const configs: number[][] = [];
  for (let i = 0; rows.length < count; i++) {
    // Trial i reaches 9 while trial i - 50 reaches 18: times arrive out of order.
    configs.push([random(), random()]);
    rows.push({ trialId: `t${i}`, time: 9, values: configs[i] as number[], reward: random() });
    if (i >= 50) rows.push({ trialId: `t${i - 50}`, time: 18, values: configs[i - 50] as number[], reward: 1 + random() });
  }
  return rows.slice(0, count);
}

const cpuUs = (f: () => void): number => {
  const start = process.cpuUsage();
  f();
  const used = process.cpuUsage(start);
  return used.user + used.system;
};

for (const size of sizes) {
  const rows = rowsOf(size);
  const index = new Pb2DataIndex();
  const addUs = cpuUs(() => rows.forEach((row) => index.add(row)));
  let sink = 0;
  const batchQueries = Math.max(1, Math.floor(queries / 20));
  const batchUs = cpuUs(() => {
    for (let q = 0; q < batchQueries; q++) sink += pb2TrainingData(rows, `t${q}`).n;
  });
  const indexUs = cpuUs(() => {
    for (let q = 0; q < queries; q++) sink += index.trainingData(`t${q}`).n;
  });
  const label = `pb2_data.${size}_rows`;
  console.log(`${label}.index_add_us_per_row=${(addUs / size).toFixed(3)}`);
  console.log(`${label}.batch_us_per_exploit=${(batchUs / batchQueries).toFixed(0)}`);
  console.log(`${label}.index_us_per_exploit=${(indexUs / queries).toFixed(0)}`);
  console.log(`${label}.rows_per_exploit=${index.trainingData("t0").n}`);
  console.log(`${label}.speedup=${(batchUs / batchQueries / (indexUs / queries)).toFixed(1)}`);
  if (sink < 0) console.log(sink);
}
