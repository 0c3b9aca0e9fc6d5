// Pure numerical building blocks shared by searchers and schedulers (GP-BO, PB2).
export { kernelMatrix, kernelVector, kernelOfDistance, scaledSquaredDistance, type KernelName, type KernelParameters } from "./kernels.ts";
export {
  cholesky,
  forwardSolve,
  backSolve,
  fitGaussianProcess,
  logMarginalLikelihood,
  optimizeHyperparameters,
  packHyperparameters,
  unpackHyperparameters,
  type GaussianProcess,
  type GPHyperparameters,
  type HyperparameterBounds,
} from "./gaussian-process.ts";
export { ndtr, ndtri, logNdtr, logGaussMass } from "./normal.ts";
export { OrderStatisticTree } from "./order-statistic-tree.ts";
