import type { EChartsCoreOption } from 'echarts/core';
import { bestSoFar } from '../data/best-so-far.ts';
import { lttb } from '../data/lttb.ts';
import { metricLabel, metricValue } from '../data/observation-table.ts';
import { paretoFrontier, withinThresholds } from '../data/pareto.ts';
import type { Experiment, Metric, Observation, Objective } from '../types.ts';

/** Above this many points a scatter is downsampled (LTTB) and drawn in ECharts' large mode. */
const MAX_POINTS = 4000;

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Tooltip lines for one observation: id, values and assignments. */
export function describeObservation(o: Observation): string {
  const values = o.failed ? ['failed'] : o.values.map((v) => `${escape(metricLabel(v.name))} = ${v.value}`);
  const assignments = Object.entries(o.assignments).map(([k, v]) => `${escape(k)} = ${escape(String(v))}`);
  return [`<b>observation ${escape(o.id)}</b>`, ...values, ...assignments].join('<br/>');
}

function objectiveOf(experiment: Experiment, metric: string | null): Objective {
  return experiment.metrics.find((m) => m.name === metric)?.objective ?? 'maximize';
}

/**
 * History: each observation's value in creation order, the best-so-far line, failed observations
 * marked at the bottom of the axis, and a hover showing the assignments.
 */
export function historyOption(experiment: Experiment, observations: readonly Observation[], metric: string | null): EChartsCoreOption {
  const values = observations.map((o) => metricValue(experiment, o, metric));
  const best = bestSoFar(values, objectiveOf(experiment, metric));
  const xs = values.map((_, i) => i + 1);
  const ys = values.map((v) => (v === null ? Number.NaN : v));
  const keep = lttb(xs, ys, MAX_POINTS);
  const finite = ys.filter(Number.isFinite);
  const floor = finite.reduce((a, b) => Math.min(a, b), finite[0] ?? 0);
  const failed = observations.flatMap((o, i) => (o.failed ? [[i + 1, floor, i]] : []));
  // The step line only needs its corners: the positions where the best changed, plus the end.
  const bestLine = best.flatMap((b, i) =>
    b !== null && (i === best.length - 1 || best[i + 1] !== b || i === 0 || best[i - 1] !== b) ? [[i + 1, b]] : [],
  );
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p: { seriesIndex: number; data: number[] }) => {
        if (p.seriesIndex === 1) return `best so far: ${p.data[1]}`;
        const o = observations[p.data[2] ?? -1];
        return o ? describeObservation(o) : '';
      },
    },
    legend: { data: ['observation', 'best so far', 'failed'], top: 0 },
    grid: { left: 60, right: 20, top: 40, bottom: 50 },
    xAxis: { type: 'value', name: 'observation', nameLocation: 'middle', nameGap: 28, min: 1 },
    yAxis: { type: 'value', name: metricLabel(metric), scale: true },
    dataZoom: [{ type: 'inside' }],
    series: [
      { name: 'observation', type: 'scatter', symbolSize: 6, large: keep.length > 2000, data: keep.map((i) => [i + 1, ys[i], i]) },
      { name: 'best so far', type: 'line', step: 'end', showSymbol: false, data: bestLine },
      { name: 'failed', type: 'scatter', symbol: 'triangle', symbolSize: 9, itemStyle: { color: '#d62728' }, data: failed },
    ],
  };
}

/** Distinct categorical values in the experiment's order, for a category axis. */
function categories(experiment: Experiment, param: string): string[] | null {
  const p = experiment.parameters.find((q) => q.name === param);
  return p?.type === 'categorical' ? (p.categorical_values ?? []).map((c) => c.name) : null;
}

function sample<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const step = items.length / max;
  return Array.from({ length: max }, (_, k) => items[Math.floor(k * step)]!);
}

/** Slice plot: one parameter against one metric, each observation a point. */
export function sliceOption(
  experiment: Experiment,
  observations: readonly Observation[],
  param: string,
  metric: string | null,
): EChartsCoreOption {
  const cats = categories(experiment, param);
  const log = experiment.parameters.find((p) => p.name === param)?.transformation === 'log';
  const rows = sample(
    observations.flatMap((o, i) => {
      const x = o.assignments[param];
      const y = metricValue(experiment, o, metric);
      return x === null || x === undefined || y === null ? [] : [[x, y, i]];
    }),
    MAX_POINTS,
  );
  return {
    tooltip: { trigger: 'item', formatter: (p: { data: number[] }) => describeObservation(observations[p.data[2] ?? -1]!) },
    grid: { left: 60, right: 20, top: 20, bottom: 50 },
    xAxis: cats
      ? { type: 'category', data: cats, name: param, nameLocation: 'middle', nameGap: 28 }
      : { type: log ? 'log' : 'value', name: param, nameLocation: 'middle', nameGap: 28, scale: true },
    yAxis: { type: 'value', name: metricLabel(metric), scale: true },
    series: [{ type: 'scatter', symbolSize: 6, data: rows }],
  };
}

