import { describe, expect, it } from 'vitest';
import type { Metric } from '../../client/index.ts';
import { lastLine, parseMetrics } from './metric-output.ts';
import { fillPlaceholders, paramEnvName } from './trial-process.ts';

const metric = (name: string, strategy: Metric['strategy'] = 'optimize'): Metric => ({
  object: 'metric',
  name,
  objective: 'maximize',
  strategy,
  threshold: null,
});

describe('parseMetrics', () => {
  const two = [metric('accuracy'), metric('loss', 'store')];

  it('reads JSON objects, arrays and name=value pairs', () => {
    expect(parseMetrics('{"accuracy": 0.9, "loss": 0.3}', two)).toEqual({
      values: [
        { name: 'accuracy', value: 0.9 },
        { name: 'loss', value: 0.3 },
      ],
    });
    expect(parseMetrics('[{"name":"accuracy","value":0.9,"value_stddev":0.01},{"name":"loss","value":1}]', two)).toEqual({
      values: [
        { name: 'accuracy', value: 0.9, value_stddev: 0.01 },
        { name: 'loss', value: 1 },
      ],
    });
    expect(parseMetrics('accuracy=0.9 loss=3e-2', two)).toEqual({
      values: [
        { name: 'accuracy', value: 0.9 },
        { name: 'loss', value: 0.03 },
      ],
    });
    expect(parseMetrics('accuracy=0.9,loss=1', two)).toEqual({
      values: [
        { name: 'accuracy', value: 0.9 },
        { name: 'loss', value: 1 },
      ],
    });
  });

  it('a bare number is the value of the only metric', () => {
    expect(parseMetrics('0.5', [metric('f')])).toEqual({ values: [{ name: 'f', value: 0.5 }] });
    expect('error' in parseMetrics('0.5', two)).toBe(true);
  });

  it('names what is wrong: missing, unknown, not a number, no metrics at all', () => {
    expect(parseMetrics('{"accuracy": 0.9}', two)).toEqual({ error: 'missing metrics: loss' });
    expect(parseMetrics('accuracy=1 loss=2 speed=3', two)).toEqual({ error: 'unknown metrics: speed' });
    expect(parseMetrics('accuracy=high loss=1', two)).toEqual({ error: 'metric accuracy is not a finite number' });
    expect(parseMetrics('{"accuracy": null, "loss": 1}', two)).toEqual({ error: 'metric accuracy is not a finite number' });
    expect(parseMetrics('epoch 3 done', two)).toEqual({ error: 'no metrics in the last output line: "epoch 3 done"' });
    expect('error' in parseMetrics('', two)).toBe(true);
  });

  it('takes the last non-empty line', () => {
    expect(lastLine('a\nb=1\n\n  \n')).toBe('b=1');
    expect(lastLine('')).toBe('');
  });
});

describe('assignments for the command', () => {
  it('fills {name} placeholders of parameters only, leaving other braces alone', () => {
    expect(
      fillPlaceholders(['--lr', '{lr}', '--opt={opt}', '{unknown}', '${HOME}', '{"a":1}', '{hidden}'], {
        lr: 0.01,
        opt: 'adam',
        hidden: null,
      }),
    ).toEqual(['--lr', '0.01', '--opt=adam', '{unknown}', '${HOME}', '{"a":1}', '']);
  });

  it('names environment variables SEXTANT_PARAM_<NAME>', () => {
    expect(paramEnvName('learning_rate')).toBe('SEXTANT_PARAM_LEARNING_RATE');
    expect(paramEnvName('layer-1.size')).toBe('SEXTANT_PARAM_LAYER_1_SIZE');
  });
});
