import { describe, expect, it } from "vitest";
import { readSettings } from "../../../tfjs/fashion-mnist/settings.ts";

describe("Fashion-MNIST trial settings", () => {
  it("takes the tuned values and fills the fixed ones", () => {
    expect(readSettings({ lr: 0.01, batchSize: 64 })).toEqual({
      model: "mlp", lr: 0.01, batchSize: 64, hidden: 128, dropout: 0, weightDecay: 0, batchesPerStep: 0, trainRows: 50_000, validationRows: 10_000, dataDir: undefined,
    });
  });

  it("names the key and the problem of a bad value", () => {
    expect(() => readSettings({ lr: 0, batchSize: 64 })).toThrow("lr: must be a finite number > 0, got 0");
    expect(() => readSettings({ lr: 0.1, batchSize: 1.5 })).toThrow("batchSize: must be an integer >= 1, got 1.5");
    expect(() => readSettings({ lr: 0.1, batchSize: 8, model: "resnet" })).toThrow('model: got unknown name "resnet"; known: mlp, cnn');
    expect(() => readSettings({ lr: 0.1, batchSize: 8, dropout: 1 })).toThrow("dropout: must be a finite number >= 0 and <= 0.95, got 1");
    expect(() => readSettings({ lr: 0.1 })).toThrow("batchSize: must be an integer >= 1, got undefined");
  });
});
