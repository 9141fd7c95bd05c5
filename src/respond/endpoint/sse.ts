/**
 * Server-sent events of a streamed chat completion: `data:` lines, one JSON
 * chunk each, ending with `data: [DONE]`, or (transformers serve) simply
 * with the end of the body after a chunk that carries `finish_reason` and usage.
 */

/** The `data:` payloads of an SSE byte stream, in order, up to `[DONE]` or the end of the body. */
export async function* sseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  const flushLine = function* (line: string): Generator<string | null> {
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '') {
      // A blank line ends an event.
      if (data.length) { const d = data.join('\n'); data = []; yield d === '[DONE]' ? null : d; }
      return;
    }
    if (line.startsWith(':')) return; // a comment (keep-alive)
    if (line.startsWith('data:')) data.push(line.slice(line[5] === ' ' ? 6 : 5));
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      const lines = buffer.split('\n');
      buffer = done ? '' : lines.pop()!;
      if (done) lines.push('', ''); // the body ended: the last event ends with it
      for (const line of lines) for (const d of flushLine(line)) { if (d === null) return; yield d; }
      if (done) return;
    }
  } finally {
    reader.releaseLock();
    await body.cancel().catch(() => {});
  }
}
