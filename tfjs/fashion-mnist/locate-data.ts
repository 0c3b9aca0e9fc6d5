import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { SavedStateError } from "../../core/contracts/index.ts";
import { downloadChecksummedFiles, sha256, type FetchLike } from "../../benchmarks/data/checksummed-download.ts";
import { DEBIAN_FASHION_MNIST_DIR, FASHION_MNIST_FILES, FASHION_MNIST_INSTALL_HINT, FASHION_MNIST_SOURCE_URL, type FashionMnistFile } from "./data-files.ts";

export interface LocateFashionMnistOptions {
  /** A folder of the four files, .gz or decompressed (checked, never written). */
  dataDir?: string;
  /** Where downloads go. @defaultValue $XDG_CACHE_HOME/tunelab/fashion-mnist, else ~/.cache/tunelab/fashion-mnist */
  cacheDir?: string;
  /** @defaultValue TUNELAB_FASHION_MNIST_URL or FASHION_MNIST_SOURCE_URL */
  baseUrl?: string;
  /** @defaultValue globalThis.fetch */
  fetch?: FetchLike;
  /** Download what is missing (false: only look). @defaultValue true */
  download?: boolean;
  log?: (line: string) => void;
  /** Where Debian's package puts the files. @defaultValue DEBIAN_FASHION_MNIST_DIR */
  debianDir?: string;
  /** The files and their checksums (a mirror of other data, or a test's fixture). @defaultValue FASHION_MNIST_FILES */
  files?: readonly FashionMnistFile[];
}

export function defaultFashionMnistCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "tunelab", "fashion-mnist");
}

/** The path of `file` in `dir`, decompressed or gzipped, or undefined. */
function fileIn(dir: string, file: FashionMnistFile): string | undefined {
  for (const name of [file.name, file.gzName]) if (existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

/** A file's idx bytes, checked against its SHA-256; a one-line error saying how to get it right otherwise. */
export function readFashionMnistFile(dir: string, file: FashionMnistFile): Uint8Array {
  const path = fileIn(dir, file);
  if (path === undefined) throw new SavedStateError("", `Fashion-MNIST: ${join(dir, file.gzName)} is missing; ${FASHION_MNIST_INSTALL_HINT}`);
  let bytes: Uint8Array = readFileSync(path);
  if (path.endsWith(".gz")) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new SavedStateError("", `Fashion-MNIST: ${path} is corrupt (${(error as Error).message}); ${FASHION_MNIST_INSTALL_HINT}`);
    }
  }
  const digest = sha256(bytes);
  if (digest !== file.sha256) throw new SavedStateError("", `Fashion-MNIST: ${path} is corrupt (SHA-256 ${digest.slice(0, 12)}..., expected ${file.sha256.slice(0, 12)}...); ${FASHION_MNIST_INSTALL_HINT}`);
  return bytes;
}

function complete(dir: string, files: readonly FashionMnistFile[]): boolean {
  return files.every((f) => fileIn(dir, f) !== undefined);
}

/**
 * The folder to read: `dataDir`, else TUNELAB_FASHION_MNIST_DIR, else Debian's
 * /usr/share/datasets/fashion-mnist when it has all four files, else the cache
 * (downloading what is missing or corrupt unless `download: false`).
 */
export async function locateFashionMnist(options: LocateFashionMnistOptions = {}): Promise<string> {
  const given = options.dataDir ?? process.env.TUNELAB_FASHION_MNIST_DIR;
  if (given !== undefined) return given;
  const files = options.files ?? FASHION_MNIST_FILES;
  const debianDir = options.debianDir ?? DEBIAN_FASHION_MNIST_DIR;
  if (complete(debianDir, files)) return debianDir;
  const cacheDir = options.cacheDir ?? defaultFashionMnistCacheDir();
  if (options.download === false) return cacheDir;
  return downloadChecksummedFiles({
    label: "Fashion-MNIST",
    files,
    dir: cacheDir,
    baseUrl: options.baseUrl ?? process.env.TUNELAB_FASHION_MNIST_URL ?? FASHION_MNIST_SOURCE_URL,
    // Upstream serves .gz; the checksum is of the idx bytes, which are cached decompressed.
    prepare: (_file, bytes) => gunzipSync(bytes),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.log ? { log: options.log } : {}),
  }).catch((error: unknown) => {
    throw new SavedStateError("", `${(error as Error).message}; ${FASHION_MNIST_INSTALL_HINT}`);
  });
}
