import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { SavedStateError } from "../../core/contracts/index.ts";
import { LCBENCH_FILES, LCBENCH_SOURCE_URL, type LcbenchFile } from "./data-files.ts";

/** The subset of WHATWG fetch the downloader needs (Node 20's global fetch fits; tests inject their own). */
export type FetchLike = (url: string) => Promise<{ ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer> }>;

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

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

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

/**
 * Fills the cache folder: a file already there with the right checksum is
 * kept; any other is fetched, checked, and only then moved into place (a
 * temporary name first, so an interrupted download never looks complete).
 */
export async function downloadLcbenchData(options: LocateLcbenchOptions = {}): Promise<string> {
  const dir = options.cacheDir ?? defaultCacheDir();
  const base = options.baseUrl ?? process.env.TUNELAB_LCBENCH_URL ?? LCBENCH_SOURCE_URL;
  const fetchFn = options.fetch ?? (globalThis.fetch as unknown as FetchLike);
  mkdirSync(dir, { recursive: true });
  for (const file of LCBENCH_FILES) {
    const path = join(dir, file.name);
    if (existsSync(path) && sha256(readFileSync(path)) === file.sha256) continue;
    const url = new URL(file.source, base.endsWith("/") ? base : `${base}/`).toString();
    options.log?.(`fetching ${url}`);
    let response: Awaited<ReturnType<FetchLike>>;
    try {
      response = await fetchFn(url);
    } catch (error) {
      throw new SavedStateError("", `LCBench data: cannot fetch ${url}: ${(error as Error).message}`);
    }
    if (!response.ok) throw new SavedStateError("", `LCBench data: ${url} answered HTTP ${response.status}`);
    const bytes = prepare(file, new Uint8Array(await response.arrayBuffer()));
    const digest = sha256(bytes);
    if (digest !== file.sha256) {
      throw new SavedStateError("", `LCBench data: ${url} has SHA-256 ${digest}, expected ${file.sha256} (changed upstream or corrupted; nothing was kept)`);
    }
    const partial = `${path}.partial-${process.pid}`;
    writeFileSync(partial, bytes);
    renameSync(partial, path);
  }
  return dir;
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
