import type { IncomingMessage } from 'node:http'
import { CoreError, type HttpResponse } from '@agentry/contracts'

/** Reads at most `maxBytes` of the body, then closes the connection and marks it truncated. */
export function readLimited(
  incoming: IncomingMessage,
  maxBytes: number,
): Promise<Omit<HttpResponse, 'url' | 'redirects'>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let truncated = false
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
    }
    const finish = () =>
      resolve({
        status: incoming.statusCode ?? 0,
        headers,
        body: new Uint8Array(Buffer.concat(chunks)),
        truncated,
      })
    incoming.on('data', (chunk: Buffer) => {
      if (truncated) return
      const room = maxBytes - size
      if (chunk.length > room) {
        chunks.push(chunk.subarray(0, room))
        size = maxBytes
        truncated = true
        incoming.destroy()
        finish()
        return
      }
      chunks.push(chunk)
      size += chunk.length
    })
    incoming.on('end', () => {
      if (!truncated) finish()
    })
    incoming.on('error', (error) => {
      if (!truncated) reject(error)
    })
  })
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
])

/** Maps what node:http throws to CoreErrors; a CoreError passes through. */
export function toCoreError(
  error: unknown,
  url: string,
  callerSignal: AbortSignal | undefined,
  timeout: AbortSignal,
): CoreError {
  if (CoreError.isInstance(error)) return error
  if (callerSignal?.aborted)
    return new CoreError('CANCELLED', `The request to ${url} was cancelled`, { cause: error })
  if (timeout.aborted) return new CoreError('TIMEOUT', `${url} did not answer in time`, { cause: error })
  const code = (error as { code?: string }).code
  if (code && UNREACHABLE.has(code)) {
    return new CoreError('UNAVAILABLE', `${url} could not be reached (${code})`, { cause: error })
  }
  return new CoreError('UPSTREAM_ERROR', `The request to ${url} failed`, { cause: error })
}
