import { tf } from "../backend.ts";
import { CLASSES, IMAGE_SIDE, PIXELS } from "./dataset.ts";
import { MaxPool2x2, SlicedConv2D } from "./sliced-conv.ts";

export type ModelKind = "mlp" | "cnn";

export interface ModelSettings {
  readonly kind: ModelKind;
  readonly hidden: number;
  readonly dropout: number;
  /** L2 penalty on every kernel (weight decay added to the loss, as Keras's kernel_regularizer does). */
  readonly weightDecay: number;
  /** Seeds the initializers and dropout, so a trial's model is a function of its random stream. */
  readonly seed: number;
  /**
   * The CNN's convolution and pooling layers: "native" (tf.layers.conv2d and maxPooling2d,
   * for a backend with their gradient kernels) or "sliced" (the same arithmetic from ops
   * every backend can differentiate; see sliced-conv.ts). @defaultValue "native"
   */
  readonly convolution?: "native" | "sliced";
}

/**
 * The two models the `model` hyperparameter chooses between:
 * - mlp: 784 -> hidden (ReLU) -> dropout -> 10;
 * - cnn: a small LeNet-like net, conv 3x3x16 -> pool -> conv 3x3x32 -> pool -> hidden (ReLU) -> dropout -> 10.
 */
export function buildModel(s: ModelSettings): tf.LayersModel {
  let seed = s.seed;
  const init = () => tf.initializers.glorotUniform({ seed: seed++ });
  const regularizer = s.weightDecay > 0 ? tf.regularizers.l2({ l2: s.weightDecay }) : undefined;
  const kernel = () => ({ kernelInitializer: init(), ...(regularizer ? { kernelRegularizer: regularizer } : {}) });
  const model = tf.sequential();
  if (s.kind === "mlp") {
    model.add(tf.layers.dense({ inputShape: [PIXELS], units: s.hidden, activation: "relu", ...kernel() }));
  } else {
    model.add(tf.layers.reshape({ inputShape: [PIXELS], targetShape: [IMAGE_SIDE, IMAGE_SIDE, 1] }));
    for (const filters of [16, 32]) {
      if (s.convolution === "sliced") {
        model.add(new SlicedConv2D({ filters, l2: s.weightDecay, seed: seed++ }));
        model.add(new MaxPool2x2({}));
      } else {
        model.add(tf.layers.conv2d({ filters, kernelSize: 3, activation: "relu", ...kernel() }));
        model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
      }
    }
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: s.hidden, activation: "relu", ...kernel() }));
  }
  if (s.dropout > 0) model.add(tf.layers.dropout({ rate: s.dropout, seed: seed++ }));
  model.add(tf.layers.dense({ units: CLASSES, activation: "softmax", ...kernel() }));
  return model;
}
