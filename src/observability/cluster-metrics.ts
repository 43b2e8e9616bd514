import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { MetricsExposition } from './sextant-metrics.ts';

/** A worker asks the primary for the cluster-wide exposition. */
const SCRAPE = 'sextant:metrics-scrape';
/** The primary's answer to SCRAPE. */
const SCRAPED = 'sextant:metrics-scraped';
/** The primary asks every worker for its own metrics (as JSON). */
const COLLECT = 'sextant:metrics-collect';
/** A worker's answer to COLLECT. */
const COLLECTED = 'sextant:metrics-collected';

/** How long the primary waits for each worker's figures; slower workers are left out of a scrape. */
const COLLECT_TIMEOUT_MS = 2000;
/** How long a worker waits for the primary before serving its own figures only. */
const SCRAPE_TIMEOUT_MS = 4000;

interface Message {
  readonly type: string;
  readonly id: number;
  readonly text?: string;
  readonly metrics?: unknown[];
  readonly error?: string;
}

const isMessage = (m: unknown): m is Message =>
  typeof m === 'object' && m !== null && typeof (m as Message).type === 'string' && typeof (m as Message).id === 'number';

/**
 * The primary of `serve --processes N`. A scrape of /metrics may reach any API process behind the
 * shared port; that process asks the primary, which collects every live process's figures and
 * merges them (prom-client's aggregation: counters and histograms summed). A process that does not
 * answer within 2 s (exiting during a rolling restart, say) is left out of that scrape rather than
 * failing it.
 */
export function serveClusterMetrics(): void {
  let nextCollect = 0;
  const collecting = new Map<number, (metrics: unknown[]) => void>();
  cluster.on('message', (worker: Worker, message: unknown) => {
    if (!isMessage(message)) return;
    if (message.type === COLLECTED) collecting.get(message.id)?.(message.metrics ?? []);
    if (message.type !== SCRAPE) return;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && w.isConnected());
    const collectOne = (w: Worker) =>
      new Promise<unknown[]>((resolve) => {
        const id = nextCollect++;
        const timer = setTimeout(() => {
          collecting.delete(id);
          resolve([]);
        }, COLLECT_TIMEOUT_MS);
        collecting.set(id, (metrics) => {
          clearTimeout(timer);
          collecting.delete(id);
          resolve(metrics);
        });
        w.send({ type: COLLECT, id });
      });
    void Promise.all(workers.map(collectOne))
      .then(async (all) => {
        const text = await AggregatorRegistry.aggregate(all as Parameters<typeof AggregatorRegistry.aggregate>[0]).metrics();
        worker.send({ type: SCRAPED, id: message.id, text });
      })
      .catch((err: unknown) => worker.send({ type: SCRAPED, id: message.id, error: String(err) }));
  });
}

/**
 * The /metrics exposition of an API process in a cluster: answers the primary's collection
 * requests with this process's registry, and serves the primary's cluster-wide merge — or, if the
 * primary does not answer in time, its own figures with a comment saying so.
 */
export function clusterMetricsExposition(local: { readonly registry: Registry; readonly contentType: string; render(): Promise<string> }): MetricsExposition {
  const waiting = new Map<number, (m: Message) => void>();
  let next = 0;
  process.on('message', (message: unknown) => {
    if (!isMessage(message)) return;
    if (message.type === SCRAPED) waiting.get(message.id)?.(message);
    if (message.type === COLLECT) {
      void local.registry.getMetricsAsJSON().then(
        (metrics) => process.send?.({ type: COLLECTED, id: message.id, metrics }),
        () => process.send?.({ type: COLLECTED, id: message.id, metrics: [] }),
      );
    }
  });
  return {
    contentType: local.contentType,
    render: () =>
      new Promise<string>((resolve) => {
        const id = next++;
        const ownFigures = (why: string) => {
          waiting.delete(id);
          void local.render().then((text) => resolve(`# cluster aggregation unavailable (${why}): this process only\n${text}`));
        };
        const timer = setTimeout(() => ownFigures('the primary did not answer'), SCRAPE_TIMEOUT_MS);
        waiting.set(id, (m) => {
          clearTimeout(timer);
          waiting.delete(id);
          if (m.text !== undefined) resolve(m.text);
          else ownFigures(`aggregation failed: ${m.error ?? 'unknown'}`);
        });
        process.send?.({ type: SCRAPE, id });
      }),
  };
}
