import type { CallOptions } from '../common.js'

export interface AudioClip {
  /** `audio/wav`, `audio/mpeg`, `audio/ogg`, ... */
  readonly mediaType: string
  readonly data: Uint8Array
}

/** Audio to text. Usage is the audio's duration, metered as `audio.seconds`. */
export interface SpeechToText {
  readonly provider: string
  transcribe(
    audio: AudioClip,
    options?: CallOptions & { readonly language?: string },
  ): Promise<{ readonly text: string; readonly durationMs: number }>
}

/** Text to audio. Usage is the produced audio's duration. */
export interface TextToSpeech {
  readonly provider: string
  synthesize(
    text: string,
    options?: CallOptions & { readonly voice?: string },
  ): Promise<{ readonly audio: AudioClip; readonly durationMs: number }>
}
