/**
 * The Fashion-MNIST trainable, in the class form (Ray's class API) that worker
 * processes run: `setup` builds the model chosen by `model` (an MLP or a small
 * CNN) with Adam, `step` trains `batchesPerStep` batches (or one epoch) and
 * reports validation accuracy and loss, `save`/`load` write and read the model's
 * weights and Adam's state through tfjs IO handlers (tfjs/checkpoint.ts), and
 * `reset` lets a reused worker take the next trial.
 *
 *   tunelab run examples/fashion-mnist.yaml
 *   tune({ trainable: { module: "tfjs/fashion-mnist/trainable.ts" }, ... })
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Config, RandomStream } from "../../core/contracts/index.ts";
import type { TrainableClassInstance, TrialContext } from "../../real-backend/trainable-forms/forms.ts";
import { describeBackend, tf, useFastestBackend } from "../backend.ts";
import { loadModel, loadOptimizerState, saveTraining, weightsDigest } from "../checkpoint.ts";
import { CLASSES, PIXELS, loadFashionMnist, type FashionMnistSplits } from "./dataset.ts";
import { locateFashionMnist } from "./locate-data.ts";
import { buildModel } from "./model.ts";
import { readSettings, type FashionMnistSettings } from "./settings.ts";

/** Rows predicted at once during validation (bounds the memory of one forward pass). */
const EVAL_CHUNK = 1000;
const CURSOR_FILE = "data-cursor.json";
/** Kernels tf.layers.conv2d and maxPooling2d need to train (the wasm backend lacks them: the CNN then uses sliced-conv.ts). */
const CNN_GRADIENT_KERNELS = ["Conv2DBackpropFilter", "Conv2DBackpropInput", "MaxPoolGrad"];

const splitsCache = new Map<string, FashionMnistSplits>();

async function splitsFor(s: FashionMnistSettings): Promise<FashionMnistSplits> {
  const dir = await locateFashionMnist(s.dataDir === undefined ? {} : { dataDir: s.dataDir });
  const key = `${dir}|${s.trainRows}|${s.validationRows}`;
  let hit = splitsCache.get(key);
  if (!hit) {
    hit = loadFashionMnist(dir, { trainRows: s.trainRows, validationRows: s.validationRows });
    splitsCache.clear(); // one size per process at a time: a reused worker keeps memory flat
    splitsCache.set(key, hit);
  }
  return hit;
}

