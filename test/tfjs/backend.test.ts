import { describe, expect, it } from "vitest";
import { OptionError } from "../../core/contracts/index.ts";
import { backendOrder, DEFAULT_BACKEND_ORDER, describeBackend, tf, useFastestBackend } from "../../tfjs/backend.ts";

describe("tfjs backend choice", () => {
  it("reads the order from TUNELAB_TFJS_BACKENDS and refuses an unknown name in one line", () => {
    expect(backendOrder(undefined)).toEqual(DEFAULT_BACKEND_ORDER);
    expect(backendOrder(" wasm , cpu")).toEqual(["wasm", "cpu"]);
    expect(() => backendOrder("wasm,cuda")).toThrow(OptionError);
    expect(() => backendOrder("wasm,cuda")).toThrow('TUNELAB_TFJS_BACKENDS: "cuda" is not a tfjs backend; use a comma list of node-gpu, node, wasm, cpu, webgpu');
  });

  it("takes the first backend that loads: here the native packages are absent, so wasm, and says why the others were skipped", async () => {
    const choice = await useFastestBackend([], ["node-gpu", "node", "wasm", "cpu"]);
    expect(choice.name).toBe("wasm");
    expect(tf.getBackend()).toBe("wasm");
    expect(choice.skipped).toEqual(["node-gpu: @tensorflow/tfjs-node-gpu is not installed", "node: @tensorflow/tfjs-node is not installed"]);
    expect(describeBackend(choice)).toMatch(/^tfjs backend wasm \[wasm\] on CPU \(WebAssembly\) \(skipped: node-gpu: .*\)$/);
  });

  it("skips a backend without a kernel the model needs (wasm has no convolution gradient) and switches back when it is not needed", async () => {
    const cnn = await useFastestBackend(["Conv2DBackpropFilter"], ["wasm", "cpu"]);
    expect(cnn.name).toBe("cpu");
    expect(cnn.skipped).toEqual(["wasm: has no Conv2DBackpropFilter kernel"]);
    expect(tf.getBackend()).toBe("cpu");
    const mlp = await useFastestBackend([], ["wasm", "cpu"]);
    expect(mlp.name).toBe("wasm");
    expect(tf.getBackend()).toBe("wasm");
  });

  it("fails in one line when nothing qualifies", async () => {
    await expect(useFastestBackend(["NoSuchKernel"], ["wasm", "cpu"])).rejects.toThrow("no tfjs backend loaded (wasm: has no NoSuchKernel kernel; cpu: has no NoSuchKernel kernel)");
  });
});
