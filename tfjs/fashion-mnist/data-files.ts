import type { ChecksummedFile } from "../../benchmarks/data/checksummed-download.ts";

/**
 * The four idx files of Fashion-MNIST (Xiao, Rasul and Vollgraf 2017; MIT licence),
 * zalandoresearch/fashion-mnist. The SHA-256 is of the *decompressed* idx bytes,
 * computed from Debian's dataset-fashion-mnist (0.0~git20200523.55506a9-1): Debian
 * recompressed the .gz files (their gzip MD5s differ from upstream's), so only the
 * uncompressed content is the same everywhere. A download is decompressed, checked
 * and cached decompressed.
 */
export interface FashionMnistFile extends ChecksummedFile {
  /** Name of the gzip file, as upstream and Debian ship it. */
  readonly gzName: string;
  readonly kind: "images" | "labels";
  readonly split: "train" | "test";
}

/** The public source: the files in the upstream repository. Override with `baseUrl` or TUNELAB_FASHION_MNIST_URL (e.g. the S3 mirror http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/). */
export const FASHION_MNIST_SOURCE_URL = "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/";

/** Debian's dataset-fashion-mnist installs the .gz files here. */
export const DEBIAN_FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

export const FASHION_MNIST_INSTALL_HINT =
  "install Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist), set TUNELAB_FASHION_MNIST_DIR to a folder of the four idx files, or let TuneLab download them (needs internet)";

function file(split: "train" | "test", kind: "images" | "labels", sha256: string): FashionMnistFile {
  const stem = `${split === "train" ? "train" : "t10k"}-${kind}-idx${kind === "images" ? 3 : 1}-ubyte`;
  return { name: stem, gzName: `${stem}.gz`, source: `${stem}.gz`, sha256, kind, split };
}

export const FASHION_MNIST_FILES: readonly FashionMnistFile[] = [
  file("train", "images", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
  file("train", "labels", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
  file("test", "images", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
  file("test", "labels", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
];

/** Class names, by label. */
export const FASHION_MNIST_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"] as const;
