/** Layers built from graph primitives, with parameters named as saved files name them. */
export { NN, type NNOptions } from './module';
export { type Init, initialValues } from './init';
export { linear, type LinearOptions, type LoraConfig, type LoraTargets } from './linear';
export { embedding } from './embedding';
export { rmsNorm, layerNorm } from './norm';
export { selfAttention, causalPaddingBias, branchBias, MASKED_SCORE, type AttentionOptions } from './attention';
export { mlp, type MlpKind, type MlpOptions } from './mlp';
export { decoderHidden, decoderLogits, lmHead, decoderParameterCount, DEFAULT_DECODER, type DecoderConfig } from './transformer';
export { encodeSafetensors, decodeSafetensors, weightsFromSafetensors, SafetensorsError } from './safetensors';
export { responseLogps, branchResponseLogps, type ResponseWindow, type SequenceLogps } from './logprobs';
