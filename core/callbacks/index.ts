export * from "./callback.ts";
export { CallbackList, callbackName, type CallbackErrorSink } from "./callback-list.ts";
