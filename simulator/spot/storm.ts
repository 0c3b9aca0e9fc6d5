import { checkNumber, nonEmptyString, OptionError } from "../../core/errors/index.ts";
import type { Rng } from "../../core/rng.ts";

/** A correlated reclaim: at `atSeconds`, `fraction` of the spot nodes (of `nodeType`, or of every spot type) are lost at once. */
export interface Storm {
  readonly atSeconds: number;
  /** In (0, 1]: the share of the spot nodes lost, rounded to the nearest node. */
  readonly fraction: number;
  readonly nodeType?: string;
}

export function checkStorm(field: string, storm: Storm): Storm {
  checkNumber(`${field}.atSeconds`, storm.atSeconds, { min: 0 });
  checkNumber(`${field}.fraction`, storm.fraction, { above: 0, max: 1 });
  if (storm.nodeType !== undefined) nonEmptyString(`${field}.nodeType`, storm.nodeType);
  return { atSeconds: storm.atSeconds, fraction: storm.fraction, ...(storm.nodeType !== undefined ? { nodeType: storm.nodeType } : {}) };
}

/** Parses the CLI's `FRACTION@SECONDS[:TYPE]`, e.g. `0.9@600` or `0.5@3600:gpu8`. */
export function parseStorm(field: string, text: string): Storm {
  const match = /^([^@:]+)@([^@:]+)(?::(.+))?$/.exec(text.trim());
  if (!match) throw new OptionError(field, `must be FRACTION@SECONDS[:TYPE], e.g. 0.9@600, got ${JSON.stringify(text)}`);
  const fraction = Number(match[1]);
  const atSeconds = Number(match[2]);
  if (!(fraction > 0 && fraction <= 1)) throw new OptionError(field, `fraction must be in (0, 1], got ${JSON.stringify(match[1])}`);
  if (!(atSeconds >= 0) || !Number.isFinite(atSeconds)) throw new OptionError(field, `time must be seconds >= 0, got ${JSON.stringify(match[2])}`);
  return { atSeconds, fraction, ...(match[3] !== undefined ? { nodeType: match[3] } : {}) };
}

/**
 * The victims of a storm among `candidates` (ascending node index): round(fraction x n)
 * of them, chosen uniformly by a partial Fisher-Yates shuffle on the storm's own stream.
 */
export function stormVictims<T>(candidates: readonly T[], fraction: number, rng: Rng): T[] {
  return pickVictims(candidates, Math.round(fraction * candidates.length), rng);
}

/** `k` of `candidates` chosen uniformly (all of them when k >= their number). */
export function pickVictims<T>(candidates: readonly T[], count: number, rng: Rng): T[] {
  const pool = [...candidates];
  const k = Math.min(pool.length, Math.max(0, count));
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(pool.length - i);
    const tmp = pool[i] as T;
    pool[i] = pool[j] as T;
    pool[j] = tmp;
  }
  return pool.slice(0, k);
}
