/**
 * A provider's answer read as text up to `maxBytes`: the read stops (and the body is cancelled) as soon
 * as it is larger, so a misbehaving endpoint cannot fill the memory. Returns null when it is too large.
 */
export async function readLimitedText(response: Response, maxBytes: number): Promise<string | null> {
  const reader = response.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
