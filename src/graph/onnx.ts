import onnxProto from 'onnx-proto';
import { ONNX_DTYPE, type Shape, type TensorData, sizeOf } from './dtype';
import { GraphBuildError } from './errors';
import type { Graph, Node, Value } from './ir';
import type { Primitive } from './primitives';

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
  /** Whether any emitted value is float64 (ORT's fusions make float-only ops, so such models need care when optimised). */
  float64: boolean;
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

/** A node in ModelProto form. */
interface NodeProto {
  opType: string;
  name: string;
  input: string[];
  output: string[];
  attribute: object[];
  domain?: string;
}

/** What an emitter may add besides its nodes: initializers named after the node. */
interface EmitContext {
  nodes: NodeProto[];
  /** An int64 vector initializer (shapes, axes, slice bounds, pads), returns its name. */
  int64(node: Node, what: string, values: readonly number[]): string;
  /** A constant initializer of any dtype, returns its name. */
  constant(node: Node, what: string, dtype: Value['dtype'], shape: Shape, data: TensorData): string;
}

/** Emits one IR node as ONNX nodes: usually the op of the same name with its attributes. */
type Emitter = (node: Node, inputs: string[], output: string, ctx: EmitContext) => void;

const plain =
  (attrs: (a: Node['attrs']) => object[] = () => [], extraInputs: (n: Node, ctx: EmitContext) => string[] = () => []): Emitter =>
  (n, inputs, output, ctx) =>
    ctx.nodes.push({ opType: n.op, name: n.name, input: [...inputs, ...extraInputs(n, ctx)], output: [output], attribute: attrs(n.attrs) });

const bare = plain();
const axisAttr = plain((a) => [intAttr('axis', a.axis as number)]);
// noop_with_empty_axes = 1: with no axes ONNX would reduce everything; the IR reduces nothing, and so does ORT then.
const reduce = plain(
  (a) => [intAttr('keepdims', a.keepdims as number), intAttr('noop_with_empty_axes', 1)],
  (n, ctx) => [ctx.int64(n, 'axes', n.attrs.axes as number[])],
);
const withShape = plain(undefined, (n, ctx) => [ctx.int64(n, 'shape', n.attrs.shape as number[])]);

/**
 * Erf in float64: ORT's CPU provider has only a float kernel, so float64
 * graphs (gradient checks, parity in float64) get erf(x) = sign(x)·(2/√π)·
 * Σ_k exp((2k+1)·ln|x| + k·ln 2 − ln((2k+1)!!) − x²), the all-positive
 * series, summed over a new last axis in log space so no term overflows.
 * |x| is clamped at 6, where erf is 1 to double precision; 100 terms reach
 * 1e-16 there (summing in log space leaves about 1e-14). The IR keeps Erf as
 * one primitive with its exact gradient rule.
 */
const ERF_TERMS = 100;
const erfFloat64: Emitter = (n, [x], output, ctx) => {
  const k = Float64Array.from({ length: ERF_TERMS }, (_, i) => 2 * i + 1);
  const offsets = new Float64Array(ERF_TERMS);
  for (let i = 1; i < ERF_TERMS; i++) offsets[i] = offsets[i - 1] + Math.LN2 - Math.log(2 * i + 1);
  const c = (what: string, data: Float64Array, shape: Shape = [data.length]) => ctx.constant(n, what, 'float64', shape, data);
  const t = (what: string) => `${n.name}/${what}`;
  const node = (opType: string, input: string[], out: string, attribute: object[] = []) => ctx.nodes.push({ opType, name: `${out}_node`, input, output: [out], attribute });
  node('Abs', [x], t('abs'));
  node('Clip', [t('abs'), c('lo', Float64Array.of(1e-300), []), c('hi', Float64Array.of(6), [])], t('clipped'));
  node('Log', [t('clipped')], t('log'));
  node('Mul', [t('clipped'), t('clipped')], t('square'));
  node('Unsqueeze', [t('log'), ctx.int64(n, 'last', [-1])], t('log1'));
  node('Unsqueeze', [t('square'), ctx.int64(n, 'last2', [-1])], t('square1'));
  node('Mul', [t('log1'), c('powers', k)], t('scaled'));
  node('Add', [t('scaled'), c('offsets', offsets)], t('shifted'));
  node('Sub', [t('shifted'), t('square1')], t('exponent'));
  node('Exp', [t('exponent')], t('terms'));
  node('ReduceSum', [t('terms'), ctx.int64(n, 'axes', [-1])], t('sum'), [intAttr('keepdims', 0)]);
  node('Sign', [x], t('sign'));
  node('Mul', [t('sum'), t('sign')], t('signed'));
  node('Mul', [t('signed'), c('scale', Float64Array.of(2 / Math.sqrt(Math.PI)), [])], output);
};

