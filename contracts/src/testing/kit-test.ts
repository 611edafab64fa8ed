import { it } from 'vitest'
import type { KitSkip } from './kit-options.js'

/**
 * `it`, except that a test the adapter listed in `skip` is skipped with its reason in the title,
 * so a skip is never silent.
 */
export function kitTest(
  skips: readonly KitSkip[] | undefined,
  title: string,
  fn: () => Promise<void> | void,
): void {
  const skip = skips?.find((entry) => entry.test === title)
  if (skip) it.skip(`${title} (skipped: ${skip.reason})`, fn)
  else it(title, fn)
}
