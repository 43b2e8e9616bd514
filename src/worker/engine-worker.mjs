// Worker-thread bootstrap for the engine pool. Piscina loads plain JavaScript; in a build the
// compiled engine-task.js sits next to this file, while in development and tests only the
// TypeScript source exists, so tsx's ESM loader is registered inside the worker first.
import { existsSync } from 'node:fs';

const compiled = new URL('./engine-task.js', import.meta.url);
let task;
if (existsSync(compiled)) {
  task = (await import(compiled.href)).default;
} else {
  const { register } = await import('tsx/esm/api');
  register();
  task = (await import(new URL('./engine-task.ts', import.meta.url).href)).default;
}

export default task;
