/**
 * Cached downloads of public data files, each checked against a SHA-256 before it
 * is kept. One implementation for every data set TuneLab fetches (LCBench's
 * surrogate, Fashion-MNIST): a file already cached with the right checksum is
 * kept; any other is fetched, checked, and only then moved into place (a
 * temporary name first, so an interrupted download never looks complete).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SavedStateError } from "../../core/contracts/index.ts";

/** The subset of WHATWG fetch the downloader needs (Node 20's global fetch fits; tests inject their own). */
export type FetchLike = (url: string) => Promise<{ ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer> }>;

/** One file of a data set. */
export interface ChecksummedFile {
  /** Name in the cache folder. */
  readonly name: string;
  /** Path under the source's base URL. */
  readonly source: string;
  /** SHA-256 of the bytes kept (after `prepare`, when given). */
  readonly sha256: string;
}

export interface ChecksummedDownload<F extends ChecksummedFile> {
  /** Names the data set in messages ("LCBench data"). */
  readonly label: string;
  readonly files: readonly F[];
  /** The cache folder (created when missing). */
  readonly dir: string;
  readonly baseUrl: string;
  /** @defaultValue globalThis.fetch */
  readonly fetch?: FetchLike;
  /** Reports each file fetched. */
  readonly log?: (line: string) => void;
  /** Turns the fetched bytes into the bytes kept (a filter, a decompression); the checksum is of its result. */
  readonly prepare?: (file: F, bytes: Uint8Array) => Uint8Array;
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Fills `dir` with every file of `files`, fetching only what is missing or corrupt; returns `dir`. */
export async function downloadChecksummedFiles<F extends ChecksummedFile>(d: ChecksummedDownload<F>): Promise<string> {
  const fetchFn = d.fetch ?? (globalThis.fetch as unknown as FetchLike);
  mkdirSync(d.dir, { recursive: true });
  for (const file of d.files) {
    const path = join(d.dir, file.name);
    if (existsSync(path) && sha256(readFileSync(path)) === file.sha256) continue;
    const url = new URL(file.source, d.baseUrl.endsWith("/") ? d.baseUrl : `${d.baseUrl}/`).toString();
    d.log?.(`fetching ${url}`);
    let response: Awaited<ReturnType<FetchLike>>;
    try {
      response = await fetchFn(url);
    } catch (error) {
      throw new SavedStateError("", `${d.label}: cannot fetch ${url}: ${(error as Error).message}`);
    }
    if (!response.ok) throw new SavedStateError("", `${d.label}: ${url} answered HTTP ${response.status}`);
    const fetched = new Uint8Array(await response.arrayBuffer());
    let bytes: Uint8Array;
    try {
      bytes = d.prepare ? d.prepare(file, fetched) : fetched;
    } catch (error) {
      throw new SavedStateError("", `${d.label}: ${url} is unreadable: ${(error as Error).message} (nothing was kept)`);
    }
    const digest = sha256(bytes);
    if (digest !== file.sha256) {
      throw new SavedStateError("", `${d.label}: ${url} has SHA-256 ${digest}, expected ${file.sha256} (changed upstream or corrupted; nothing was kept)`);
    }
    const partial = `${path}.partial-${process.pid}`;
    writeFileSync(partial, bytes);
    renameSync(partial, path);
  }
  return d.dir;
}
