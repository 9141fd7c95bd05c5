import onnxProto from 'onnx-proto';
import { ONNX_DTYPE, type Shape, type TensorData, sizeOf } from './dtype';
import { GraphBuildError } from './errors';
import type { Graph, Node, Value } from './ir';

const { onnx } = onnxProto;

/** The opset the compiler targets; ORT 1.30 runs all of it, and the WebGPU EP was measured on it. */
export const OPSET = 21;
const IR_VERSION = 10;

export interface EmitOptions {
  /** Graph outputs: the name each gets in the model, and the value it carries. */
  outputs: Readonly<Record<string, Value>>;
  /**
   * Which parameters become graph inputs (fed at each run) rather than
   * initializers (baked into the model). Parameters without data are always
   * inputs. Default: every parameter that has data is an initializer.
   */
  paramAsInput?: (param: Value) => boolean;
  /** Model name recorded in the file. Default "pasta". */
  name?: string;
}

export interface EmittedModel {
  /** The serialized ModelProto. */
  bytes: Uint8Array;
  /** Graph inputs in order, with their shapes and dtypes, so a runtime can check feeds. */
  inputs: { name: string; shape: Shape; dtype: Value['dtype'] }[];
  outputs: string[];
  /** Number of nodes emitted (after pruning what no output needs). */
  nodeCount: number;
  /** Floating-point operations of the MatMuls of one run (2·M·K·N each), for throughput figures. */
  matmulFlops: number;
}

const rawBytes = (data: TensorData) => new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

function tensorProto(name: string, dtype: Value['dtype'], shape: Shape, data: TensorData) {
  return { name, dataType: ONNX_DTYPE[dtype], dims: [...shape], rawData: rawBytes(data) };
}

const valueInfo = (name: string, v: Value) => ({
  name,
  type: { tensorType: { elemType: ONNX_DTYPE[v.dtype], shape: { dim: v.shape.map((d) => ({ dimValue: d })) } } },
});

const AT = onnx.AttributeProto.AttributeType;
const intAttr = (name: string, i: number) => ({ name, type: AT.INT, i });
const intsAttr = (name: string, ints: readonly number[]) => ({ name, type: AT.INTS, ints: [...ints] });

/**
 * Serializes the part of `graph` that `outputs` need as an ONNX ModelProto
 * (opset 21). Static attributes that ONNX takes as inputs (shapes, axes,
 * slice bounds, pads) become int64 initializers.
 */
export function emitOnnx(graph: Graph, options: EmitOptions): EmittedModel {
  const { outputs, paramAsInput = () => false, name = 'pasta' } = options;
  const outputValues = Object.values(outputs);
  for (const [key, v] of Object.entries(outputs)) {
    if (v.graph !== graph) throw new GraphBuildError(`output "${key}" belongs to another graph`);
  }

  // Prune: keep only nodes some output depends on.
  const live = new Set(outputValues.map((v) => v.id));
  const liveNodes: Node[] = [];
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const n = graph.nodes[i];
    if (!live.has(n.output.id)) continue;
    liveNodes.push(n);
    for (const v of n.inputs) live.add(v.id);
  }
  liveNodes.reverse();

  // A node output that is a graph output takes the output's name.
  const names = new Map<number, string>();
  const identities: { from: Value; to: string }[] = [];
  for (const [key, v] of Object.entries(outputs)) {
    if (v.source.kind === 'node' && !names.has(v.id)) names.set(v.id, key);
    else identities.push({ from: v, to: key });
  }
  const nameOf = (v: Value) => names.get(v.id) ?? v.name;

  const inputValues: Value[] = [];
  const initializers: ReturnType<typeof tensorProto>[] = [];
  for (const v of graph.values) {
    if (!live.has(v.id) || v.source.kind === 'node') continue;
    const src = v.source;
    if (src.kind === 'const') initializers.push(tensorProto(v.name, v.dtype, v.shape, src.data));
    else if (src.kind === 'param' && src.data && !paramAsInput(v)) initializers.push(tensorProto(v.name, v.dtype, v.shape, src.data));
    else inputValues.push(v);
  }

  const int64Input = (node: Node, what: string, values: readonly number[]) => {
    const n = `${node.name}.${what}`;
    initializers.push(tensorProto(n, 'int64', [values.length], BigInt64Array.from(values, (x) => BigInt(x))));
    return n;
  };

  const nodeProtos = liveNodes.map((n) => {
    const ins = n.inputs.map(nameOf);
    const a = n.attrs;
    const attribute: object[] = [];
    switch (n.op) {
      case 'Softmax': case 'Concat': case 'Gather': case 'GatherElements':
        attribute.push(intAttr('axis', a.axis as number));
        break;
      case 'ScatterElements':
        attribute.push(intAttr('axis', a.axis as number), { name: 'reduction', type: AT.STRING, s: new TextEncoder().encode(a.reduction as string) });
        break;
      case 'ReduceSum': case 'ReduceLogSumExp': case 'ReduceMax':
        ins.push(int64Input(n, 'axes', a.axes as number[]));
        attribute.push(intAttr('keepdims', a.keepdims as number));
        break;
      case 'Reshape': case 'Expand':
        ins.push(int64Input(n, 'shape', a.shape as number[]));
        break;
      case 'Transpose':
        attribute.push(intsAttr('perm', a.perm as number[]));
        break;
      case 'Slice':
        ins.push(int64Input(n, 'starts', a.starts as number[]), int64Input(n, 'ends', a.ends as number[]), int64Input(n, 'axes', a.axes as number[]));
        break;
      case 'Pad':
        ins.push(int64Input(n, 'pads', a.pads as number[]));
        break;
      case 'Cast':
        attribute.push(intAttr('to', ONNX_DTYPE[a.to as Value['dtype']]));
        break;
    }
    return { opType: n.op as string, name: n.name, input: ins, output: [nameOf(n.output)], attribute };
  });
  for (const { from, to } of identities) nodeProtos.push({ opType: 'Identity', name: `${to}/Identity`, input: [nameOf(from)], output: [to], attribute: [] });

  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: 'pasta-workbench',
    opsetImport: [{ domain: '', version: OPSET }],
    graph: {
      name,
      node: nodeProtos,
      initializer: initializers,
      input: inputValues.map((v) => valueInfo(v.name, v)),
      output: Object.entries(outputs).map(([key, v]) => valueInfo(key, v)),
    },
  });
  const inputs = inputValues.map((v) => ({ name: v.name, shape: v.shape, dtype: v.dtype }));
  const matmulFlops = liveNodes
    .filter((n) => n.op === 'MatMul')
    .reduce((sum, n) => sum + 2 * sizeOf(n.output.shape) * n.inputs[0].shape[n.inputs[0].rank - 1], 0);
  return { bytes: onnx.ModelProto.encode(model).finish(), inputs, outputs: Object.keys(outputs), nodeCount: nodeProtos.length, matmulFlops };
}
