export { PB2, type PB2Options } from "./pb2.ts";
export { pb2TrainingData, type Pb2Row, type Pb2TrainingData } from "./pb2-data.ts";
export { selectConfig, pb2Kappa, pb2Ucb, standardize, type SelectConfigInput, type SelectConfigSettings } from "./select-config.ts";
