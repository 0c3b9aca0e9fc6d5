/** The only source of randomness in core/space: returns floats in [0, 1). */
export type Uniform01 = () => number;
