// Renders a history with another release in a worker thread, while this thread renders the other
// side: the two renders of an update are independent, and each is most of its time.
import { Worker } from 'node:worker_threads';
import { UserError } from '../errors.ts';
import type { ProjectTree, RenderStep } from './render-step.ts';

/** Runs in the worker: loads the release as a library and replays the steps into one tree. */
const SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
globalThis[Symbol.for('create-container-lambda.library')] = true;
(async () => {
  const library = require(workerData.cli);
  if (typeof library.renderStep !== 'function') return parentPort.postMessage({ tooOld: true });
  const tree = new Map();
  for (const step of workerData.steps) await library.renderStep(tree, step);
  parentPort.postMessage({ tree });
})().catch((e) => parentPort.postMessage({ error: { message: String(e && e.message), hint: e && e.hint, user: Boolean(e && e.name === 'UserError'), stack: e && e.stack } }));
`;

interface Reply {
  tree?: ProjectTree;
  tooOld?: boolean;
  error?: { message: string; hint?: string; user: boolean; stack?: string };
}

export function renderInWorker(cli: string, steps: RenderStep[], tooOld: () => Error): Promise<ProjectTree> {
  return new Promise((resolve, reject) => {
    // A larger young generation: a render allocates much that dies young (YAML nodes).
    const worker = new Worker(SCRIPT, { eval: true, workerData: { cli, steps }, resourceLimits: { maxYoungGenerationSizeMb: 48 } });
    worker.once('message', (reply: Reply) => {
      void worker.terminate();
      if (reply.tree) return resolve(reply.tree);
      if (reply.tooOld) return reject(tooOld());
      const e = reply.error!;
      reject(e.user ? new UserError(e.message, e.hint) : Object.assign(new Error(e.message), { stack: e.stack }));
    });
    worker.once('error', reject);
    // A worker that ends without a reply (killed, out of memory) must not leave update waiting.
    worker.once('exit', (code) => reject(new Error(`The render of another release stopped (exit ${code}) before it finished`)));
  });
}
