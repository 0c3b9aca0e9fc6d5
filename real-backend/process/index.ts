export { ProcessExecutor, type ProcessExecutorOptions, type TrainableSource } from "./process-executor.ts";
export { detectCapacity, detectGpus, type CommandRunner } from "./capacity.ts";
export { ResourceAllocator, allocationEnv, type Allocation, type GpuDevice, type MachineCapacity } from "./resource-allocator.ts";
export { PROTOCOL_VERSION, type Command as ProtocolCommand, type Reply as ProtocolReply } from "./protocol.ts";
