export type { KitOptions, KitSkip } from './kit-options.js'
export { kitTest } from './kit-test.js'
