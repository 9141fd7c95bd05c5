import { describe, expect, it } from 'vitest';
import { RuntimeTimeoutError, chooseProvider, withTimeout } from '.';

describe('runtime', () => {
  it('a call that never finishes fails with RuntimeTimeoutError naming it', async () => {
    await expect(withTimeout(new Promise(() => {}), 20, 'creating a wasm session')).rejects.toThrow(RuntimeTimeoutError);
    await expect(withTimeout(new Promise(() => {}), 20, 'a wasm run')).rejects.toThrow('a wasm run did not finish within 20 ms');
    await expect(withTimeout(Promise.resolve(7), 20, 'x')).resolves.toBe(7);
  });

  it('WebGPU on a real adapter, WASM on a fallback adapter or none, either when forced', async () => {
    const gpu = (info: object | null) => ({ requestAdapter: async () => (info ? { info } : null) });
    expect((await chooseProvider(gpu({ isFallbackAdapter: false, vendor: 'nvidia', architecture: 'hopper' }))).provider).toBe('webgpu');
    expect(await chooseProvider(gpu({ isFallbackAdapter: true, vendor: 'google', architecture: 'swiftshader' }))).toEqual({ provider: 'wasm', reason: 'fallback adapter (google swiftshader)' });
    expect((await chooseProvider(gpu(null))).provider).toBe('wasm');
    expect((await chooseProvider(undefined)).provider).toBe('wasm');
    expect((await chooseProvider(gpu({ isFallbackAdapter: true }), 'webgpu')).provider).toBe('webgpu');
  });
});
