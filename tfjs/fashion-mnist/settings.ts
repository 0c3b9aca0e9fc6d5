import type { Config } from "../../core/contracts/index.ts";
import { checkNumber, integerAtLeast, oneOf, positiveInteger, positiveNumber } from "../../core/errors/option-checks.ts";
import type { ModelKind } from "./model.ts";

/** What one Fashion-MNIST trial is told by its config: the tuned hyperparameters and the fixed run sizes. */
export interface FashionMnistSettings {
  readonly model: ModelKind;
  /** Adam's learning rate. */
  readonly lr: number;
  readonly batchSize: number;
  /** Units of the hidden dense layer (both models have one). */
  readonly hidden: number;
  readonly dropout: number;
  readonly weightDecay: number;
  /** Batches per step; 0: one step is one epoch over the training rows. */
  readonly batchesPerStep: number;
  readonly trainRows: number;
  readonly validationRows: number;
  /** A folder of the four idx files; left out: see locateFashionMnist. */
  readonly dataDir: string | undefined;
}

/** Defaults of the fixed keys (the tuned ones have none: the space gives them). */
export const FIXED_DEFAULTS = { model: "mlp", batchesPerStep: 0, trainRows: 50_000, validationRows: 10_000, dropout: 0, weightDecay: 0, hidden: 128 } as const;

/** Reads and checks a trial's config; a bad value is a one-line OptionError naming the key. */
export function readSettings(config: Config): FashionMnistSettings {
  const get = (key: string, fallback?: unknown): unknown => (config[key] === undefined ? fallback : config[key]);
  const dataDir = get("dataDir");
  return {
    model: oneOf("model", get("model", FIXED_DEFAULTS.model), ["mlp", "cnn"] as const),
    lr: positiveNumber("lr", get("lr")),
    batchSize: positiveInteger("batchSize", get("batchSize")),
    hidden: positiveInteger("hidden", get("hidden", FIXED_DEFAULTS.hidden)),
    dropout: checkNumber("dropout", get("dropout", FIXED_DEFAULTS.dropout), { min: 0, max: 0.95 }),
    weightDecay: checkNumber("weightDecay", get("weightDecay", FIXED_DEFAULTS.weightDecay), { min: 0 }),
    batchesPerStep: integerAtLeast("batchesPerStep", get("batchesPerStep", FIXED_DEFAULTS.batchesPerStep), 0),
    trainRows: positiveInteger("trainRows", get("trainRows", FIXED_DEFAULTS.trainRows)),
    validationRows: positiveInteger("validationRows", get("validationRows", FIXED_DEFAULTS.validationRows)),
    dataDir: dataDir === undefined ? undefined : typeof dataDir === "string" ? dataDir : String(dataDir),
  };
}
