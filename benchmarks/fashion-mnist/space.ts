import { choice, loguniform, uniform, type Space } from "../../core/space/index.ts";

/** Batch sizes as a list, not the choice() domain: PBT shifts a list's value to a neighbour, but multiplies a domain's value by 0.8/1.2 (32 -> 25.6). */
export const BATCH_SIZES = [32, 64, 128, 256];

export interface FashionMnistRunSizes {
  readonly trainRows: number;
  readonly validationRows: number;
  /** 0: one step is one epoch. */
  readonly batchesPerStep: number;
  readonly models: readonly string[];
}

/** The benchmarks' search space: the five tuned hyperparameters, the model choice, and the fixed run sizes. */
export function fashionMnistSpace(sizes: FashionMnistRunSizes): Space {
  return {
    model: choice([...sizes.models]),
    lr: loguniform(1e-4, 3e-2),
    batchSize: choice(BATCH_SIZES),
    hidden: choice([32, 64, 128, 256]),
    dropout: uniform(0, 0.5),
    weightDecay: loguniform(1e-7, 1e-3),
    batchesPerStep: sizes.batchesPerStep,
    trainRows: sizes.trainRows,
    validationRows: sizes.validationRows,
  };
}
