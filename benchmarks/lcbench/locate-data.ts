import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { SavedStateError } from "../../core/contracts/index.ts";
import { downloadChecksummedFiles, sha256, type FetchLike } from "../data/checksummed-download.ts";
import { LCBENCH_FILES, LCBENCH_SOURCE_URL, type LcbenchFile } from "./data-files.ts";

export type { FetchLike };

export interface LocateLcbenchOptions {
  /** Use this folder as is (checked, never written). */
  dataDir?: string;
  /** Where downloads go. @defaultValue $XDG_CACHE_HOME/tunelab/yahpo-lcbench, else ~/.cache/tunelab/yahpo-lcbench */
  cacheDir?: string;
  /** @defaultValue TUNELAB_LCBENCH_URL or LCBENCH_SOURCE_URL */
  baseUrl?: string;
  /** @defaultValue globalThis.fetch */
  fetch?: FetchLike;
  /** Reports each file fetched. */
  log?: (line: string) => void;
}

/** The repository's shared copy, used by tests and CI (never copied into the tree). */
export const REPO_DATA_DIR = resolve(import.meta.dirname, "../../../shared/data/yahpo-lcbench");

export { sha256 };

/**
 * A folder holding every LCBENCH_FILES entry with its expected checksum:
 * `dataDir`, else TUNELAB_LCBENCH_DIR, else the repository's ../shared copy
 * when it exists, else the cache, downloading whatever is missing or corrupt.
 */
export async function locateLcbenchData(options: LocateLcbenchOptions = {}): Promise<string> {
  const given = options.dataDir ?? process.env.TUNELAB_LCBENCH_DIR;
  if (given !== undefined) {
    checkFolder(given);
    return given;
  }
  if (existsSync(join(REPO_DATA_DIR, "model.onnx"))) {
    checkFolder(REPO_DATA_DIR);
    return REPO_DATA_DIR;
  }
  return downloadLcbenchData(options);
}

/** The default cache folder. */
export function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache");
  return join(base, "tunelab", "yahpo-lcbench");
}

/** Fills the cache folder (see benchmarks/data/checksummed-download.ts). */
export async function downloadLcbenchData(options: LocateLcbenchOptions = {}): Promise<string> {
  return downloadChecksummedFiles({
    label: "LCBench data",
    files: LCBENCH_FILES,
    dir: options.cacheDir ?? defaultCacheDir(),
    baseUrl: options.baseUrl ?? process.env.TUNELAB_LCBENCH_URL ?? LCBENCH_SOURCE_URL,
    prepare,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
}

function prepare(file: LcbenchFile, bytes: Uint8Array): Uint8Array {
  if (!file.keepLcbenchRows) return bytes;
  const lines = new TextDecoder().decode(bytes).split("\n");
  const kept = lines.filter((line, i) => i === 0 || line.split(",")[3] === "lcbench");
  return new TextEncoder().encode(kept.join("\n") + (kept.at(-1) === "" ? "" : "\n"));
}

function checkFolder(dir: string): void {
  for (const file of LCBENCH_FILES) {
    const path = join(dir, file.name);
    if (!existsSync(path)) throw new SavedStateError("", `LCBench data: ${path} is missing`);
    const digest = sha256(readFileSync(path));
    if (digest !== file.sha256) throw new SavedStateError("", `LCBench data: ${path} has SHA-256 ${digest}, expected ${file.sha256}`);
  }
}
