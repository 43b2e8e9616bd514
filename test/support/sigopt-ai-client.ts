import { createHash } from 'node:crypto';
import type { ApiResponse, SigoptClient } from './sigopt-client.ts';

/**
 * Emulates the official `sigopt` Python client's AI-experiment flow (sigopt/factory.py,
 * aiexperiment_context.py, run_context.py, defaults.py) request by request, on top of
 * {@link SigoptClient}'s request driver (Basic auth, JSON bodies, `sigopt-python/…` User-Agent):
 *
 * - `create_project` / `ensure_project_exists`: `GET /v1/tokens/self` for the client id, then
 *   `POST /v1/clients/{cid}/projects` `{id, name}` (a 409 means it exists);
 * - `create_experiment`: `POST /v1/clients/{cid}/projects/{pid}/aiexperiments` with the body;
 * - `loop()`: `GET /v1/aiexperiments/{id}` until `progress.remaining_budget <= 0`, each turn
 *   `POST /v1/aiexperiments/{id}/training_runs` `{name, metadata: null}`;
 * - a run's `log_metric`, `log_metadata`, `log_failure`: `MERGE /v1/training_runs/{id}` with
 *   `X-Response-Content: skip`; `log_checkpoint`: `POST …/checkpoints` with the same header;
 * - leaving `with run:`: `GET /v1/training_runs/{id}`, then `MERGE {state}` when the state may move;
 * - `log_image`: `POST /v1/training_runs/{id}/files` `{content_length, content_md5 (base64),
 *   content_type, name, filename}`, then the bytes with the returned `upload.method`, `upload.url`
 *   and `upload.headers` only (plain `requests.request`: no API token), `raise_for_status()`;
 * - the CLI (`sigopt optimize`): per run `log_source_code` and, after the program, `set_logs`
 *   (both MERGE), inside `with run:`;
 * - `get_best_runs`: `GET /v1/aiexperiments/{id}/best_training_runs` through `iterate_pages()`;
 * - `archive_experiment` / `unarchive_experiment`: `DELETE /v1/aiexperiments/{id}?include_runs=false`
 *   / `PUT /v1/aiexperiments/{id}` `{state: "active"}`; `archive_run` / `unarchive_run`:
 *   `DELETE /v1/training_runs/{id}` / `PUT /v1/training_runs/{id}` `{deleted: false}`.
 *
 * Every call throws on a non-2xx answer, as the client raises ApiException.
 */
export class SigoptFactory {
  private clientId: string | null = null;

  constructor(
    readonly conn: SigoptClient,
    readonly project: string,
  ) {}

  /** `sigopt.create_project()`: a 409 is raised (ConflictingProjectException). */
  async createProject(name = this.project): Promise<any> {
    const cid = await this.getClientId();
    const project = must(await this.conn.request('POST', `/v1/clients/${cid}/projects`, { id: this.project, name }));
    this.clientId = cid;
    return project;
  }

  /** `sigopt.create_experiment(name=…, parameters=…, metrics=…, **body)`. */
  async createExperiment(body: Record<string, unknown>): Promise<AiExperimentContext> {
    const cid = await this.ensureProjectExists();
    const experiment = must(await this.conn.request('POST', `/v1/clients/${cid}/projects/${this.project}/aiexperiments`, body));
    return new AiExperimentContext(this.conn, experiment);
  }

  /** `sigopt.get_experiment(id)`. */
  async getExperiment(id: string): Promise<AiExperimentContext> {
    return new AiExperimentContext(this.conn, must(await this.conn.request('GET', `/v1/aiexperiments/${id}`)));
  }

  async archiveExperiment(id: string, includeRuns = false): Promise<void> {
    must(await this.conn.request('DELETE', `/v1/aiexperiments/${id}`, { include_runs: includeRuns ? 'true' : 'false' }));
  }

  async unarchiveExperiment(id: string): Promise<void> {
    must(await this.conn.request('PUT', `/v1/aiexperiments/${id}`, { state: 'active' }));
  }

  async archiveRun(id: string): Promise<void> {
    must(await this.conn.request('DELETE', `/v1/training_runs/${id}`));
  }

  async unarchiveRun(id: string): Promise<void> {
    must(await this.conn.request('PUT', `/v1/training_runs/${id}`, { deleted: false }));
  }

  async getRun(id: string): Promise<any> {
    return must(await this.conn.request('GET', `/v1/training_runs/${id}`));
  }

  /** `sigopt.create_run(name)` outside an experiment: a run in the project. */
  async createRun(name: string): Promise<RunContext> {
    const cid = await this.ensureProjectExists();
    const run = must(
      await this.conn.request('POST', `/v1/clients/${cid}/projects/${this.project}/training_runs`, { name, metadata: null }),
    );
    return new RunContext(this.conn, run);
  }

  private async getClientId(): Promise<string> {
    return must(await this.conn.request('GET', '/v1/tokens/self')).client as string;
  }

  private async ensureProjectExists(): Promise<string> {
    if (this.clientId !== null) return this.clientId;
    const cid = await this.getClientId();
    const res = await this.conn.request('POST', `/v1/clients/${cid}/projects`, { id: this.project, name: this.project });
    if (res.status !== 409) must(res);
    this.clientId = cid;
    return cid;
  }
}

/** `AIExperimentContext`: refresh, loop, runs, best runs, archive. */
export class AiExperimentContext {
  constructor(
    readonly conn: SigoptClient,
    public experiment: any,
  ) {}

  get id(): string {
    return this.experiment.id;
  }

