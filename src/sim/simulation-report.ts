import type { LatencySummary } from './latency-histogram.ts';
import type { ServerFigures } from './metrics-scrape.ts';
import type { StopReason } from './run-control.ts';
import type { EndpointFigures, WindowFigures } from './run-recorder.ts';
import type { SimulationSettings } from './simulation-options.ts';

/** Where the suggestion-source mix came from. */
export type SourceMixOrigin = 'database' | 'metrics' | 'unavailable';

/** The JSON report of one `sextant simulate` run (format version 1; `compare` reads two of these). */
export interface SimulationReport {
  readonly format: 'sextant-simulation/1';
  readonly startedAt: string;
  readonly target: {
    readonly url: string;
    /** external (--url), embedded or distributed (--spawn). */
    readonly mode: string;
    readonly details?: Readonly<Record<string, unknown>>;
  };
  readonly settings: SimulationSettings;
  readonly environment: {
    readonly node: string;
    readonly platform: string;
    readonly cpus: number;
    readonly loadAverageAtStart: readonly number[];
  };
  readonly setup: {
    readonly experimentsCreated: number;
    readonly multiMetric: number;
    readonly parallel: number;
    readonly seconds: number;
  };
  readonly summary: {
    readonly measuredSeconds: number;
    readonly stoppedBy: StopReason;
    readonly cycles: number;
    readonly cyclesPerSecond: number;
    /** Suggestion create + observation create latency of completed cycles (evaluation time excluded). */
    readonly cycleLatency: LatencySummary;
    readonly requests: number;
    readonly errors: number;
    readonly errorRate: number;
  };
  /** Per endpoint (named like the server's route names in /metrics) plus `cycle`. */
  readonly endpoints: Readonly<Record<string, EndpointFigures>>;
  /** Non-2xx outcomes over all endpoints, by status (`network`, `timeout` for no answer). */
  readonly errorsByStatus: Readonly<Record<string, number>>;
  readonly sourceMix: {
    readonly origin: SourceMixOrigin;
    readonly counts: Readonly<Record<string, number>>;
    /** (fresh + stale) / (fresh + stale + fallback): the share of post-initial suggestions the model answered; null without any. */
    readonly modelShare: number | null;
    /** fresh / (fresh + stale + fallback): answered by a model that had every stored observation. */
    readonly freshShare: number | null;
  };
  /** What the simulator saw acknowledged against what the server stored (read back through the API). */
  readonly verification: {
    readonly suggestionsAcknowledged: number;
    readonly observationsAcknowledged: number;
    /** Sum of progress.observation_count over the run's experiments; null if the read-back failed. */
    readonly observationsStored: number | null;
    readonly match: boolean | null;
  };
  readonly server: ServerFigures | null;
  readonly timeline: readonly WindowFigures[];
}