function shuffled(rows: number, rng: RandomStream): Uint32Array {
  const order = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  for (let i = rows - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  return order;
}

export class FashionMnistTrainable implements TrainableClassInstance {
  private settings!: FashionMnistSettings;
  private rng!: RandomStream;
  private data!: FashionMnistSplits;
  private model: tf.LayersModel | undefined;
  private optimizer: tf.Optimizer | undefined;
  /** The current pass over the training rows, and how far into it training is. */
  private order!: Uint32Array;
  private position = 0;
  private rowsSeen = 0;

  async setup(config: Config, context: TrialContext): Promise<void> {
    this.settings = readSettings(config);
    const backend = await useFastestBackend();
    const convolution = CNN_GRADIENT_KERNELS.every((k) => tf.getKernel(k, backend.tfName) !== undefined) ? "native" : "sliced";
    // One line per trial in its stdout.log: which backend trained it.
    // pid and CUDA_VISIBLE_DEVICES let benchmarks/gpu/validate.sh tie nvidia-smi's samples to the trial.
    console.log(
      `trial ${context.trialId} (pid ${process.pid}, CUDA_VISIBLE_DEVICES=${process.env.CUDA_VISIBLE_DEVICES ?? "unset"}): ${describeBackend(backend)}` +
        (this.settings.model === "cnn" ? `, ${convolution} convolutions` : ""),
    );
    this.rng = context.rng;
    this.data = await splitsFor(this.settings);
    this.order = shuffled(this.data.train.rows, this.rng);
    this.position = 0;
    this.rowsSeen = 0;
    const seed = Math.floor(this.rng.next() * 2 ** 31);
    this.install(buildModel({ kind: this.settings.model, hidden: this.settings.hidden, dropout: this.settings.dropout, weightDecay: this.settings.weightDecay, seed, convolution }));
  }

  /** Makes `model` the trial's, with a fresh Adam at the config's learning rate. */
  private install(model: tf.LayersModel): void {
    this.dispose();
    this.model = model;
    this.optimizer = tf.train.adam(this.settings.lr);
    model.compile({ optimizer: this.optimizer, loss: "categoricalCrossentropy" });
  }

  private nextBatch(size: number): { x: tf.Tensor2D; y: tf.Tensor2D } {
    const { train } = this.data;
    const images = new Float32Array(size * PIXELS);
    const labels = new Int32Array(size);
    for (let k = 0; k < size; k++) {
      if (this.position >= this.order.length) {
        this.order = shuffled(train.rows, this.rng);
        this.position = 0;
      }
      const row = this.order[this.position++] as number;
      images.set(train.images.subarray(row * PIXELS, (row + 1) * PIXELS), k * PIXELS);
      labels[k] = train.labels[row] as number;
    }
    this.rowsSeen += size;
    return tf.tidy(() => ({ x: tf.tensor2d(images, [size, PIXELS]), y: tf.oneHot(tf.tensor1d(labels, "int32"), CLASSES) as tf.Tensor2D }));
  }

  async step(): Promise<Record<string, number>> {
    const cpuBefore = process.cpuUsage();
    const model = this.model as tf.LayersModel;
    const { batchSize, batchesPerStep } = this.settings;
    const rows = this.data.train.rows;
    const batches = batchesPerStep > 0 ? batchesPerStep : Math.ceil(rows / batchSize);
    let trainLoss = 0;
    for (let b = 0; b < batches; b++) {
      const size = batchesPerStep > 0 ? batchSize : Math.min(batchSize, rows - b * batchSize);
      const { x, y } = this.nextBatch(size);
      const loss = (await model.trainOnBatch(x, y)) as number;
      x.dispose();
      y.dispose();
      trainLoss += loss / batches;
    }
    const { accuracy, loss } = this.validate();
    // A diverged model reports finite, worst-case metrics rather than NaN (the scheduler ranks it last).
    const finite = Number.isFinite(loss) && Number.isFinite(trainLoss);
    const cpu = process.cpuUsage(cpuBefore);
    return {
      // CPU time of this worker process during the step (all its threads): what the benchmarks sum as CPU-seconds.
      step_cpu_seconds: (cpu.user + cpu.system) / 1e6,
      accuracy,
      loss: finite ? loss : 1e6,
      train_loss: finite ? trainLoss : 1e6,
      epochs: this.rowsSeen / rows,
    };
  }

  private validate(): { accuracy: number; loss: number } {
    const model = this.model as tf.LayersModel;
    const { images, labels, rows } = this.data.validation;
    let correct = 0;
    let lossSum = 0;
    for (let start = 0; start < rows; start += EVAL_CHUNK) {
      const n = Math.min(EVAL_CHUNK, rows - start);
      const [probs, predicted] = tf.tidy(() => {
        const p = model.predict(tf.tensor2d(images.subarray(start * PIXELS, (start + n) * PIXELS), [n, PIXELS])) as tf.Tensor2D;
        return [p.clipByValue(1e-7, 1).arraySync() as number[][], p.argMax(1).dataSync()] as const;
      });
      for (let i = 0; i < n; i++) {
        const label = labels[start + i] as number;
        if (predicted[i] === label) correct++;
        lossSum -= Math.log((probs[i] as number[])[label] as number);
      }
    }
    return { accuracy: correct / rows, loss: lossSum / rows };
  }

  async save(dir: string): Promise<void> {
    await saveTraining(this.model as tf.LayersModel, this.optimizer as tf.Optimizer, dir);
    writeFileSync(join(dir, "order.bin"), Buffer.from(this.order.buffer, this.order.byteOffset, this.order.byteLength));
    writeFileSync(join(dir, CURSOR_FILE), JSON.stringify({ position: this.position, rowsSeen: this.rowsSeen }));
    console.log(`saved checkpoint ${dir}: weights sha256 ${weightsDigest(this.model as tf.LayersModel)}`);
  }

  /** Loads a checkpoint, possibly another trial's (a PBT exploit): its weights, Adam's state and its place in the data; this config's learning rate. */
  async load(dir: string): Promise<void> {
    this.install(await loadModel(dir));
    await loadOptimizerState(this.optimizer as tf.Optimizer, dir);
    const order = readFileSync(join(dir, "order.bin"));
    const cursor = JSON.parse(readFileSync(join(dir, CURSOR_FILE), "utf8")) as { position: number; rowsSeen: number };
    if (order.byteLength / 4 === this.data.train.rows) {
      this.order = new Uint32Array(order.buffer.slice(order.byteOffset, order.byteOffset + order.byteLength));
      this.position = cursor.position;
    }
    this.rowsSeen = cursor.rowsSeen;
    console.log(`loaded checkpoint ${dir}: weights sha256 ${weightsDigest(this.model as tf.LayersModel)}`);
  }

  async reset(config: Config, context: TrialContext): Promise<boolean> {
    await this.setup(config, context);
    return true;
  }

  /** The model's weights, for tests and tools. */
  weights(): tf.Tensor[] {
    return (this.model as tf.LayersModel).getWeights();
  }

  /** Adam's state (step count and moments), for tests and tools. */
  optimizerState(): ReturnType<tf.Optimizer["getWeights"]> {
    return (this.optimizer as tf.Optimizer).getWeights();
  }

  dispose(): void {
    this.model?.dispose();
    this.optimizer?.dispose();
    this.model = undefined;
    this.optimizer = undefined;
  }
}

export default FashionMnistTrainable;
