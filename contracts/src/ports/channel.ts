import type { CallOptions } from '../common.js'

/** A webhook request as the host received it: raw body bytes are kept for signature checks. */
export interface InboundHttpRequest {
  readonly method: string
  /** The full public URL the platform called (some signatures cover it). */
  readonly url: string
  /** Header names lowercased. */
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly rawBody: Uint8Array
}

/** A user's message normalised from any platform. */
export interface InboundMessage {
  /** The platform's id for the event, used as the turn's idempotency key (webhooks are retried). */
  readonly eventId: string
  readonly channel: string
  /** Conversation on the platform (Slack channel + thread, WhatsApp number, Telegram chat). */
  readonly conversationId: string
  readonly externalUserId: string
  readonly text: string
  readonly receivedAt: Date
}

/** What verifying and parsing a webhook produced: messages for agents, or a reply the platform expects. */
export type ChannelEvent =
  | { readonly type: 'message'; readonly message: InboundMessage }
  | { readonly type: 'challenge'; readonly responseBody: string; readonly contentType: string }
  | { readonly type: 'ignored'; readonly reason: string }

export interface OutboundMessage {
  readonly conversationId: string
  readonly text: string
  /** Reply within a thread where the platform has them. */
  readonly replyToId?: string
}

/**
 * One messaging platform. `receive` verifies the request's signature first (`UNAUTHENTICATED` when
 * it fails or is stale) and then normalises it; it never calls the platform. `send` delivers one
 * message and returns the platform's id for it; it may throw `RATE_LIMITED` with `retryAfterMs`.
 */
export interface Channel {
  readonly name: string
  receive(request: InboundHttpRequest, options?: CallOptions): Promise<readonly ChannelEvent[]>
  send(message: OutboundMessage, options?: CallOptions): Promise<{ readonly externalId: string }>
}
