import { describe, expectTypeOf, it } from "vitest";
import {
  choice,
  grid,
  loguniform,
  qrandint,
  randint,
  randn,
  sampleFrom,
  uniform,
  type Domain,
  type Infer,
} from "../../../core/space/index.ts";

describe("Infer", () => {
  it("maps domains, conditional choices, nested objects and constants", () => {
    const space = {
      lr: loguniform(1e-4, 1e-1),
      layers: randint(1, 4),
      width: qrandint(16, 256, 16),
      noise: randn(),
      activation: choice(["relu", "tanh"]),
      batch: grid([32, 64]),
      optimizer: choice([
        { kind: "sgd", momentum: uniform(0, 1) },
        { kind: "adam", beta1: uniform(0.8, 0.99) },
      ]),
      nested: { dropout: uniform(0, 0.5), name: "mlp" },
      derived: sampleFrom((config) => String(config.lr)),
      seed: 3,
    };
    expectTypeOf<Infer<typeof space>>().toEqualTypeOf<{
      lr: number;
      layers: number;
      width: number;
      noise: number;
      activation: "relu" | "tanh";
      batch: 32 | 64;
      optimizer: { kind: "sgd"; momentum: number } | { kind: "adam"; beta1: number };
      nested: { dropout: number; name: string };
      derived: string;
      seed: number;
    }>();
  });

  it("gives builders precise Domain types", () => {
    expectTypeOf(choice(["a", "b"])).toExtend<Domain<"a" | "b">>();
    expectTypeOf(choice([1, "x", true])).toExtend<Domain<1 | "x" | true>>();
    expectTypeOf<Infer<ReturnType<typeof uniform>>>().toEqualTypeOf<number>();
  });
});
