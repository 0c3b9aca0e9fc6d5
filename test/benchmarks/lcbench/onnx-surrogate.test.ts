import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CAT_WIDTH, CONT_WIDTH, OnnxSurrogate } from "../../../benchmarks/lcbench/onnx-surrogate.ts";
import { locateLcbenchData } from "../../../benchmarks/lcbench/locate-data.ts";

describe("OnnxSurrogate after a timed-out call", () => {
  it("refuses every later call, so the late answer of the timed-out one is never read as another call's", async () => {
    const dir = await locateLcbenchData();
    // timeoutMs 0: Atomics.wait gives up before the worker can have answered, and the
    // worker's answer then lands in the shared buffer after the call has thrown.
    const surrogate = await OnnxSurrogate.open(join(dir, "model.onnx"), { timeoutMs: 0 });
    try {
      const cat = new Int32Array(CAT_WIDTH);
      const cont = new Float32Array(CONT_WIDTH).fill(0.5);
      // A call the worker answers before Atomics.wait starts still gets its own answer (a
      // loaded machine can deschedule this thread in between): call until one times out.
      let error: unknown;
      for (let attempt = 0; attempt < 1000 && error === undefined; attempt++) {
        try {
          surrogate.predict(cat, cont, 1);
        } catch (thrown) {
          error = thrown;
        }
      }
      expect(String(error)).toMatch(/no answer within 0 ms/);
      expect(surrogate.failure).toMatch(/no answer within 0 ms/);
      await new Promise((resolve) => setTimeout(resolve, 200)); // time for a late answer, had the worker lived
      expect(() => surrogate.predict(cat, cont, 1)).toThrow(/an earlier call got no answer within 0 ms; .* not used again/);
    } finally {
      await surrogate.close();
    }
  });
});
