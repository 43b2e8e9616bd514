import { type ReactNode, useCallback, useEffect, useState } from 'react';
import type { Api } from '../api.ts';
import { ErrorNote } from './common.tsx';
import { LiveFigures } from './live-figures.tsx';

interface Setting {
  readonly key: string;
  readonly value: unknown;
  readonly source: string;
  readonly default: unknown;
  readonly type: 'integer' | 'number' | 'boolean' | 'enum';
  readonly values?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  readonly unit?: string;
  readonly description: string;
}

interface Profile {
  readonly name: string;
  readonly description: string;
}

interface ActiveProfile {
  readonly name: string;
  readonly applied: number;
}

/**
 * Live settings and load profiles, through the same admin API as `sextant config` (every change is
 * audited there). Only the deployment operator may read them; other tokens see the API's 403.
 */
export function OperationsPage(props: { readonly api: Api }): ReactNode {
  const [settings, setSettings] = useState<readonly Setting[] | null>(null);
  const [profiles, setProfiles] = useState<readonly Profile[]>([]);
  const [active, setActive] = useState<ActiveProfile | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      const s = await props.api.get<{ data: Setting[]; active_profile: ActiveProfile | null }>('/v1/admin/settings');
      const p = await props.api.get<{ data: Profile[] }>('/v1/admin/profiles');
      setSettings(s.data);
      setActive(s.active_profile);
      setProfiles(p.data);
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, [props.api]);
  useEffect(() => {
    void load();
  }, [load]);

  const act = async (what: string, call: () => Promise<unknown>) => {
    try {
      await call();
      setStatus(what);
      await load();
    } catch (err) {
      setStatus(`${what} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  if (error !== null) return <ErrorNote error={error} />;
  if (settings === null) return <p aria-busy="true">Loading…</p>;
  return (
    <section aria-labelledby="operations-title">
      <h1 id="operations-title">Operations</h1>
      {status && (
        <p role="status" className="note">
          {status}
        </p>
      )}
      <LiveFigures />
      <section className="panel" aria-labelledby="profiles-title">
        <h2 id="profiles-title">Load profiles</h2>
        <p>Active: {active ? `${active.name}` : 'none'}</p>
        <ul className="profiles">
          {profiles.map((p) => (
            <li key={p.name}>
              <button
                type="button"
                onClick={() => act(`Applied ${p.name}`, () => props.api.post(`/v1/admin/profiles/${p.name}/apply`, {}))}
              >
                Apply {p.name}
              </button>{' '}
              {p.description}
            </li>
          ))}
        </ul>
        <button
          type="button"
          disabled={!active}
          onClick={() => act('Reverted the profile', () => props.api.post('/v1/admin/profiles/revert', {}))}
        >
          Revert profile
        </button>
      </section>
      <section className="panel" aria-labelledby="settings-title">
        <h2 id="settings-title">Live settings</h2>
        <table className="data" data-testid="settings-table">
          <thead>
            <tr>
              <th scope="col">Setting</th>
              <th scope="col">Value</th>
              <th scope="col">Source</th>
              <th scope="col">Description</th>
            </tr>
          </thead>
          <tbody>
            {settings.map((s) => (
              <SettingRow
                key={s.key}
                setting={s}
                onSave={(value) => act(`Set ${s.key}`, () => props.api.put(`/v1/admin/settings/${s.key}`, { value }))}
              />
            ))}
          </tbody>
        </table>
      </section>
    </section>
  );
}

function SettingRow(props: { readonly setting: Setting; readonly onSave: (value: unknown) => void }): ReactNode {
  const s = props.setting;
  const [draft, setDraft] = useState(String(s.value));
  useEffect(() => setDraft(String(s.value)), [s.value]);
  const id = `setting-${s.key.replace(/\W/g, '-')}`;
  const parse = (): unknown =>
    s.type === 'integer' || s.type === 'number' ? Number(draft) : s.type === 'boolean' ? draft === 'true' : draft;
  return (
    <tr>
      <td>
        <label htmlFor={id}>{s.key}</label>
      </td>
      <td>
        <form
          className="inline"
          onSubmit={(e) => {
            e.preventDefault();
            props.onSave(parse());
          }}
        >
          {s.type === 'boolean' || s.type === 'enum' ? (
            <select id={id} value={draft} onChange={(e) => setDraft(e.target.value)}>
              {(s.type === 'boolean' ? ['true', 'false'] : (s.values ?? [])).map((v) => (
                <option key={v}>{v}</option>
              ))}
            </select>
          ) : (
            <input id={id} type="number" step="any" min={s.min} max={s.max} value={draft} onChange={(e) => setDraft(e.target.value)} />
          )}
          <button type="submit" disabled={draft === String(s.value)} aria-label={`Save ${s.key}`}>
            Save
          </button>
        </form>
      </td>
      <td>{s.source}</td>
      <td className="wrap">
        {s.description}
        {s.unit ? ` (${s.unit})` : ''}
      </td>
    </tr>
  );
}