/**
 * Contour view of a pair of parameters: the metric's mean over a 16 × 16 grid of bins (ECharts has
 * no contour series; a binned heatmap shows the same landscape without inventing values between
 * observations). Categorical parameters bin by value.
 */
export function contourOption(
  experiment: Experiment,
  observations: readonly Observation[],
  px: string,
  py: string,
  metric: string | null,
): EChartsCoreOption {
  const axis = (param: string) => {
    const cats = categories(experiment, param);
    if (cats) return { labels: cats, bin: (v: unknown) => cats.indexOf(String(v)) };
    const p = experiment.parameters.find((q) => q.name === param);
    const log = p?.transformation === 'log';
    const t = (v: number) => (log ? Math.log(v) : v);
    // Integers with a short range get one bin per value; everything else 16 bins.
    const isInt = p?.type === 'int' && !log;
    const lo = t(p?.bounds?.min ?? 0) - (isInt ? 0.5 : 0);
    const hi = t(p?.bounds?.max ?? 1) + (isInt ? 0.5 : 0);
    const n = isInt ? Math.max(1, Math.min(16, Math.round(hi - lo))) : 16;
    const width = (hi - lo) / n || 1;
    const labels = Array.from({ length: n }, (_, k) => {
      const mid = lo + (k + 0.5) * width;
      return Number((log ? Math.exp(mid) : mid).toPrecision(3)).toString();
    });
    return { labels, bin: (v: unknown) => (typeof v === 'number' ? Math.min(n - 1, Math.max(0, Math.floor((t(v) - lo) / width))) : -1) };
  };
  const ax = axis(px);
  const ay = axis(py);
  const sums = new Map<string, { sum: number; n: number }>();
  for (const o of observations) {
    const y = metricValue(experiment, o, metric);
    const i = ax.bin(o.assignments[px]);
    const j = ay.bin(o.assignments[py]);
    if (y === null || i < 0 || j < 0) continue;
    const cell = sums.get(`${i},${j}`) ?? { sum: 0, n: 0 };
    cell.sum += y;
    cell.n += 1;
    sums.set(`${i},${j}`, cell);
  }
  const data = [...sums].map(([key, c]) => [...key.split(',').map(Number), c.sum / c.n]);
  const zs = data.map((d) => d[2]!);
  return {
    tooltip: { formatter: (p: { data: number[] }) => `${escape(metricLabel(metric))} mean: ${p.data[2]?.toPrecision(4)}` },
    grid: { left: 70, right: 90, top: 20, bottom: 50 },
    xAxis: { type: 'category', data: ax.labels, name: px, nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'category', data: ay.labels, name: py },
    visualMap: {
      min: zs.reduce((a, b) => Math.min(a, b), zs[0] ?? 0),
      max: zs.reduce((a, b) => Math.max(a, b), zs[0] ?? 1),
      calculable: true,
      precision: 3,
      orient: 'vertical',
      right: 0,
      top: 'center',
    },
    series: [{ type: 'heatmap', data }],
  };
}

/** Parallel coordinates over every parameter and metric (a sample when there are many rows). */
export function parallelOption(experiment: Experiment, observations: readonly Observation[]): EChartsCoreOption {
  const params = experiment.parameters.map((p) => p.name);
  const metrics = experiment.metrics.map((m) => m.name);
  const axes = [
    ...params.map((name, dim) => {
      const cats = categories(experiment, name);
      return cats ? { dim, name, type: 'category', data: cats } : { dim, name, type: 'value', scale: true };
    }),
    ...metrics.map((m, k) => ({ dim: params.length + k, name: metricLabel(m), type: 'value', scale: true })),
  ];
  const rows = sample(
    observations.filter((o) => !o.failed),
    2000,
  ).map((o) => [...params.map((p) => o.assignments[p] ?? null), ...metrics.map((m) => metricValue(experiment, o, m))]);
  return {
    parallelAxis: axes,
    parallel: { left: 40, right: 60, top: 40, bottom: 30 },
    series: [{ type: 'parallel', lineStyle: { width: 1, opacity: 0.4 }, data: rows }],
  };
}

/** Parameter importances of one metric, as horizontal bars (largest on top). */
export function importanceOption(importances: Readonly<Record<string, number | null>>): EChartsCoreOption {
  const entries = Object.entries(importances)
    .map(([k, v]) => [k, v ?? 0] as const)
    .sort((a, b) => a[1] - b[1]);
  return {
    tooltip: { trigger: 'item' },
    grid: { left: 120, right: 30, top: 10, bottom: 30 },
    xAxis: { type: 'value', min: 0, max: 1 },
    yAxis: { type: 'category', data: entries.map((e) => e[0]) },
    series: [{ type: 'bar', data: entries.map((e) => e[1]) }],
  };
}

