import type { Config } from "../../core/contracts/index.ts";

/**
 * A config's identity for lookups: JSON with keys sorted at every level. Numbers
 * written to JSON read back as the same doubles, so a config recorded on disk
 * and the same config suggested again (same searcher, same seed) get one key.
 */
export function configKey(config: Config): string {
  return JSON.stringify(sorted(config));
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sorted((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}
