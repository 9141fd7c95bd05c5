import { type DType, type HostTensor, type TensorData, allocate, sizeOf } from '../graph';

/** A safetensors file that cannot be read: names the tensor or header field at fault. */
export class SafetensorsError extends Error {
  override name = 'SafetensorsError';
}


const CODE: Record<DType, string> = { float32: 'F32', float64: 'F64', int32: 'I32', int64: 'I64', bool: 'BOOL' };
const FROM_CODE = Object.fromEntries(Object.entries(CODE).map(([d, c]) => [c, d as DType]));
const ELEMENT_BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4, int64: 8, bool: 1 };

/**
 * Writes the safetensors layout (8-byte little-endian header length, JSON
 * header, then the tensors back to back, little-endian), readable by the
 * Python `safetensors` package and by PEFT. Names are written in sorted order.
 */
export function encodeSafetensors(tensors: Readonly<Record<string, HostTensor>>, metadata?: Readonly<Record<string, string>>): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = metadata ? { __metadata__: metadata } : {};
  let offset = 0;
  for (const name of names) {
    const t = tensors[name];
    if (t.data.length !== sizeOf(t.shape)) throw new SafetensorsError(`tensor "${name}" has ${t.data.length} elements for shape [${t.shape.join(', ')}]`);
    header[name] = { dtype: CODE[t.dtype], shape: t.shape, data_offsets: [offset, (offset += t.data.byteLength)] };
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8; // the data then starts 8-byte aligned
  const head = new Uint8Array(padded).fill(0x20);
  head.set(json);
  json = head;
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const name of names) {
    const d = tensors[name].data;
    out.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), at);
    at += d.byteLength;
  }
  return out;
}

/** Reads a safetensors file; every tensor's data is copied into a fresh aligned array. */
export function decodeSafetensors(bytes: Uint8Array): { tensors: Record<string, HostTensor>; metadata: Record<string, string> } {
  if (bytes.length < 8) throw new SafetensorsError(`file is ${bytes.length} bytes, shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > bytes.length - 8) throw new SafetensorsError(`header length ${headerLength} runs past the end of the ${bytes.length}-byte file`);
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] } | Record<string, string>>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch (e) {
    throw new SafetensorsError(`header is not JSON: ${(e as Error).message}`);
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const tensors: Record<string, HostTensor> = {};
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = entry as Record<string, string>;
      continue;
    }
    const { dtype: code, shape, data_offsets: offsets } = entry as { dtype: string; shape: number[]; data_offsets: [number, number] };
    const dtype = FROM_CODE[code];
    if (!dtype) throw new SafetensorsError(`tensor "${name}" has dtype ${code}, which is not supported (F32, F64, I32, I64, BOOL)`);
    if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) throw new SafetensorsError(`tensor "${name}" has a bad shape ${JSON.stringify(shape)}`);
    const [begin, end] = offsets ?? [];
    const expected = sizeOf(shape) * ELEMENT_BYTES[dtype];
    if (!Number.isInteger(begin) || !Number.isInteger(end) || begin < 0 || end > dataLength || end - begin !== expected) {
      throw new SafetensorsError(`tensor "${name}" has data_offsets ${JSON.stringify(offsets)}; shape [${shape.join(', ')}] ${code} needs ${expected} bytes within ${dataLength}`);
    }
    const data = allocate(dtype, sizeOf(shape));
    new Uint8Array(data.buffer).set(bytes.subarray(dataStart + begin, dataStart + end));
    tensors[name] = { dtype, shape, data };
  }
  return { tensors, metadata };
}

/** Parameter values by name from a safetensors file, in the form `NN` takes as `weights`. */
export function weightsFromSafetensors(bytes: Uint8Array): Map<string, TensorData> {
  return new Map(Object.entries(decodeSafetensors(bytes).tensors).map(([name, t]) => [name, t.data]));
}
