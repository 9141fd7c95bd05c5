/** Layers built from graph primitives, with parameters named as saved files name them. */
export { NN, type NNOptions } from './module';
export { type Init, initialValues, mulberry32 } from './init';
export { linear, type LinearOptions, type LoraConfig } from './linear';
export { embedding } from './embedding';
export { rmsNorm, layerNorm } from './norm';
export { selfAttention, causalPaddingBias, MASKED_SCORE, type AttentionOptions } from './attention';
export { mlp, type MlpKind, type MlpOptions } from './mlp';
export { decoderLogits, decoderParameterCount, DEFAULT_DECODER, type DecoderConfig, type LoraTargets } from './transformer';
export { encodeSafetensors, decodeSafetensors, weightsFromSafetensors, SafetensorsError, type NamedTensor } from './safetensors';
