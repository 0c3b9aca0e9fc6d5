export { simulate, type SimulateOptions, type SimulationRun, type SimulationSummary } from "./simulate.ts";
export { SimExecutor, type SimExecutorOptions, type SimStats, type SimCheckpoint } from "./sim-executor.ts";
export { checkSimulatedGpus, MAX_SIMULATED_GPUS, MAX_SIMULATED_NODES, resolveCluster, type ClusterSpec, type NodeType, type ResolvedCluster, type ResolvedNodeType } from "./cluster-spec.ts";
export type { AutoscalerSpec, ResolvedAutoscaler } from "./autoscaler-spec.ts";
export { EventHeap } from "./event-heap.ts";
export * from "./spot/index.ts";
