import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * PGlite is a single-process database: two servers on one data directory would corrupt it. A
 * `sextant.pid` file taken with O_EXCL guards the directory; a file left by a process that no
 * longer runs (crash, kill -9) is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const path = join(dataDir, 'sextant.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return async () => {
        await rm(path, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && isRunning(pid)) {
        throw new Error(`The data directory ${dataDir} is in use by another Sextant process (pid ${pid}). Stop it first, or use another --data-dir.`);
      }
      await rm(path, { force: true });
    }
  }
  throw new Error(`Could not lock the data directory ${dataDir}`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
