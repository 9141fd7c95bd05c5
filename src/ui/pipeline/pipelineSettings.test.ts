import { describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINT, DEFAULT_JUDGE, DEFAULT_RUN, checkEndpoint, checkRun, judgeEndpoint, keysToKeep, parseExtraBody } from './pipelineSettings';

const endpoint = { ...DEFAULT_ENDPOINT, model: 'tiny-vlm' };

describe('pipeline settings', () => {
  it('name the first wrong field of an endpoint', () => {
    expect(checkEndpoint(endpoint, 'endpoint')).toBeNull();
    expect(checkEndpoint({ ...endpoint, baseUrl: 'localhost:8000' }, 'endpoint')?.field).toBe('endpoint.baseUrl');
    expect(checkEndpoint({ ...endpoint, baseUrl: 'ftp://127.0.0.1' }, 'judge')?.field).toBe('judge.baseUrl');
    expect(checkEndpoint({ ...endpoint, model: ' ' }, 'endpoint')?.field).toBe('endpoint.model');
    expect(checkEndpoint({ ...endpoint, concurrency: 0 }, 'endpoint')?.field).toBe('endpoint.concurrency');
    expect(checkEndpoint({ ...endpoint, timeoutS: Number.NaN }, 'endpoint')?.field).toBe('endpoint.timeoutS');
    expect(checkEndpoint({ ...endpoint, retries: 1.5 }, 'endpoint')?.field).toBe('endpoint.retries');
    expect(checkEndpoint({ ...endpoint, temperature: 3 }, 'endpoint')?.message).toMatch(/from 0 to 2/);
    expect(checkEndpoint({ ...endpoint, extraBody: '{"top_k": 20}' }, 'endpoint')).toBeNull();
    for (const bad of ['top_k=20', '[1]', '"x"', '{"top_k": }']) expect(checkEndpoint({ ...endpoint, extraBody: bad }, 'endpoint')?.field).toBe('endpoint.extraBody');
    expect(parseExtraBody(' ')).toEqual({});
    expect(parseExtraBody('{"mm_processor_kwargs": {"fps": 2}}')).toEqual({ mm_processor_kwargs: { fps: 2 } });
  });

  it('name a run without categories or videos', () => {
    expect(checkRun(DEFAULT_RUN, 2)).toBeNull();
    expect(checkRun({ ...DEFAULT_RUN, categories: [] }, 2)?.field).toBe('run.categories');
    expect(checkRun(DEFAULT_RUN, 0)?.message).toMatch(/no video that can be decoded/);
    expect(checkRun({ ...DEFAULT_RUN, frames: 0 }, 2)?.field).toBe('run.frames');
    expect(checkRun({ ...DEFAULT_RUN, queries: 'llm' as never }, 2)?.field).toBe('run.queries');
  });

  it('let the judge share the endpoint, and keep API keys only where asked', () => {
    expect(judgeEndpoint(endpoint, DEFAULT_JUDGE)).toMatchObject({ baseUrl: endpoint.baseUrl, model: 'tiny-vlm', maxTokens: DEFAULT_JUDGE.maxTokens });
    const own = { ...DEFAULT_JUDGE, sameAsEndpoint: false, baseUrl: 'http://127.0.0.1:9000', model: 'judge' };
    expect(judgeEndpoint(endpoint, own).baseUrl).toBe('http://127.0.0.1:9000');
    const keys = { endpoint: 'sk-a', judge: 'sk-b' };
    expect(keysToKeep(keys, endpoint, own)).toEqual({});
    expect(keysToKeep(keys, { ...endpoint, rememberKey: true }, own)).toEqual({ endpoint: 'sk-a' });
    expect(keysToKeep(keys, endpoint, { ...own, rememberKey: true })).toEqual({ judge: 'sk-b' });
  });
});
