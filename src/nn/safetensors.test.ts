import { describe, expect, it } from 'vitest';
import { SafetensorsError, decodeSafetensors, encodeSafetensors } from '.';

describe('safetensors', () => {
  it('round-trips every supported dtype and the metadata', () => {
    const tensors = {
      'layers.0.attn.q_proj.lora_A.weight': { dtype: 'float32' as const, shape: [2, 3], data: Float32Array.of(1, -2, 3.5, 0, 1e-8, -0) },
      b: { dtype: 'float64' as const, shape: [2], data: Float64Array.of(Math.PI, -1) },
      ids: { dtype: 'int32' as const, shape: [3], data: Int32Array.of(-1, 0, 7) },
      big: { dtype: 'int64' as const, shape: [1], data: BigInt64Array.of(1n << 40n) },
      flag: { dtype: 'bool' as const, shape: [2], data: Uint8Array.of(1, 0) },
      empty: { dtype: 'float32' as const, shape: [0, 4], data: new Float32Array(0) },
    };
    const bytes = encodeSafetensors(tensors, { format: 'pt' });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const back = decodeSafetensors(bytes);
    expect(back.metadata).toEqual({ format: 'pt' });
    for (const [name, t] of Object.entries(tensors)) {
      expect(back.tensors[name].dtype).toBe(t.dtype);
      expect(back.tensors[name].shape).toEqual(t.shape);
      expect(Array.from(back.tensors[name].data as ArrayLike<unknown>)).toEqual(Array.from(t.data as ArrayLike<unknown>));
    }
  });

  it('bad files fail with SafetensorsError naming what is wrong', () => {
    const good = encodeSafetensors({ w: { dtype: 'float32', shape: [2], data: Float32Array.of(1, 2) } });
    expect(() => decodeSafetensors(good.subarray(0, 4))).toThrow(/shorter than the 8-byte header length/);
    expect(() => decodeSafetensors(good.subarray(0, 20))).toThrow(/runs past the end/);
    const header = (h: object, data = 0) => {
      const json = new TextEncoder().encode(JSON.stringify(h));
      const out = new Uint8Array(8 + json.length + data);
      new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
      out.set(json, 8);
      return out;
    };
    expect(() => decodeSafetensors(header({ w: { dtype: 'F16', shape: [2], data_offsets: [0, 4] } }, 4))).toThrow(/dtype F16, which is not supported/);
    expect(() => decodeSafetensors(header({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 16] } }, 8))).toThrow(SafetensorsError);
    expect(() => decodeSafetensors(header({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 16] } }, 8))).toThrow(/tensor "w" has data_offsets \[0,16\]/);
    expect(() => decodeSafetensors(header({ w: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, 4))).toThrow(/bad shape/);
    const notJson = header({});
    notJson[8] = 0x7b + 1;
    expect(() => decodeSafetensors(notJson)).toThrow(/header is not JSON/);
  });
});
