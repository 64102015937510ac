// A long soak of the training loop on a tiny config: prints the tensor count and resident
// memory at intervals, so a leak shows as a number that climbs.
// Usage: npx tsx scripts/soak.ts [steps=10000] [every=500]
import { tf } from '../src/backend/index.js';
import { loadConfig } from '../src/config/index.js';
import { train } from '../src/train/trainer.js';

const steps = Number(process.argv[2] ?? 10000);
const every = Number(process.argv[3] ?? 500);
const { config } = loadConfig('configs/tiny.json', [
  `train.steps=${steps}`, `train.logEvery=${every}`, 'train.checkpointEvery=0',
]);

const started = Date.now();
console.log('step    tensors  bytes(MiB)  rss(MiB)  seconds');
await train(config, {
  runDir: null,
  finalEval: false,
  onEvent: (event) => {
    if (event.type !== 'step' || event.step % every !== 0) return;
    const memory = tf.memory();
    const rss = process.memoryUsage().rss / 2 ** 20;
    console.log(`${String(event.step).padEnd(8)}${String(memory.numTensors).padEnd(9)}`
      + `${(memory.numBytes / 2 ** 20).toFixed(2).padEnd(12)}${rss.toFixed(1).padEnd(10)}`
      + `${((Date.now() - started) / 1000).toFixed(0)}`);
  },
});
