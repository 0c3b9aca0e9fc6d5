export { FIFOScheduler } from "./fifo.ts";
