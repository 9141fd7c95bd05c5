/// <reference lib="webworker" />
/** Hosts the built-in model (onnxruntime-web: WebGPU on a real adapter, else WASM) off the main thread. */
import type { MessageEndpoint } from '../../core/worker';
import { ortFor } from '../ort';
import { browserProvider, fetchFolderFile, serveModel } from './modelHost';

serveModel(self as unknown as MessageEndpoint, ortFor, { read: fetchFolderFile, autoProvider: browserProvider });
