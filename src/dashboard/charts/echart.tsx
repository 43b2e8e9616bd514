import { BarChart, HeatmapChart, LineChart, ParallelChart, ScatterChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  ParallelComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { type EChartsCoreOption, init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { type ReactNode, useEffect, useRef } from 'react';

// Only the chart types the dashboard draws are bundled.
use([
  BarChart,
  HeatmapChart,
  LineChart,
  ParallelChart,
  ScatterChart,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  ParallelComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

const dark = () => window.matchMedia?.('(prefers-color-scheme: dark)').matches === true;

/** How many data points the option's series hold (exposed for tests and assistive text). */
export function countPoints(option: EChartsCoreOption): number {
  const series = (option as { series?: unknown }).series;
  const list = Array.isArray(series) ? series : series ? [series] : [];
  return list.reduce((n: number, s: { data?: unknown[] }) => n + (Array.isArray(s.data) ? s.data.length : 0), 0);
}

/**
 * One ECharts chart. The instance lives as long as the element; a new option replaces the old one
 * (`notMerge`), so live updates do not accumulate series, and the instance is disposed on unmount.
 */
export function EChart(props: {
  readonly option: EChartsCoreOption;
  readonly label: string;
  readonly testId: string;
  readonly height?: number;
}): ReactNode {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof init> | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const instance = init(el, dark() ? 'dark' : undefined, { renderer: 'canvas' });
    chart.current = instance;
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ backgroundColor: 'transparent', animation: false, ...props.option }, { notMerge: true });
  }, [props.option]);
  const points = countPoints(props.option);
  return (
    <div
      ref={ref}
      className="chart"
      role="img"
      aria-label={`${props.label} (${points} points)`}
      data-testid={props.testId}
      data-points={points}
      style={{ height: props.height ?? 320 }}
    />
  );
}
