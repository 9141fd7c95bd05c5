/** One interface over ONNX Runtime in the browser (WebGPU, WASM) and in Node (CPU, WASM). */
export { RuntimeError, RuntimeTimeoutError, FeedError, withTimeout } from './errors';
export { chooseProvider, type Provider, type ProviderChoice } from './provider';
export { ModelSession, toHost, type HostTensor, type ModelSessionOptions, type OrtModule } from './session';
export { LoopSession, type LoopSessionOptions } from './loop';
export { matmulRate } from './matmulRate';
export { summarizeProfile, formatProfile, workKind, type ProfileEvent, type ProfileSummary, type WorkKind } from './profile';
export { runtimeMethods, serveRuntime, type RuntimeMethods, type SessionInfo } from './worker';
