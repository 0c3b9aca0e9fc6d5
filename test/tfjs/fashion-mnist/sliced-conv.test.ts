import { describe, expect, it } from "vitest";
import { tf, useFastestBackend } from "../../../tfjs/backend.ts";
import { MaxPool2x2, SlicedConv2D } from "../../../tfjs/fashion-mnist/sliced-conv.ts";

function close(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);
}

describe("convolution and pooling from differentiable-everywhere ops (sliced-conv.ts)", () => {
  it("computes what conv2d (valid, stride 1) + ReLU computes, with the same kernel", async () => {
    await useFastestBackend([], ["wasm"]);
    const x = tf.randomNormal([2, 7, 6, 3], 0, 1, "float32", 1) as tf.Tensor4D;
    const layer = new SlicedConv2D({ filters: 4, l2: 0, seed: 5 });
    const out = layer.apply(x) as tf.Tensor;
    const [kernel, bias] = layer.getWeights() as [tf.Tensor4D, tf.Tensor1D];
    expect(kernel.shape).toEqual([3, 3, 3, 4]);
    // A nonzero bias, so a wrong broadcast would show.
    layer.setWeights([kernel, tf.tensor1d([0.5, -0.5, 0.1, 0])]);
    const withBias = layer.apply(x) as tf.Tensor;
    const reference = tf.relu(tf.add(tf.conv2d(x, kernel, 1, "valid"), tf.tensor1d([0.5, -0.5, 0.1, 0])));
    expect(out.shape).toEqual([2, 5, 4, 4]);
    expect(close(withBias, reference)).toBeLessThan(1e-5);
    expect(bias.shape).toEqual([4]);
  });

  it("pools as maxPool 2x2 stride 2 valid, odd edges dropped", async () => {
    await useFastestBackend([], ["wasm"]);
    const x = tf.randomNormal([2, 5, 7, 3], 0, 1, "float32", 2) as tf.Tensor4D;
    const out = new MaxPool2x2({}).apply(x) as tf.Tensor;
    expect(out.shape).toEqual([2, 2, 3, 3]);
    expect(close(out, tf.maxPool(x, 2, 2, "valid"))).toBeLessThan(1e-7);
  });

  it("has gradients on the wasm backend (which lacks Conv2DBackpropFilter and MaxPoolGrad), equal to conv2d's on the CPU backend", async () => {
    await useFastestBackend([], ["wasm"]);
    expect(tf.getKernel("Conv2DBackpropFilter", "wasm")).toBeUndefined();
    const xValues = Array.from({ length: 1 * 6 * 6 * 2 }, (_, i) => Math.sin(i));
    const kValues = Array.from({ length: 3 * 3 * 2 * 3 }, (_, i) => Math.cos(i) / 3);
    const loss = (conv: (x: tf.Tensor4D, k: tf.Tensor4D) => tf.Tensor) => (k: tf.Tensor) =>
      tf.sum(tf.square(conv(tf.tensor4d(xValues, [1, 6, 6, 2]), k as tf.Tensor4D))) as tf.Scalar;
    const layer = new SlicedConv2D({ filters: 3, l2: 0, seed: 1 });
    layer.build([1, 6, 6, 2]);
    // The layer reads its variable: differentiate through it with variableGrads.
    layer.setWeights([tf.tensor4d(kValues, [3, 3, 2, 3]), tf.zeros([3])]);
    const { grads } = tf.variableGrads(() => tf.sum(tf.square(new MaxPool2x2({}).apply(layer.apply(tf.tensor4d(xValues, [1, 6, 6, 2])) as tf.Tensor) as tf.Tensor)) as tf.Scalar);
    const wasmGrad = Object.entries(grads).find(([name]) => name.endsWith("kernel"))?.[1] as tf.Tensor;
    expect(wasmGrad.shape).toEqual([3, 3, 2, 3]);
    const wasmValues = Array.from(wasmGrad.dataSync());
    await useFastestBackend([], ["cpu"]);
    const native = (x: tf.Tensor4D, k: tf.Tensor4D) => tf.maxPool(tf.relu(tf.conv2d(x, k, 1, "valid")), 2, 2, "valid");
    const cpuGrad = tf.grad(loss(native))(tf.tensor4d(kValues, [3, 3, 2, 3]));
    const cpuValues = Array.from(cpuGrad.dataSync());
    expect(Math.max(...cpuValues.map((v) => Math.abs(v)))).toBeGreaterThan(0.1);
    for (const [i, v] of wasmValues.entries()) expect(v).toBeCloseTo(cpuValues[i] as number, 4);
    await useFastestBackend([], ["wasm"]);
  });
});
