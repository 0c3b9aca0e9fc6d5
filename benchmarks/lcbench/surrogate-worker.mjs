// Worker thread that owns the ONNX Runtime session, so the main thread can call
// the surrogate synchronously (Objective.init/step are synchronous): the main
// thread posts a batch and blocks on Atomics.wait; this thread runs the
// session's async `run` and writes the output into shared memory.
// Plain JavaScript on purpose: a worker is started by Node itself, outside tsx.
import { parentPort, workerData } from "node:worker_threads";
import ort from "onnxruntime-node";

const { modelPath, control, output, message, threads } = workerData;
const ctrl = new Int32Array(control); // [0] status: 0 busy, 1 done, 2 error; [1] rows; [2] message bytes
const out = new Float32Array(output);
const msg = new Uint8Array(message);
const encoder = new TextEncoder();

function finish(status, rows, error) {
  if (error !== undefined) {
    const bytes = encoder.encode(String(error && error.message ? error.message : error)).subarray(0, msg.length);
    msg.set(bytes);
    Atomics.store(ctrl, 2, bytes.length);
  }
  Atomics.store(ctrl, 1, rows);
  Atomics.store(ctrl, 0, status);
  Atomics.notify(ctrl, 0);
}

let session;
try {
  session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: threads, interOpNumThreads: 1 });
  parentPort.postMessage({ ready: true, inputs: session.inputNames, outputs: session.outputNames });
} catch (error) {
  parentPort.postMessage({ ready: false, error: String(error && error.message ? error.message : error) });
}

parentPort.on("message", async ({ rows, cat, cont, catWidth, contWidth }) => {
  try {
    const result = await session.run({
      x_cat: new ort.Tensor("int32", cat, [rows, catWidth]),
      x_cont: new ort.Tensor("float32", cont, [rows, contWidth]),
    });
    const data = result[session.outputNames[0]].data;
    out.set(data);
    finish(1, rows);
  } catch (error) {
    finish(2, 0, error);
  }
});
