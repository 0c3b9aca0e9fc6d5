import { checkNumber, OptionError } from "./errors/index.ts";
import type { Resources, ResourceScaling } from "./contracts/index.ts";

/**
 * Workers a trial's step runs on: its GPUs when it holds any, else its CPUs.
 * (Ray's DistributeResources grows a CPU-only trial by CPUs, a GPU trial by GPUs.)
 */
export function workersOf(resources: Resources): number {
  return resources.gpu > 0 ? resources.gpu : resources.cpu;
}

/** Speed-up over one worker of a step on `workers` workers under `scaling`. */
export function speedupFor(scaling: ResourceScaling, workers: number): number {
  if (scaling.kind === "amdahl") {
    // Exactly 1 at one worker and below: (1 - p) + p / 1 may round to 0.999..., which would move every event time.
    if (workers <= 1) return 1;
    const p = scaling.parallelFraction;
    return 1 / (1 - p + p / workers);
  }
  return interpolate(sortedTable(scaling), workers);
}

/**
 * What the simulator multiplies a step's reported seconds by on `resources`:
 * 1 exactly without a declared scaling, so objectives that declare none keep
 * their event times bit for bit.
 */
export function stepTimeFactor(scaling: ResourceScaling | undefined, resources: Resources): number {
  if (scaling === undefined) return 1;
  const speedup = speedupFor(scaling, workersOf(resources));
  return speedup === 1 ? 1 : 1 / speedup;
}

/** Validates a user's scaling declaration (API, CLI, experiment file), naming `field` in the one-line error. */
export function checkResourceScaling(field: string, value: unknown): ResourceScaling {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new OptionError(field, `must be { kind: "amdahl", parallelFraction } or { kind: "table", speedup }, got ${JSON.stringify(value)}`);
  }
  const v = value as { kind?: unknown; parallelFraction?: unknown; speedup?: unknown };
  if (v.kind === "amdahl") {
    return { kind: "amdahl", parallelFraction: checkNumber(`${field}.parallelFraction`, v.parallelFraction, { min: 0, max: 1 }) };
  }
  if (v.kind === "table") {
    const speedup = v.speedup;
    if (typeof speedup !== "object" || speedup === null || Array.isArray(speedup) || Object.keys(speedup).length === 0) {
      throw new OptionError(`${field}.speedup`, `must be a non-empty object of workers -> speed-up, e.g. { "1": 1, "2": 1.8 }, got ${JSON.stringify(speedup)}`);
    }
    const table: Record<string, number> = {};
    for (const [key, s] of Object.entries(speedup as Record<string, unknown>)) {
      const workers = Number(key);
      if (!(workers > 0) || !Number.isFinite(workers)) throw new OptionError(`${field}.speedup`, `keys must be worker counts > 0, got ${JSON.stringify(key)}`);
      table[key] = checkNumber(`${field}.speedup["${key}"]`, s, { above: 0 });
    }
    return { kind: "table", speedup: table };
  }
  throw new OptionError(`${field}.kind`, `got unknown name ${JSON.stringify(v.kind)}; known: amdahl, table`);
}

/** Parses the CLI's scaling text: "amdahl:0.9", or "table:1=1,2=1.8,4=3.1". */
export function parseResourceScaling(field: string, text: string): ResourceScaling {
  const [kind, rest = ""] = text.split(":", 2) as [string, string?];
  if (kind === "amdahl") return checkResourceScaling(field, { kind, parallelFraction: rest.trim() === "" ? Number.NaN : Number(rest) });
  if (kind === "table") {
    const speedup: Record<string, number> = {};
    for (const pair of rest.split(",")) {
      const [workers, s] = pair.split("=");
      if (workers === undefined || s === undefined || workers.trim() === "") {
        throw new OptionError(field, `must be "table:W=S,W=S..." (e.g. table:1=1,2=1.8), got ${JSON.stringify(text)}`);
      }
      speedup[workers.trim()] = s.trim() === "" ? Number.NaN : Number(s);
    }
    return checkResourceScaling(field, { kind, speedup });
  }
  throw new OptionError(field, `must be "amdahl:P" or "table:W=S,..." (e.g. amdahl:0.9), got ${JSON.stringify(text)}`);
}

const sortedTables = new WeakMap<ResourceScaling, Array<[number, number]>>();

function sortedTable(scaling: ResourceScaling & { kind: "table" }): Array<[number, number]> {
  let rows = sortedTables.get(scaling);
  if (!rows) {
    rows = Object.entries(scaling.speedup).map(([k, s]): [number, number] => [Number(k), s]).sort((a, b) => a[0] - b[0]);
    sortedTables.set(scaling, rows);
  }
  return rows;
}

function interpolate(rows: ReadonlyArray<readonly [number, number]>, x: number): number {
  const first = rows[0] as readonly [number, number];
  if (x <= first[0]) return first[1];
  for (let i = 1; i < rows.length; i++) {
    const [x1, y1] = rows[i] as readonly [number, number];
    if (x <= x1) {
      const [x0, y0] = rows[i - 1] as readonly [number, number];
      return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
    }
  }
  return (rows[rows.length - 1] as readonly [number, number])[1];
}
