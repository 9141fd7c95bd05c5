/** The training-graph compiler: IR, op builder, gradients, ONNX emission. */
export * from './dtype';
export { GraphBuildError } from './errors';
export { Graph, Value, type Node, type Attrs } from './ir';
export { Ops, type Operand } from './ops';
export { PRIMITIVES, type Primitive, broadcastShapes } from './primitives';
export { GRAD, type GradRule } from './gradients';
export { grad } from './autodiff';
export { emitOnnx, OPSET, type EmitOptions, type EmittedModel } from './onnx';
export { PRIMITIVE_CASES, buildPrimitiveSuite, type PrimitiveCase } from './primitiveCases';
