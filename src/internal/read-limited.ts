// Reads a web stream up to a byte limit: the endpoint's request bodies and the key documents both
// stop at their cap instead of buffering whatever the other side sends.

/**
 * The stream's bytes, or null past `limit` (the stream is cancelled there, not read to its end).
 * `signal`, when given, cancels the stream on abort (the reader holds its lock: `body.cancel()` cannot).
 */
export async function readLimited(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
  signal?: AbortSignal,
): Promise<Uint8Array | null> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const cancel = () => void reader.cancel().catch(() => {});
  signal?.addEventListener("abort", cancel); // an abort event fires once; removed below either way
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        return null;
      }
      chunks.push(value);
    }
  } finally {
    signal?.removeEventListener("abort", cancel);
  }
  // Stryker disable next-line ConditionalExpression: a fast path; the copy made without it holds the same bytes
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}
