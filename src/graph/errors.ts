/**
 * A graph that cannot be built: a shape mismatch, an unknown op, a bad
 * attribute, or a gradient asked through a non-differentiable op. Raised while
 * the graph is built, never later inside ONNX Runtime; the message names the
 * node and the shapes involved.
 */
export class GraphBuildError extends Error {
  override name = 'GraphBuildError';
  constructor(
    message: string,
    /** The scoped name of the node at fault, when there is one. */
    readonly node?: string,
  ) {
    super(node ? `${node}: ${message}` : message);
  }
}
