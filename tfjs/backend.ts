/**
 * Picks, at run time, the fastest tfjs backend that loads in this process:
 *   1. @tensorflow/tfjs-node-gpu (libtensorflow with CUDA),
 *   2. @tensorflow/tfjs-node (libtensorflow, CPU),
 *   3. @tensorflow/tfjs-backend-wasm (XNNPACK kernels; a TuneLab dependency, installs offline),
 *   4. the pure-JS CPU backend of @tensorflow/tfjs.
 * The two native packages are optional: their install downloads libtensorflow, so
 * they are not dependencies (docs/architecture/tfjs.md says how to add them).
 * `webgpu` (@tensorflow/tfjs-backend-webgpu with Dawn from the `webgpu` npm
 * package) is tried only when named in TUNELAB_TFJS_BACKENDS: it is neither a
 * dependency nor known to work off a real GPU driver.
 */
import * as tf from "@tensorflow/tfjs";
import { OptionError } from "../core/contracts/index.ts";

export type TfjsBackendName = "node-gpu" | "node" | "wasm" | "cpu" | "webgpu";

export const DEFAULT_BACKEND_ORDER: readonly TfjsBackendName[] = ["node-gpu", "node", "wasm", "cpu"];
const KNOWN: readonly TfjsBackendName[] = ["node-gpu", "node", "wasm", "cpu", "webgpu"];

/** The backend chosen, and why each one before it was passed over. */
export interface TfjsBackendChoice {
  readonly name: TfjsBackendName;
  /** tfjs's own name for it ("tensorflow", "wasm", "cpu", "webgpu"). */
  readonly tfName: string;
  /** What the backend says it runs on, e.g. the CUDA device tfjs-node-gpu found, or "CPU". */
  readonly device: string;
  readonly skipped: readonly string[];
}

/** The order from TUNELAB_TFJS_BACKENDS ("wasm,cpu"), else the default. */
export function backendOrder(env: string | undefined = process.env.TUNELAB_TFJS_BACKENDS): readonly TfjsBackendName[] {
  if (env === undefined || env.trim() === "") return DEFAULT_BACKEND_ORDER;
  const names = env.split(",").map((s) => s.trim());
  for (const name of names) {
    if (!(KNOWN as readonly string[]).includes(name)) {
      throw new OptionError("TUNELAB_TFJS_BACKENDS", `"${name}" is not a tfjs backend; use a comma list of ${KNOWN.join(", ")}`);
    }
  }
  return names as TfjsBackendName[];
}

// A package name held in a variable: the type checker and bundlers must not require the optional packages.
async function importOptional(pkg: string): Promise<unknown> {
  try {
    return await import(pkg);
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_MODULE_NOT_FOUND" && (error as Error).message.includes(`'${pkg}'`)) throw new Error(`${pkg} is not installed`);
    throw error;
  }
}

async function load(name: TfjsBackendName): Promise<{ tfName: string; device: string }> {
  switch (name) {
    case "node-gpu":
    case "node": {
      // Both register the "tensorflow" backend on the @tensorflow/tfjs they depend on: the same module as ours when deduplicated.
      await importOptional(name === "node-gpu" ? "@tensorflow/tfjs-node-gpu" : "@tensorflow/tfjs-node");
      if (!(await tf.setBackend("tensorflow"))) throw new Error("the tensorflow backend did not initialise");
      // tfjs-node-gpu falls back to CPU kernels silently when CUDA is missing: ask libtensorflow which devices it sees.
      return { tfName: "tensorflow", device: name === "node-gpu" ? await cudaDevice() : "CPU" };
    }
    case "wasm": {
      await import("@tensorflow/tfjs-backend-wasm");
      if (!(await tf.setBackend("wasm"))) throw new Error("the wasm backend did not initialise");
      return { tfName: "wasm", device: "CPU (WebAssembly)" };
    }
    case "webgpu": {
      const dawn = (await importOptional("webgpu")) as { create(options: string[]): unknown; globals: Record<string, unknown> };
      Object.assign(globalThis, dawn.globals);
      const gpu = dawn.create([]) as { requestAdapter(): Promise<{ info?: { vendor?: string; description?: string } } | null> };
      Object.defineProperty(globalThis, "navigator", { value: { gpu }, configurable: true });
      const adapter = await gpu.requestAdapter();
      if (adapter === null) throw new Error("Dawn found no GPU adapter");
      await importOptional("@tensorflow/tfjs-backend-webgpu");
      if (!(await tf.setBackend("webgpu"))) throw new Error("the webgpu backend did not initialise");
      const info = adapter.info ?? {};
      return { tfName: "webgpu", device: `${info.vendor ?? "?"} ${info.description ?? ""}`.trim() };
    }
    case "cpu": {
      if (!(await tf.setBackend("cpu"))) throw new Error("the cpu backend did not initialise");
      return { tfName: "cpu", device: "CPU (JavaScript)" };
    }
  }
}

async function cudaDevice(): Promise<string> {
  // A tiny op placed by libtensorflow; tfjs-node exposes no device list, so read what CUDA_VISIBLE_DEVICES allows.
  const visible = process.env.CUDA_VISIBLE_DEVICES;
  tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1)).dataSync());
  return visible === undefined || visible.trim() === "" || visible === "-1" ? "CPU (no CUDA device visible)" : `CUDA device(s) ${visible}`;
}

// Each backend is loaded at most once per process; the outcome (tfjs name and device, or why not) is kept.
const attempts = new Map<TfjsBackendName, Promise<{ tfName: string; device: string }>>();

function attempt(name: TfjsBackendName): Promise<{ tfName: string; device: string }> {
  let p = attempts.get(name);
  if (!p) {
    p = load(name).then(async (loaded) => {
      await tf.ready();
      return loaded;
    });
    attempts.set(name, p);
  }
  return p;
}

/**
 * Makes the first backend of `order` that loads, and registers every kernel in
 * `kernels`, tfjs's backend. `kernels` lets a model skip a backend that cannot
 * train it: the wasm backend has no convolution gradients (Conv2DBackpropFilter),
 * so a CNN falls through to the next. Throws only if none qualifies.
 */
export async function useFastestBackend(kernels: readonly string[] = [], order: readonly TfjsBackendName[] = backendOrder()): Promise<TfjsBackendChoice> {
  const skipped: string[] = [];
  for (const name of order) {
    try {
      const { tfName, device } = await attempt(name);
      const missing = kernels.filter((k) => tf.getKernel(k, tfName) === undefined);
      if (missing.length > 0) {
        skipped.push(`${name}: has no ${missing.join(", ")} kernel`);
        continue;
      }
      if (tf.getBackend() !== tfName && !(await tf.setBackend(tfName))) throw new Error(`tf.setBackend("${tfName}") failed`);
      return { name, tfName, device, skipped };
    } catch (error) {
      skipped.push(`${name}: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}`);
    }
  }
  throw new Error(`no tfjs backend loaded (${skipped.join("; ")})`);
}

/** One line for a trial's log: which backend, on what, and why the faster ones were not used. */
export function describeBackend(choice: TfjsBackendChoice): string {
  const skipped = choice.skipped.length > 0 ? ` (skipped: ${choice.skipped.join("; ")})` : "";
  return `tfjs backend ${choice.name} [${choice.tfName}] on ${choice.device}${skipped}`;
}

export { tf };
