/**
 * The files of YAHPO Gym's LCBench surrogate that TuneLab uses, where they come
 * from, and their SHA-256 (computed from the copy the tests read,
 * ../shared/data/yahpo-lcbench). A download must reproduce these bytes exactly.
 */
export interface LcbenchFile {
  /** Name in the data folder. */
  readonly name: string;
  /** Path under the source's base URL. */
  readonly source: string;
  readonly sha256: string;
  /**
   * The upstream file holds every YAHPO scenario; only the header and the
   * lcbench rows are kept (that is what the checksum is of).
   */
  readonly keepLcbenchRows?: boolean;
}

/**
 * YAHPO Gym's published surrogate data (github.com/slds-lmu/yahpo_data,
 * Apache-2.0; the learning curves are LCBench, Zimmer et al. 2021, figshare
 * doi 10.6084/m9.figshare.13286105). Override with `baseUrl` or the
 * TUNELAB_LCBENCH_URL environment variable to use a mirror.
 */
export const LCBENCH_SOURCE_URL = "https://raw.githubusercontent.com/slds-lmu/yahpo_data/v1.0/";

export const LCBENCH_FILES: readonly LcbenchFile[] = [
  { name: "model.onnx", source: "lcbench/model.onnx", sha256: "b45c0d85ae39abf8820c8bea5ac82f415763afcbaf3b725e36af452b09cb6dcd" },
  { name: "config_space.json", source: "lcbench/config_space.json", sha256: "4d1c78a91429b4a37628e13f286cf1abe15f778a09722a4c01714f2d72a8200d" },
  { name: "encoding.json", source: "lcbench/encoding.json", sha256: "d8af928f412bbeb07e58ecd69877fcab35fbc595333d1c1c3f76120d2f2508da" },
  { name: "param_set.R", source: "lcbench/param_set.R", sha256: "4ba080dd5b3cd1b7c2015367ee669bb7db4301daa74bc69a25a265e0c833f342" },
  { name: "README.txt", source: "lcbench/README.txt", sha256: "95abb5d7b8f7e21b32429cba85c74b57e59d5493689429beb336faa1388f0c08" },
  // The licence travels with the data: it is a condition of redistributing it.
  { name: "LICENSE-2.0.txt", source: "lcbench/LICENSE-2.0.txt", sha256: "cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30" },
  {
    name: "instance_target_statistics.csv",
    source: "global_statistics/instance_target_statistics.csv",
    sha256: "985bf487b767df5b938b2d0a6a1b452b9c208f4e269a53c78bdbbc574ea5b892",
    keepLcbenchRows: true,
  },
];
