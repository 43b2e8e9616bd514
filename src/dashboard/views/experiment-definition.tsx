import type { ReactNode } from 'react';
import { metricLabel } from '../data/observation-table.ts';
import type { Experiment, Parameter } from '../types.ts';
import { formatTime } from './common.tsx';

function domain(p: Parameter): string {
  if (p.type === 'categorical') return (p.categorical_values ?? []).map((c) => c.name).join(', ');
  if (p.grid) return `grid ${p.grid.join(', ')}`;
  return p.bounds ? `[${p.bounds.min}, ${p.bounds.max}]` : '';
}

/** The experiment's definition: parameters, metrics, conditionals, constraints and metadata. */
export function ExperimentDefinition(props: { readonly experiment: Experiment }): ReactNode {
  const e = props.experiment;
  return (
    <section aria-labelledby="definition-title" className="panel">
      <h2 id="definition-title">Definition</h2>
      <table className="data">
        <caption>Parameters</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            <th scope="col">Domain</th>
            <th scope="col">Transformation</th>
            <th scope="col">Conditions</th>
          </tr>
        </thead>
        <tbody>
          {e.parameters.map((p) => (
            <tr key={p.name}>
              <td>{p.name}</td>
              <td>{p.type}</td>
              <td>{domain(p)}</td>
              <td>{p.transformation ?? '—'}</td>
              <td>
                {Object.entries(p.conditions)
                  .map(([k, v]) => `${k} ∈ {${v.join(', ')}}`)
                  .join('; ') || '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="data">
        <caption>Metrics</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Objective</th>
            <th scope="col">Strategy</th>
            <th scope="col">Threshold</th>
          </tr>
        </thead>
        <tbody>
          {e.metrics.map((m) => (
            <tr key={metricLabel(m.name)}>
              <td>{metricLabel(m.name)}</td>
              <td>{m.objective}</td>
              <td>{m.strategy}</td>
              <td>{m.threshold ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {e.conditionals.length > 0 && <p>Conditionals: {e.conditionals.map((c) => `${c.name} ∈ {${c.values.join(', ')}}`).join('; ')}</p>}
      {e.linear_constraints.length > 0 && (
        <ul aria-label="Linear constraints">
          {e.linear_constraints.map((c, i) => (
            <li key={i}>
              {c.terms.map((t) => `${t.weight}·${t.name}`).join(' + ')} {c.type === 'greater_than' ? '≥' : '≤'} {c.threshold}
            </li>
          ))}
        </ul>
      )}
      <dl className="facts">
        <dt>Created</dt>
        <dd>{formatTime(e.created)}</dd>
        <dt>Parallel bandwidth</dt>
        <dd>{e.parallel_bandwidth ?? 1}</dd>
        <dt>Solutions</dt>
        <dd>{e.num_solutions ?? 1}</dd>
        <dt>Development</dt>
        <dd>{e.development ? 'yes' : 'no'}</dd>
      </dl>
      <h3>Metadata</h3>
      <pre>{e.metadata === null ? 'none' : JSON.stringify(e.metadata, null, 2)}</pre>
    </section>
  );
}
