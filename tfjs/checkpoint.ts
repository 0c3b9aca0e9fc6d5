/**
 * A tfjs model's checkpoint in a directory: its topology and weights through a
 * tfjs save handler (`model.save(tf.io.withSaveHandler(...))`) and back through a
 * load handler (an IOHandler given to `tf.loadLayersModel`), plus the optimizer's
 * state (Adam's step count and moment estimates: `optimizer.getWeights()`), so a
 * restored trial, or a PBT clone, continues training exactly where the donor was.
 *
 *   model.json            topology, weight specs, format (tfjs's ModelArtifacts minus the bytes)
 *   model.weights.bin     the weights, as tfjs encodes them
 *   optimizer.json        the optimizer's weight specs (names, shapes, dtypes)
 *   optimizer.weights.bin the optimizer's weights
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tf } from "./backend.ts";

type Artifacts = tf.io.ModelArtifacts;
type WeightData = NonNullable<Artifacts["weightData"]>;

function bytesOf(data: WeightData): Buffer {
  const parts = Array.isArray(data) ? data : [data];
  return Buffer.concat(parts.map((b) => Buffer.from(b)));
}

function arrayBufferOf(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** A save handler writing a model's artifacts into `dir` (model.json, model.weights.bin). */
export function directorySaveHandler(dir: string): tf.io.IOHandler {
  return tf.io.withSaveHandler(async (artifacts) => {
    const { weightData, ...rest } = artifacts;
    writeFileSync(join(dir, "model.weights.bin"), weightData === undefined ? Buffer.alloc(0) : bytesOf(weightData));
    writeFileSync(join(dir, "model.json"), JSON.stringify(rest));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
  });
}

/** The load handler reading back what `directorySaveHandler` wrote. */
export function directoryLoadHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const rest = JSON.parse(readFileSync(join(dir, "model.json"), "utf8")) as Omit<Artifacts, "weightData">;
      return { ...rest, weightData: arrayBufferOf(readFileSync(join(dir, "model.weights.bin"))) };
    },
  };
}

/** Writes the model and the optimizer's state into `dir`. */
export async function saveTraining(model: tf.LayersModel, optimizer: tf.Optimizer, dir: string): Promise<void> {
  await model.save(directorySaveHandler(dir));
  const named = await optimizer.getWeights();
  const { data, specs } = await tf.io.encodeWeights(named);
  writeFileSync(join(dir, "optimizer.weights.bin"), Buffer.from(data));
  writeFileSync(join(dir, "optimizer.json"), JSON.stringify(specs));
}

/** The model saved in `dir` (topology and weights, not compiled). */
export function loadModel(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(directoryLoadHandler(dir));
}

/**
 * Sets `optimizer`'s state from `dir`. The optimizer must be of the kind that
 * saved it; its learning rate stays the one it was built with (a PBT explore may
 * have changed it). The moments follow the model's trainable weights by position.
 */
export async function loadOptimizerState(optimizer: tf.Optimizer, dir: string): Promise<void> {
  const specs = JSON.parse(readFileSync(join(dir, "optimizer.json"), "utf8")) as tf.io.WeightsManifestEntry[];
  const map = tf.io.decodeWeights(arrayBufferOf(readFileSync(join(dir, "optimizer.weights.bin"))), specs);
  await optimizer.setWeights(specs.map((s) => ({ name: s.name, tensor: map[s.name] as tf.Tensor })));
}

/** SHA-256 of a model's weight values: what tests and trial logs compare to see weights move. */
export function weightsDigest(model: tf.LayersModel): string {
  const hash = createHash("sha256");
  for (const w of model.getWeights()) hash.update(Buffer.from((w.dataSync() as Float32Array).buffer));
  return hash.digest("hex");
}
