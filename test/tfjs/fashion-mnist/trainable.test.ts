/**
 * Needs Debian's dataset-fashion-mnist (CI installs it). Small sizes: 256
 * training rows, 100 validation rows, 2 batches per step.
 */
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Config } from "../../../core/contracts/index.ts";
import { Rng } from "../../../core/rng.ts";
import { FashionMnistTrainable } from "../../../tfjs/fashion-mnist/trainable.ts";

const SMALL = { model: "mlp", batchSize: 32, hidden: 16, dropout: 0.1, weightDecay: 1e-5, trainRows: 256, validationRows: 100, batchesPerStep: 2 };

async function trial(id: string, config: Config): Promise<FashionMnistTrainable> {
  const t = new FashionMnistTrainable();
  await t.setup({ ...SMALL, ...config }, { trialId: id, rng: new Rng(`trial-${id}`) });
  return t;
}

async function values(tensors: readonly { dataSync(): ArrayLike<number> }[]): Promise<number[][]> {
  return tensors.map((t) => Array.from(t.dataSync()));
}

describe("the Fashion-MNIST trainable", () => {
  it("trains: a step reports validation accuracy and loss, train loss, epochs and CPU-seconds", async () => {
    const t = await trial("a", { lr: 3e-3 });
    const first = await t.step();
    expect(Object.keys(first).sort()).toEqual(["accuracy", "epochs", "loss", "step_cpu_seconds", "train_loss"]);
    expect(first["epochs"]).toBeCloseTo(64 / 256, 9);
    expect(first["accuracy"]).toBeGreaterThanOrEqual(0);
    expect(first["accuracy"]).toBeLessThanOrEqual(1);
    expect(first["step_cpu_seconds"]).toBeGreaterThan(0);
    const later = [await t.step(), await t.step(), await t.step()];
    // Training on 256 rows for a whole epoch lowers the training loss.
    expect(later[2]!["train_loss"]).toBeLessThan(first["train_loss"] as number);
    t.dispose();
  });

  it("a checkpoint moves weights and Adam's state to another trial (a PBT exploit): they differ before and are equal after", async () => {
    const donor = await trial("donor", { lr: 3e-3 });
    const clone = await trial("clone", { lr: 1e-3 });
    await donor.step();
    await donor.step();
    await clone.step();
    const donorWeights = await values(donor.weights());
    expect(await values(clone.weights())).not.toEqual(donorWeights);
    const donorAdam = await donor.optimizerState();
    expect((await clone.optimizerState()).map((w) => w.tensor.dataSync()[0])).not.toEqual(donorAdam.map((w) => w.tensor.dataSync()[0]));

    const dir = mkdtempSync(join(tmpdir(), "tunelab-tfjs-ckpt-"));
    await donor.save(dir);
    expect(readdirSync(dir).sort()).toEqual(["data-cursor.json", "model.json", "model.weights.bin", "optimizer.json", "optimizer.weights.bin", "order.bin"]);
    await clone.load(dir);
    expect(await values(clone.weights())).toEqual(donorWeights);
    const cloneAdam = await clone.optimizerState();
    // Adam's step count ("iter") and both moments of every weight.
    expect(cloneAdam.map((w) => w.tensor.shape)).toEqual(donorAdam.map((w) => w.tensor.shape));
    expect(cloneAdam[0]!.tensor.dataSync()[0]).toBe(4);
    expect(await values(cloneAdam.map((w) => w.tensor))).toEqual(await values(donorAdam.map((w) => w.tensor)));

    // From the same weights, Adam state and data position, one more step of each agrees
    // when the learning rates agree, and differs when the clone's explore changed it.
    const sameLr = await trial("same", { lr: 3e-3 });
    await sameLr.load(dir);
    const [a, b, c] = [await donor.step(), await sameLr.step(), await clone.step()];
    expect(b["loss"]).toBeCloseTo(a["loss"] as number, 4);
    expect(c["loss"]).not.toBeCloseTo(a["loss"] as number, 4);
    for (const t of [donor, clone, sameLr]) t.dispose();
  });

  it("builds the CNN, trains it on the wasm backend (sliced convolutions), and saves and loads it", async () => {
    const t = new FashionMnistTrainable();
    await t.setup({ ...SMALL, model: "cnn", hidden: 8, lr: 1e-3 }, { trialId: "cnn", rng: new Rng("cnn") });
    const shapes = t.weights().map((w) => w.shape);
    expect(shapes).toEqual([[3, 3, 1, 16], [16], [3, 3, 16, 32], [32], [800, 8], [8], [8, 10], [10]]);
    const before = await values(t.weights());
    const report = await t.step();
    expect(Number.isFinite(report["loss"])).toBe(true);
    expect(await values(t.weights())).not.toEqual(before);
    const dir = mkdtempSync(join(tmpdir(), "tunelab-tfjs-cnn-"));
    await t.save(dir);
    const other = new FashionMnistTrainable();
    await other.setup({ ...SMALL, model: "cnn", hidden: 8, lr: 1e-3 }, { trialId: "cnn2", rng: new Rng("other") });
    await other.load(dir);
    expect(await values(other.weights())).toEqual(await values(t.weights()));
    expect(existsSync(join(dir, "model.json"))).toBe(true);
    t.dispose();
    other.dispose();
  });
});