/** Which observations satisfy every metric threshold (optimized and constraint metrics). */
export function feasibility(experiment: Experiment, o: Observation): boolean {
  const metrics: readonly Metric[] = experiment.metrics;
  return (
    !o.failed &&
    withinThresholds(
      metrics.map((m) => metricValue(experiment, o, m.name)),
      metrics.map((m) => m.threshold),
      metrics.map((m) => m.objective),
    )
  );
}

/**
 * The Pareto frontier of two metrics: every observation (feasible or not by the metric thresholds
 * and constraint metrics) and the frontier of the feasible ones as a line.
 */
export function paretoOption(
  experiment: Experiment,
  observations: readonly Observation[],
  mx: string | null,
  my: string | null,
): EChartsCoreOption {
  const point = (o: Observation) => [metricValue(experiment, o, mx) ?? Number.NaN, metricValue(experiment, o, my) ?? Number.NaN];
  const feasible: number[] = [];
  const infeasible: number[] = [];
  observations.forEach((o, i) => {
    if (!o.failed) (feasibility(experiment, o) ? feasible : infeasible).push(i);
  });
  const objectives = [objectiveOf(experiment, mx), objectiveOf(experiment, my)];
  const front = paretoFrontier(
    feasible.map((i) => point(observations[i]!)),
    objectives,
  )
    .map((k) => point(observations[feasible[k]!]!))
    .sort((a, b) => a[0]! - b[0]!);
  const withIndex = (list: number[]) => sample(list, MAX_POINTS).map((i) => [...point(observations[i]!), i]);
  const thresholds = [mx, my].map((m) => experiment.metrics.find((q) => q.name === m)?.threshold ?? null);
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p: { seriesIndex: number; data: number[] }) =>
        p.seriesIndex === 2 ? 'frontier' : describeObservation(observations[p.data[2] ?? -1]!),
    },
    legend: { data: ['feasible', 'infeasible', 'frontier'], top: 0 },
    grid: { left: 60, right: 20, top: 40, bottom: 50 },
    xAxis: { type: 'value', name: metricLabel(mx), nameLocation: 'middle', nameGap: 28, scale: true },
    yAxis: { type: 'value', name: metricLabel(my), scale: true },
    series: [
      {
        name: 'feasible',
        type: 'scatter',
        symbolSize: 6,
        data: withIndex(feasible),
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { type: 'dashed' },
          data: [
            ...(thresholds[0] !== null ? [{ xAxis: thresholds[0] }] : []),
            ...(thresholds[1] !== null ? [{ yAxis: thresholds[1] }] : []),
          ],
        },
      },
      { name: 'infeasible', type: 'scatter', symbolSize: 6, itemStyle: { color: '#999' }, data: withIndex(infeasible) },
      { name: 'frontier', type: 'line', step: objectives[0] === objectives[1] ? 'start' : 'end', symbol: 'circle', data: front },
    ],
  };
}

/** Best-so-far curves of several experiments on one chart. */
export function compareOption(curves: readonly { readonly name: string; readonly best: readonly (number | null)[] }[]): EChartsCoreOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { data: curves.map((c) => c.name), type: 'scroll', top: 0 },
    grid: { left: 60, right: 20, top: 40, bottom: 50 },
    xAxis: { type: 'value', name: 'observation', nameLocation: 'middle', nameGap: 28, min: 1 },
    yAxis: { type: 'value', name: 'best so far', scale: true },
    series: curves.map((c) => ({
      name: c.name,
      type: 'line',
      step: 'end',
      showSymbol: false,
      data: c.best.flatMap((b, i) => (b === null ? [] : [[i + 1, b]])),
    })),
  };
}

/** Suggestions per interval by source (stacked bars), from successive scrapes of /metrics. */
export function sourcesOption(times: readonly number[], perSource: Readonly<Record<string, readonly number[]>>): EChartsCoreOption {
  const sources = Object.keys(perSource).sort();
  return {
    tooltip: { trigger: 'axis' },
    legend: { data: sources, top: 0 },
    grid: { left: 50, right: 20, top: 40, bottom: 40 },
    xAxis: { type: 'category', data: times.map((t) => new Date(t).toLocaleTimeString()) },
    yAxis: { type: 'value', name: 'suggestions', minInterval: 1 },
    series: sources.map((s) => ({ name: s, type: 'bar', stack: 'sources', data: perSource[s] })),
  };
}
