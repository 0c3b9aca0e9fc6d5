import { OptionError } from "../../core/contracts/index.ts";
import { positiveInteger } from "../../core/errors/option-checks.ts";
import { FASHION_MNIST_FILES, type FashionMnistFile } from "./data-files.ts";
import { parseIdx } from "./idx.ts";
import { readFashionMnistFile } from "./locate-data.ts";

export const IMAGE_SIDE = 28;
export const PIXELS = IMAGE_SIDE * IMAGE_SIDE;
export const CLASSES = 10;

/** Rows of images scaled to [0, 1] (row-major, PIXELS per row) and their labels. */
export interface Split {
  readonly images: Float32Array;
  readonly labels: Uint8Array;
  readonly rows: number;
}

export interface FashionMnistSplits {
  readonly train: Split;
  /** Held out of the training file (its last rows), so tuning never sees the test set. */
  readonly validation: Split;
}

export interface SplitSizes {
  /** Training rows, from the start of the training file. @defaultValue 50,000 */
  trainRows?: number;
  /** Validation rows, from the end of the training file. @defaultValue 10,000 */
  validationRows?: number;
}

interface TrainingFile {
  images: Uint8Array;
  labels: Uint8Array;
  rows: number;
}

const parsed = new Map<string, TrainingFile>();

/** The training file's images and labels, read and checked once per process and folder. */
function trainingFile(dir: string, files: readonly FashionMnistFile[]): TrainingFile {
  const hit = parsed.get(dir);
  if (hit) return hit;
  const [imagesFile, labelsFile] = ["images", "labels"].map((kind) => files.find((f) => f.split === "train" && f.kind === kind)!);
  const images = parseIdx(readFashionMnistFile(dir, imagesFile!), imagesFile!.name);
  const labels = parseIdx(readFashionMnistFile(dir, labelsFile!), labelsFile!.name);
  const rows = images.shape[0] as number;
  if (images.shape[1] !== 28 || images.shape[2] !== 28 || labels.shape[0] !== rows) {
    throw new Error(`Fashion-MNIST: ${dir} holds ${images.shape.join("x")} images and ${labels.shape.join("x")} labels; expected N x 28 x 28 and N`);
  }
  const value = { images: images.data, labels: labels.data, rows };
  parsed.set(dir, value);
  return value;
}

function slice(file: TrainingFile, start: number, rows: number): Split {
  const images = new Float32Array(rows * PIXELS);
  const source = file.images.subarray(start * PIXELS, (start + rows) * PIXELS);
  for (let i = 0; i < source.length; i++) images[i] = (source[i] as number) / 255;
  return { images, labels: file.labels.slice(start, start + rows), rows };
}

/** Training and validation rows from the training file in `dir` (see locateFashionMnist). */
export function loadFashionMnist(dir: string, sizes: SplitSizes = {}, files: readonly FashionMnistFile[] = FASHION_MNIST_FILES): FashionMnistSplits {
  const file = trainingFile(dir, files);
  const validationRows = positiveInteger("validationRows", sizes.validationRows ?? 10_000);
  const trainRows = positiveInteger("trainRows", sizes.trainRows ?? file.rows - validationRows);
  if (trainRows + validationRows > file.rows) {
    throw new OptionError("trainRows", `plus validationRows must be at most ${file.rows} (the training file's rows), got ${trainRows} + ${validationRows}`);
  }
  return { train: slice(file, 0, trainRows), validation: slice(file, file.rows - validationRows, validationRows) };
}
