import { type FormEvent, type ReactNode, useState } from 'react';
import type { Api } from '../api.ts';
import type { Experiment } from '../types.ts';

/**
 * Edits name, observation budget, state and metadata through `PUT /v1/experiments/{id}` — the
 * same call any client makes, so the same permission rules and validation messages apply. Only
 * the fields that changed are sent (PUT has PATCH semantics, docs/api-compatibility.md#routing).
 */
export function EditExperiment(props: { readonly api: Api; readonly experiment: Experiment }): ReactNode {
  const e = props.experiment;
  const [name, setName] = useState(e.name);
  const [budget, setBudget] = useState(e.observation_budget === null ? '' : String(e.observation_budget));
  const [state, setState] = useState(e.state);
  const [metadata, setMetadata] = useState(e.metadata === null ? '' : JSON.stringify(e.metadata, null, 2));
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const body: Record<string, unknown> = {};
    if (name !== e.name) body.name = name;
    const b = budget.trim() === '' ? null : Number(budget);
    if (b !== e.observation_budget) body.observation_budget = b;
    if (state !== e.state) body.state = state;
    try {
      const m = metadata.trim() === '' ? null : (JSON.parse(metadata) as unknown);
      if (JSON.stringify(m) !== JSON.stringify(e.metadata)) body.metadata = m;
    } catch {
      setMessage({ ok: false, text: 'Metadata must be a JSON object.' });
      return;
    }
    if (Object.keys(body).length === 0) {
      setMessage({ ok: true, text: 'Nothing changed.' });
      return;
    }
    try {
      await props.api.put(`/v1/experiments/${e.id}`, body);
      setMessage({ ok: true, text: 'Saved.' });
    } catch (err) {
      setMessage({ ok: false, text: err instanceof Error ? err.message : String(err) });
    }
  };

  return (
    <details className="panel">
      <summary>Edit experiment</summary>
      <form className="edit" onSubmit={submit}>
        <label>
          Name <input value={name} maxLength={100} onChange={(ev) => setName(ev.target.value)} />
        </label>
        <label>
          Observation budget <input type="number" min={1} value={budget} onChange={(ev) => setBudget(ev.target.value)} />
        </label>
        <label>
          State{' '}
          <select value={state} onChange={(ev) => setState(ev.target.value as Experiment['state'])}>
            <option value="active">active</option>
            <option value="deleted">deleted</option>
          </select>
        </label>
        <label>
          Metadata (JSON) <textarea rows={4} value={metadata} onChange={(ev) => setMetadata(ev.target.value)} />
        </label>
        <button type="submit">Save</button>
        {message && (
          <p role="status" className={message.ok ? 'ok' : 'error'}>
            {message.text}
          </p>
        )}
      </form>
    </details>
  );
}