/** How each primitive becomes ONNX: a table, so a new primitive cannot compile without its emission. */
const EMIT: Record<Primitive, Emitter> = {
  Add: bare, Sub: bare, Mul: bare, Div: bare, Max: bare, Min: bare,
  Equal: bare, Less: bare, Greater: bare,
  Neg: bare, Exp: bare, Log: bare, Sqrt: bare, Tanh: bare, Sigmoid: bare, Abs: bare, Relu: bare,
  Erf: (n, inputs, output, ctx) => (n.output.dtype === 'float64' ? erfFloat64 : bare)(n, inputs, output, ctx),
  Softmax: axisAttr,
  ReduceSum: reduce, ReduceLogSumExp: reduce, ReduceMax: reduce,
  MatMul: bare,
  Reshape: withShape, Expand: withShape,
  Transpose: plain((a) => [intsAttr('perm', a.perm as number[])]),
  Concat: axisAttr, Gather: axisAttr, GatherElements: axisAttr,
  Slice: plain(undefined, (n, ctx) => [ctx.int64(n, 'starts', n.attrs.starts as number[]), ctx.int64(n, 'ends', n.attrs.ends as number[]), ctx.int64(n, 'axes', n.attrs.axes as number[])]),
  Pad: plain(undefined, (n, ctx) => [ctx.int64(n, 'pads', n.attrs.pads as number[])]),
  ScatterElements: plain((a) => [intAttr('axis', a.axis as number), { name: 'reduction', type: AT.STRING, s: new TextEncoder().encode(a.reduction as string) }]),
  Where: bare,
  Cast: plain((a) => [intAttr('to', ONNX_DTYPE[a.to as Value['dtype']])]),
};

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

  const ctx: EmitContext = {
    nodes: [],
    int64(node, what, values) {
      const n = `${node.name}.${what}`;
      initializers.push(tensorProto(n, 'int64', [values.length], BigInt64Array.from(values, (x) => BigInt(x))));
      return n;
    },
    constant(node, what, dtype, shape, data) {
      const n = `${node.name}.${what}`;
      initializers.push(tensorProto(n, dtype, shape, data));
      return n;
    },
  };
  for (const n of liveNodes) EMIT[n.op](n, n.inputs.map(nameOf), nameOf(n.output), ctx);
  const nodeProtos = ctx.nodes;
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
  const float64 = graph.values.some((v) => live.has(v.id) && v.dtype === 'float64');
  const inputs = inputValues.map((v) => ({ name: v.name, shape: v.shape, dtype: v.dtype }));
  const matmulFlops = liveNodes
    .filter((n) => n.op === 'MatMul')
    .reduce((sum, n) => sum + 2 * sizeOf(n.output.shape) * n.inputs[0].shape[n.inputs[0].rank - 1], 0);
  return { bytes: onnx.ModelProto.encode(model).finish(), inputs, outputs: Object.keys(outputs), nodeCount: nodeProtos.length, matmulFlops, float64 };
}
