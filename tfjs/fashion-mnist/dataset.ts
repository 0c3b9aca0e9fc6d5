import { OptionError } from "../../core/contracts/index.ts";
import { FASHION_MNIST_FILES } from "./data-files.ts";
import { parseIdx } from "./idx.ts";
import { readFashionMnistFile } from "./locate-data.ts";

export const IMAGE_SIDE = 28;
export const PIXELS = IMAGE_SIDE * IMAGE_SIDE;
export const CLASSES = 10;
const TRAIN_FILE_ROWS = 60_000;

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

const parsed = new Map<string, { images: Uint8Array; labels: Uint8Array }>();

/** The training file's images and labels, read and checked once per process and folder. */
function trainingFile(dir: string): { images: Uint8Array; labels: Uint8Array } {
  const hit = parsed.get(dir);
  if (hit) return hit;
  const [imagesFile, labelsFile] = ["images", "labels"].map((kind) => FASHION_MNIST_FILES.find((f) => f.split === "train" && f.kind === kind)!);
  const images = parseIdx(readFashionMnistFile(dir, imagesFile!), imagesFile!.name);
  const labels = parseIdx(readFashionMnistFile(dir, labelsFile!), labelsFile!.name);
  const value = { images: images.data, labels: labels.data };
  parsed.set(dir, value);
  return value;
}

function slice(file: { images: Uint8Array; labels: Uint8Array }, start: number, rows: number): Split {
  const images = new Float32Array(rows * PIXELS);
  const source = file.images.subarray(start * PIXELS, (start + rows) * PIXELS);
  for (let i = 0; i < source.length; i++) images[i] = (source[i] as number) / 255;
  return { images, labels: file.labels.slice(start, start + rows), rows };
}

/** Training and validation rows from the training file in `dir` (see locateFashionMnist). */
export function loadFashionMnist(dir: string, sizes: SplitSizes = {}): FashionMnistSplits {
  const validationRows = sizes.validationRows ?? 10_000;
  const trainRows = sizes.trainRows ?? TRAIN_FILE_ROWS - validationRows;
  if (!Number.isInteger(validationRows) || validationRows < 1) throw new OptionError("validationRows", `must be a whole number >= 1, got ${validationRows}`);
  if (!Number.isInteger(trainRows) || trainRows < 1) throw new OptionError("trainRows", `must be a whole number >= 1, got ${trainRows}`);
  if (trainRows + validationRows > TRAIN_FILE_ROWS) {
    throw new OptionError("trainRows", `plus validationRows must be at most ${TRAIN_FILE_ROWS} (the training file's rows), got ${trainRows} + ${validationRows}`);
  }
  const file = trainingFile(dir);
  return { train: slice(file, 0, trainRows), validation: slice(file, TRAIN_FILE_ROWS - validationRows, validationRows) };
}
