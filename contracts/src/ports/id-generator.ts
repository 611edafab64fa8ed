/** New ids: lowercase UUIDv7 strings, strictly increasing within one generator. */
export interface IdGenerator {
  next(): string
}
