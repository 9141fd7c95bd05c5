/** Element types the compiler knows. Indices are int32 (int64 data falls back to the CPU on ORT's WebGPU EP). */
export type DType = 'float32' | 'float64' | 'int32' | 'int64' | 'bool';

/** A static shape: every dimension is a known non-negative integer. */
export type Shape = readonly number[];

export type TypedArrayOf<D extends DType> = D extends 'float32'
  ? Float32Array
  : D extends 'float64'
    ? Float64Array
    : D extends 'int32'
      ? Int32Array
      : D extends 'int64'
        ? BigInt64Array
        : Uint8Array;

export type TensorData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;

/** A tensor in host memory: what runtimes feed and return, safetensors files hold, and tests build. */
export interface HostTensor {
  dtype: DType;
  shape: Shape;
  data: TensorData;
}

/** TensorProto.DataType numbers of the ONNX schema. */
export const ONNX_DTYPE: Record<DType, number> = { float32: 1, int32: 6, int64: 7, bool: 9, float64: 11 };

export const isFloat = (d: DType) => d === 'float32' || d === 'float64';

export const sizeOf = (shape: Shape) => shape.reduce((a, b) => a * b, 1);

export function allocate(dtype: DType, n: number): TensorData {
  switch (dtype) {
    case 'float32': return new Float32Array(n);
    case 'float64': return new Float64Array(n);
    case 'int32': return new Int32Array(n);
    case 'int64': return new BigInt64Array(n);
    case 'bool': return new Uint8Array(n);
  }
}

/** Reads element i of any tensor data as a JS number. */
export const readNumber = (data: TensorData, i: number) => Number(data[i]);

/** Writes a JS number into element i, converting as a Cast would. */
export function writeNumber(data: TensorData, i: number, v: number) {
  if (data instanceof BigInt64Array) data[i] = BigInt(Math.trunc(v));
  else if (data instanceof Uint8Array) data[i] = v ? 1 : 0;
  else data[i] = v;
}

export const formatShape = (s: Shape) => `[${s.join(', ')}]`;
