/**
 * A 3x3 convolution and a 2x2 max pool built only from ops whose gradients every
 * tfjs backend has. The wasm backend has no Conv2DBackpropFilter,
 * Conv2DBackpropInput or MaxPoolGrad kernel, so a CNN of tf.layers.conv2d and
 * maxPooling2d could only train on the pure-JS CPU backend (about 35 s per batch
 * of 32 images here). These layers do the same arithmetic as slices, a concat,
 * one matMul and a max over a reshape (im2col by slicing): their gradients are
 * pads, slices, matMuls and masks, all in wasm, and a batch of 32 trains in
 * about 0.3 CPU-seconds.
 *
 * The kernel has tf.layers.conv2d's shape ([3, 3, in, filters]) and layout, so the
 * same weights give the same outputs as a "valid" conv2d (a test checks this).
 */
import { tf } from "../backend.ts";

type Kwargs = Record<string, unknown>;

export interface SlicedConv2DArgs {
  readonly filters: number;
  /** L2 penalty on the kernel (0: none), as conv2d's kernelRegularizer l2. */
  readonly l2: number;
  /** Seed of the Glorot-uniform kernel initializer. */
  readonly seed: number;
  readonly name?: string;
}

const KERNEL = 3;

function single(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor4D {
  return (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
}

/** 3x3 "valid" convolution with bias and ReLU, stride 1. */
export class SlicedConv2D extends tf.layers.Layer {
  static className = "TuneLabSlicedConv2D";
  private readonly args: SlicedConv2DArgs;
  private kernel: tf.LayerVariable | undefined;
  private bias: tf.LayerVariable | undefined;

  constructor(args: SlicedConv2DArgs) {
    super(args.name === undefined ? {} : { name: args.name });
    this.args = { filters: args.filters, l2: args.l2, seed: args.seed };
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const channels = (inputShape as number[])[3] as number;
    const { filters, l2, seed } = this.args;
    this.kernel = this.addWeight("kernel", [KERNEL, KERNEL, channels, filters], "float32", tf.initializers.glorotUniform({ seed }), l2 > 0 ? tf.regularizers.l2({ l2 }) : undefined);
    this.bias = this.addWeight("bias", [filters], "float32", tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [n, h, w] = inputShape as number[];
    return [n as number, (h as number) - KERNEL + 1, (w as number) - KERNEL + 1, this.args.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      const [n, h, w, c] = x.shape;
      const oh = h - KERNEL + 1;
      const ow = w - KERNEL + 1;
      // Column (dy * 3 + dx) * c + ci of a pixel is input (y + dy, x + dx, ci): the row-major layout of a [3, 3, c, filters] kernel.
      const parts: tf.Tensor4D[] = [];
      for (let dy = 0; dy < KERNEL; dy++) for (let dx = 0; dx < KERNEL; dx++) parts.push(tf.slice(x, [0, dy, dx, 0], [n, oh, ow, c]));
      const columns = tf.concat(parts, 3).reshape([n * oh * ow, KERNEL * KERNEL * c]);
      const kernel = (this.kernel as tf.LayerVariable).read().reshape([KERNEL * KERNEL * c, this.args.filters]);
      const out = tf.add(tf.matMul(columns, kernel), (this.bias as tf.LayerVariable).read());
      return tf.relu(out).reshape([n, oh, ow, this.args.filters]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), filters: this.args.filters, l2: this.args.l2, seed: this.args.seed };
  }
}

/** 2x2 max pool, stride 2, "valid" (an odd last row or column is dropped, as maxPooling2d does). */
export class MaxPool2x2 extends tf.layers.Layer {
  static className = "TuneLabMaxPool2x2";

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [n, h, w, c] = inputShape as number[];
    return [n as number, Math.floor((h as number) / 2), Math.floor((w as number) / 2), c as number];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      const [n, h, w, c] = x.shape;
      const oh = Math.floor(h / 2);
      const ow = Math.floor(w / 2);
      const even = oh * 2 === h && ow * 2 === w ? x : tf.slice(x, [0, 0, 0, 0], [n, oh * 2, ow * 2, c]);
      return tf.max(tf.max(even.reshape([n, oh, 2, ow, 2, c]), 4), 2);
    });
  }
}

// Registered so a saved model (a checkpoint's model.json) loads back with these layers.
tf.serialization.registerClass(SlicedConv2D);
tf.serialization.registerClass(MaxPool2x2);
