export { loadLcbench, type LcbenchSuite } from "./load.ts";
export { lcbenchObjective, type LcbenchBenchmark, type LcbenchObjectiveOptions, type LcbenchState } from "./objective.ts";
export { readLcbenchData, lcbenchSpace, LCBENCH_OUTPUTS, LCBENCH_CONT_INPUTS, type LcbenchData, type LcbenchOutput, type LcbenchParameter } from "./lcbench-data.ts";
export { predictCurves, surrogateInputs, type LcbenchCurve } from "./curve.ts";
export { OnnxSurrogate, type OnnxSurrogateOptions } from "./onnx-surrogate.ts";
export { locateLcbenchData, downloadLcbenchData, defaultCacheDir, REPO_DATA_DIR, type LocateLcbenchOptions, type FetchLike } from "./locate-data.ts";
export { LCBENCH_FILES, LCBENCH_SOURCE_URL, type LcbenchFile } from "./data-files.ts";
