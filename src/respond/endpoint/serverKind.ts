/** Telling servers apart, and the setting each one uses to allow a browser origin. */
import type { ServerKind } from './options';

/** The server's own CORS switch, named so a user can act on it. */
export function corsSetting(kind: ServerKind | undefined, origin: string): string {
  switch (kind) {
    case 'vllm': return `vLLM: start it with --allowed-origins '["${origin}"]'`;
    case 'sglang': return 'SGLang: it allows every origin by itself; check a proxy in front of it';
    case 'ollama': return `Ollama: set OLLAMA_ORIGINS=${origin} in the server's environment`;
    case 'llama.cpp': return `llama.cpp server: --cors-origins ${origin}`;
    case 'lmdeploy': return `LMDeploy: api_server --allow-origins ${origin}`;
    case 'transformers': return 'transformers serve: start it with --enable-cors';
    default: return `the server's CORS setting (vLLM --allowed-origins, Ollama OLLAMA_ORIGINS, llama.cpp --cors-origins, transformers serve --enable-cors) to allow ${origin}`;
  }
}

/** A guess from `/v1/models` (`owned_by`) and response headers; `unknown` when nothing tells. */
export function guessServerKind(ownedBy: readonly string[], headers?: Headers): ServerKind {
  const owners = ownedBy.map((o) => o.toLowerCase());
  if (owners.includes('vllm')) return 'vllm';
  if (owners.includes('sglang')) return 'sglang';
  if (owners.includes('llamacpp') || owners.includes('llama.cpp')) return 'llama.cpp';
  if (owners.includes('lmdeploy')) return 'lmdeploy';
  if (owners.includes('library') || owners.includes('ollama')) return 'ollama'; // Ollama lists its models as owned by "library"
  if (owners.some((o) => o.includes('huggingface') || o.includes('transformers'))) return 'transformers';
  const server = headers?.get('server')?.toLowerCase() ?? '';
  if (server.includes('ollama')) return 'ollama';
  if (server.includes('llama')) return 'llama.cpp';
  return 'unknown';
}
