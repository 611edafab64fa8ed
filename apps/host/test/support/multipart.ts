/** A `multipart/form-data` body with one file and text fields, as a browser or curl -F sends it. */
export function multipartBody(
  file: { readonly filename: string; readonly content: Uint8Array | string; readonly contentType?: string },
  fields: Readonly<Record<string, string>> = {},
): { readonly payload: Buffer; readonly contentType: string } {
  const boundary = `----agentry-test-${Math.random().toString(16).slice(2)}`
  const parts: Buffer[] = []
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    )
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\n` +
        `Content-Type: ${file.contentType ?? 'application/octet-stream'}\r\n\r\n`,
    ),
    Buffer.from(file.content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  )
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` }
}