  async refresh(): Promise<void> {
    this.experiment = must(await this.conn.request('GET', `/v1/aiexperiments/${this.id}`));
  }

  async isFinished(): Promise<boolean> {
    await this.refresh();
    const remaining = this.experiment.progress.remaining_budget;
    return remaining !== null && remaining <= 0;
  }

  /** `for run in experiment.loop()` (bounded so a server bug cannot hang a test). */
  async *loop(name = 'run', maxRuns = 100): AsyncGenerator<RunContext> {
    for (let i = 0; i < maxRuns && !(await this.isFinished()); i++) yield await this.createRun(name);
  }

  async createRun(name: string, metadata: Record<string, unknown> | null = null): Promise<RunContext> {
    return new RunContext(
      this.conn,
      must(await this.conn.request('POST', `/v1/aiexperiments/${this.id}/training_runs`, { name, metadata })),
    );
  }

  async getBestRuns(): Promise<any[]> {
    return this.conn.iteratePages(`/v1/aiexperiments/${this.id}/best_training_runs`);
  }

  async getRuns(): Promise<any[]> {
    const filters = JSON.stringify([{ field: 'experiment', operator: '==', value: this.id }]);
    return this.conn.iteratePages(`/v1/clients/${this.experiment.client}/projects/${this.experiment.project}/training_runs`, { filters });
  }

  /** `experiment.archive()`: DELETE, then refresh. */
  async archive(): Promise<void> {
    must(await this.conn.request('DELETE', `/v1/aiexperiments/${this.id}`));
    await this.refresh();
  }
}

const SKIP = { 'X-Response-Content': 'skip' };
const PRECEDENCE: Record<string, number> = { failed: 2, completed: 1 };

/** `RunContext`: the `log_*` calls and the end of a `with run:` block. */
export class RunContext {
  constructor(
    readonly conn: SigoptClient,
    readonly run: any,
  ) {}

  get id(): string {
    return this.run.id;
  }

  /** `run.params`: the run's fixed assignments. */
  get params(): Record<string, any> {
    return this.run.assignments;
  }

  async logMetric(name: string, value: number, stddev?: number): Promise<void> {
    await this.update({ values: { [name]: { value, ...(stddev !== undefined ? { value_stddev: stddev } : {}) } } });
  }

  async logMetadata(key: string, value: string | number): Promise<void> {
    await this.update({ metadata: { [key]: value } });
  }

  /** `run.log_source_code(hash=…)` (the CLI logs the git hash of the working tree). */
  async logSourceCode(sourceCode: { hash?: string; content?: string }): Promise<void> {
    await this.update({ source_code: sourceCode });
  }

  /** `run.set_logs({stdout, stderr})` (the CLI, after the user program exits; cut to 1024 chars client-side). */
  async setLogs(logs: Record<string, string>): Promise<void> {
    await this.update({ logs: Object.fromEntries(Object.entries(logs).map(([k, v]) => [k, { content: v }])) });
  }

  async logFailure(): Promise<void> {
    await this.update({ state: 'failed' });
  }

  async logCheckpoint(values: Record<string, number>): Promise<void> {
    const body = { values: Object.entries(values).map(([name, value]) => ({ name, value })) };
    expectSkipped(await this.conn.request('POST', `/v1/training_runs/${this.id}/checkpoints`, body, SKIP));
  }

  /** `run.log_image(image, name)`: declare the file, then upload the bytes through the link. */
  async logImage(content: Uint8Array, name: string | null, filename = 'image.png', contentType = 'image/png'): Promise<any> {
    const file = must(
      await this.conn.request('POST', `/v1/training_runs/${this.id}/files`, {
        content_length: content.length,
        content_md5: createHash('md5').update(content).digest('base64'),
        content_type: contentType,
        name,
        filename,
      }),
    );
    const upload = file.upload;
    const res = await fetch(upload.url, { method: upload.method, headers: upload.headers, body: content });
    if (res.status >= 400) throw new ApiException(res.status, await res.text());
    return file;
  }

  /** Leaving `with run:` (exception → failed, else completed), as `RunContext._end`. */
  async end(error?: unknown): Promise<void> {
    const current = must(await this.conn.request('GET', `/v1/training_runs/${this.id}`));
    const next = error ? 'failed' : 'completed';
    if (next !== current.state && (PRECEDENCE[next] ?? 0) >= (PRECEDENCE[current.state] ?? 0)) await this.update({ state: next });
  }

  /** `with run: body(run)`. */
  async with(body: (run: RunContext) => Promise<void>): Promise<void> {
    try {
      await body(this);
    } catch (err) {
      await this.end(err);
      throw err;
    }
    await this.end();
  }

  private async update(body: Record<string, unknown>): Promise<void> {
    expectSkipped(await this.conn.request('MERGE', `/v1/training_runs/${this.id}`, body, SKIP));
  }
}

/** The client's response handling: a 2xx is success, anything else an ApiException. */
export class ApiException extends Error {
  constructor(
    readonly status: number,
    readonly body: any,
  ) {
    super(`${status}: ${JSON.stringify(body)}`);
  }
}

function must(res: ApiResponse): any {
  if (res.status < 200 || res.status > 299) throw new ApiException(res.status, res.body);
  return res.body;
}

/** `X-Response-Content: skip` answers 204 with no body. */
function expectSkipped(res: ApiResponse): void {
  must(res);
  if (res.status !== 204 || res.body !== null) throw new Error(`expected 204 without body, got ${res.status} ${JSON.stringify(res.body)}`);
}
