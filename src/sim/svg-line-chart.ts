/** One line of a chart. */
export interface ChartSeries {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
}

/** What to draw. */
export interface LineChartSpec {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly ChartSeries[];
  readonly width?: number;
  readonly height?: number;
  /** Logarithmic y axis (latencies spanning orders of magnitude). */
  readonly logY?: boolean;
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

/**
 * A self-contained SVG line chart (axes, ticks, legend, one polyline per series): the HTML report
 * must open from a file with no network and no scripts, so no chart library is used.
 */
export function svgLineChart(spec: LineChartSpec): string {
  const width = spec.width ?? 760;
  const height = spec.height ?? 300;
  const m = { left: 64, right: 16, top: 28, bottom: 44 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const all = spec.series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!spec.logY || y > 0));
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
  ];
  out.push(`<text x="${width / 2}" y="16" text-anchor="middle" font-size="13" font-weight="bold">${esc(spec.title)}</text>`);
  if (all.length === 0) {
    out.push(`<text x="${width / 2}" y="${height / 2}" text-anchor="middle" fill="#888">no data</text></svg>`);
    return out.join('');
  }
  const xMax = Math.max(...all.map(([x]) => x), 1e-9);
  const xMin = Math.min(0, ...all.map(([x]) => x));
  const ys = all.map(([, y]) => y);
  let yMin = spec.logY ? Math.min(...ys) : 0;
  let yMax = Math.max(...ys);
  if (spec.logY) {
    yMin = 10 ** Math.floor(Math.log10(yMin));
    yMax = 10 ** Math.ceil(Math.log10(yMax * 1.0001));
  } else {
    yMax = niceCeil(yMax > 0 ? yMax * 1.05 : 1);
  }
  const sx = (x: number) => m.left + ((x - xMin) / (xMax - xMin || 1)) * plotW;
  const sy = spec.logY
    ? (y: number) => m.top + plotH - ((Math.log10(y) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin) || 1)) * plotH
    : (y: number) => m.top + plotH - ((y - yMin) / (yMax - yMin || 1)) * plotH;
  out.push(`<rect x="${m.left}" y="${m.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#ccc"/>`);
  const yTicks = spec.logY ? logTicks(yMin, yMax) : linearTicks(yMin, yMax, 5);
  for (const t of yTicks) {
    const y = sy(t).toFixed(1);
    out.push(`<line x1="${m.left}" x2="${m.left + plotW}" y1="${y}" y2="${y}" stroke="#eee"/>`);
    out.push(`<text x="${m.left - 6}" y="${y}" dy="3" text-anchor="end">${fmt(t)}</text>`);
  }
  for (const t of linearTicks(xMin, xMax, 8)) {
    const x = sx(t).toFixed(1);
    out.push(`<line x1="${x}" x2="${x}" y1="${m.top + plotH}" y2="${m.top + plotH + 4}" stroke="#888"/>`);
    out.push(`<text x="${x}" y="${m.top + plotH + 16}" text-anchor="middle">${fmt(t)}</text>`);
  }
  out.push(`<text x="${m.left + plotW / 2}" y="${height - 6}" text-anchor="middle">${esc(spec.xLabel)}</text>`);
  out.push(`<text transform="translate(14 ${m.top + plotH / 2}) rotate(-90)" text-anchor="middle">${esc(spec.yLabel)}</text>`);
  spec.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const pts = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!spec.logY || y > 0));
    if (pts.length > 0) {
      out.push(
        `<polyline fill="none" stroke="${color}" stroke-width="1.6" points="${pts.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')}"/>`,
      );
    }
    const lx = m.left + 8 + (i % 4) * 170;
    const ly = m.top + 12 + Math.floor(i / 4) * 14;
    out.push(
      `<rect x="${lx}" y="${ly - 8}" width="10" height="3" fill="${color}"/><text x="${lx + 14}" y="${ly - 4}">${esc(s.name)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('');
}

function linearTicks(min: number, max: number, count: number): number[] {
  const span = max - min || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9 && out.length < 50; t += step) out.push(Math.round(t / step) * step);
  return out;
}

function logTicks(min: number, max: number): number[] {
  const out: number[] = [];
  for (let e = Math.round(Math.log10(min)); e <= Math.round(Math.log10(max)) && out.length < 20; e++) out.push(10 ** e);
  return out;
}

function niceCeil(v: number): number {
  const mag = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= v) ?? v;
}

function fmt(v: number): string {
  if (v === 0) return '0';
  if (Math.abs(v) >= 1000) return `${Math.round(v / 100) / 10}k`;
  if (Math.abs(v) < 0.01) return v.toExponential(0);
  return String(Math.round(v * 100) / 100);
}

/** Escapes text for XML/HTML. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
