import { lcbenchObjective, type LcbenchBenchmark, type LcbenchObjectiveOptions } from "./objective.ts";
import { readLcbenchData, type LcbenchData } from "./lcbench-data.ts";
import { locateLcbenchData, type LocateLcbenchOptions } from "./locate-data.ts";
import { OnnxSurrogate, type OnnxSurrogateOptions } from "./onnx-surrogate.ts";

/** The loaded surrogate and its data: hands out one benchmark per task, all sharing one ONNX session. */
export interface LcbenchSuite {
  readonly data: LcbenchData;
  readonly surrogate: OnnxSurrogate;
  /** OpenML task ids, in config_space.json order. */
  readonly taskIds: readonly string[];
  benchmark(taskId: string, options?: LcbenchObjectiveOptions): LcbenchBenchmark;
  close(): Promise<void>;
}

/**
 * Finds (or downloads) the data, checks it and starts the ONNX session: the
 * one asynchronous step, done once before any simulation; after it every
 * prediction is synchronous (see OnnxSurrogate).
 */
export async function loadLcbench(options: LocateLcbenchOptions & OnnxSurrogateOptions = {}): Promise<LcbenchSuite> {
  const dir = await locateLcbenchData(options);
  const data = readLcbenchData(dir);
  const surrogate = await OnnxSurrogate.open(data.modelPath, options);
  return {
    data,
    surrogate,
    taskIds: data.taskIds,
    benchmark: (taskId, objectiveOptions) => lcbenchObjective(surrogate, data, taskId, objectiveOptions),
    close: () => surrogate.close(),
  };
}
