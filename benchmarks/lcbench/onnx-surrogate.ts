import { Worker } from "node:worker_threads";
import { ContractError } from "../../core/contracts/index.ts";
import { waitForAnswer } from "./wait-for-answer.ts";

/** Shape of the YAHPO LCBench network: x_cat [rows, 1] int32, x_cont [rows, 8] float32 -> output [rows, 6]. */
export const CAT_WIDTH = 1;
export const CONT_WIDTH = 8;
export const OUTPUT_WIDTH = 6;

export interface OnnxSurrogateOptions {
  /** Largest batch one call may carry (sizes the shared output buffer). @defaultValue 8192 */
  maxRows?: number;
  /** ONNX Runtime intra-op threads. @defaultValue 1 (the simulator is single-threaded; one core is the fair share) */
  threads?: number;
  /** A call that takes longer than this throws instead of hanging. @defaultValue 60000 */
  timeoutMs?: number;
}

/**
 * The YAHPO LCBench ONNX model behind a synchronous `predict`.
 *
 * onnxruntime-node only offers an async `run`, and TuneLab's Objective contract
 * is synchronous (the simulator's event loop calls init/step inline). The
 * session therefore lives in a worker thread: `predict` posts the batch and
 * blocks on Atomics.wait until the worker has written the output into shared
 * memory. Only public onnxruntime-node API is used. A call costs one thread
 * hop (tens of microseconds) on top of inference, which is why callers send a
 * whole learning curve (52 rows) per call, not one row per epoch.
 */
/** What a surrogate has computed so far (cumulative; take differences around a run). */
export interface SurrogateUsage {
  calls: number;
  rows: number;
  /** Wall seconds inside `predict` (inference plus the thread hop; the caller is blocked meanwhile). */
  seconds: number;
}

/** Node 20 has Atomics.waitAsync; the project's lib (ES2023) does not declare it. */
interface AtomicsWaitAsync {
  waitAsync(array: Int32Array, index: number, value: number): { async: false; value: string } | { async: true; value: Promise<string> };
}

export class OnnxSurrogate {
  readonly usage: SurrogateUsage = { calls: 0, rows: 0, seconds: 0 };
  private readonly ctrl: Int32Array;
  private readonly out: Float32Array;
  private readonly msg: Uint8Array;
  private closed = false;
  /**
   * Why this surrogate can compute no more (a call timed out, or it was closed), else
   * undefined. A caller that caught the error of a call (the simulator fails the trial and
   * goes on) reads it here: a run that lost a surrogate answer is not that benchmark's run.
   */
  get failure(): string | undefined {
    return this.failedWith ?? (this.closed ? "LCBench surrogate: closed" : undefined);
  }
  /**
   * Set when a call timed out. The worker may still answer that call later, into the
   * same shared buffer, and the next call would read the late answer as its own (every
   * curve after it shifted by one call). So a surrogate that timed out is not used again.
   */
  private failedWith: string | undefined;

  private constructor(
    private readonly worker: Worker,
    control: SharedArrayBuffer,
    output: SharedArrayBuffer,
    message: SharedArrayBuffer,
    readonly maxRows: number,
    private readonly timeoutMs: number,
  ) {
    this.ctrl = new Int32Array(control);
    this.out = new Float32Array(output);
    this.msg = new Uint8Array(message);
  }

  /** Starts the worker and loads the model; rejects with the loader's message if the file is unusable. */
  static async open(modelPath: string, options: OnnxSurrogateOptions = {}): Promise<OnnxSurrogate> {
    const maxRows = options.maxRows ?? 8192;
    const control = new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT);
    const output = new SharedArrayBuffer(maxRows * OUTPUT_WIDTH * Float32Array.BYTES_PER_ELEMENT);
    const message = new SharedArrayBuffer(1024);
    const worker = new Worker(new URL("./surrogate-worker.mjs", import.meta.url), {
      workerData: { modelPath, control, output, message, threads: options.threads ?? 1 },
    });
    await new Promise<void>((resolve, reject) => {
      worker.once("error", reject);
      worker.once("message", (m: { ready: boolean; error?: string; inputs?: string[]; outputs?: string[] }) => {
        if (!m.ready) reject(new ContractError("", `LCBench surrogate ${modelPath}: ${m.error}`));
        else if (m.inputs?.join() !== "x_cat,x_cont" || m.outputs?.length !== 1) {
          reject(new ContractError("", `LCBench surrogate ${modelPath}: expected inputs x_cat,x_cont and one output, got ${m.inputs?.join()} -> ${m.outputs?.join()}`));
        } else resolve();
      });
    }).catch(async (error: unknown) => {
      await worker.terminate();
      throw error;
    });
    // An idle surrogate must not keep the process alive.
    worker.unref();
    return new OnnxSurrogate(worker, control, output, message, maxRows, options.timeoutMs ?? 60_000);
  }

  /**
   * Runs `rows` rows synchronously; returns a fresh [rows x 6] Float32Array in
   * YAHPO's output order (time, val_accuracy, val_cross_entropy,
   * val_balanced_accuracy, test_cross_entropy, test_balanced_accuracy).
   */
  predict(cat: Int32Array, cont: Float32Array, rows: number): Float32Array {
    if (this.failedWith !== undefined) throw new ContractError("", `LCBench surrogate: an earlier call got no answer within ${this.timeoutMs} ms; its late answer could be read as this call's, so this surrogate is not used again`);
    if (this.closed) throw new ContractError("", "LCBench surrogate: used after close()");
    if (!(Number.isInteger(rows) && rows >= 1 && rows <= this.maxRows)) {
      throw new ContractError("", `LCBench surrogate: rows must be an integer in [1, ${this.maxRows}], got ${rows}`);
    }
    if (cat.length !== rows * CAT_WIDTH || cont.length !== rows * CONT_WIDTH) {
      throw new ContractError("", `LCBench surrogate: ${rows} rows need ${rows * CAT_WIDTH} categorical and ${rows * CONT_WIDTH} continuous inputs, got ${cat.length} and ${cont.length}`);
    }
    const started = performance.now();
    Atomics.store(this.ctrl, 0, 0);
    this.worker.postMessage({ rows, cat, cont, catWidth: CAT_WIDTH, contWidth: CONT_WIDTH });
    const waited = waitForAnswer(this.ctrl, this.timeoutMs);
    if (waited === "timed-out") {
      // Stopped only once the late answer has landed: terminating the worker while ONNX
      // Runtime is inside run() aborts the whole process (an uncatchable native error).
      const late = (Atomics as unknown as AtomicsWaitAsync).waitAsync(this.ctrl, 0, 0);
      void (late.async ? late.value : Promise.resolve()).then(() => this.close());
      this.failedWith = `LCBench surrogate: no answer within ${this.timeoutMs} ms (its worker is stopped once that answer lands)`;
      throw new ContractError("", this.failedWith);
    }
    const status = Atomics.load(this.ctrl, 0);
    this.usage.calls++;
    this.usage.rows += rows;
    this.usage.seconds += (performance.now() - started) / 1000;
    if (status !== 1) {
      const length = Atomics.load(this.ctrl, 2);
      const text = status === 2 ? new TextDecoder().decode(this.msg.slice(0, length)) : "";
      throw new ContractError("", `LCBench surrogate: ${text || `no result (status ${status}, ${rows} rows)`}`);
    }
    return this.out.slice(0, rows * OUTPUT_WIDTH);
  }

  /** Stops the worker. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.worker.terminate();
  }
}
