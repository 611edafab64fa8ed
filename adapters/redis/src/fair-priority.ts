import type { Redis } from 'ioredis'
import { LuaScript } from './lua-script.js'

/** BullMQ's largest priority (its sorted-set score packs priority * 2^32 + a counter into a double). */
export const MAX_PRIORITY = 2_097_151
/** Rounds handed out before the state may restart from zero (at the next idle moment). */
export const RESET_ABOVE = 1_000_000
/** The fairness state of a kind nobody enqueued for this long is dropped. */
const IDLE_EXPIRY_MS = 30 * 24 * 60 * 60 * 1000

/**
 * Start-time fair queuing on BullMQ priorities (see docs/decisions/2026-11-25-job-fairness.md).
 * Each tenant's next job gets `max(round, last[tenant]) + 1`, where `round` is the round the queue
 * has reached: the lowest waiting priority minus one (kept, so it never goes back when an old retry
 * returns); when nothing waits, the highest priority handed out, used for this job only (adds of
 * concurrent enqueues may still be on their way). Jobs start lowest priority first, FIFO within a
 * priority, so tenants take turns: a tenant with 500 jobs queued holds rounds 1..500, a newcomer
 * joins the current round.
 * Within a tenant priorities only grow, so its jobs start in enqueue order.
 * Past RESET_ABOVE, the state starts again from zero the next time no job of the kind waits, is
 * delayed or runs, so numbers stay below BullMQ's maximum (reaching it degrades to FIFO, never to an
 * error). Resetting only then, and not whenever the queue looks empty, matters: enqueues running
 * at the same moment have their priorities before their jobs land in the queue.
 *
 * KEYS: fairness hash, kinds set, BullMQ prioritized zset, delayed zset, active list.
 * ARGV: tenant, kind, max priority, reset threshold, idle expiry ms. Returns the priority.
 */
const NEXT_PRIORITY = new LuaScript(`
redis.call('SADD', KEYS[2], ARGV[2])
local highest = tonumber(redis.call('HGET', KEYS[1], 'highest') or '0')
if highest > tonumber(ARGV[4]) then
  local busy = redis.call('ZCARD', KEYS[3]) + redis.call('ZCARD', KEYS[4]) + redis.call('LLEN', KEYS[5])
  if busy == 0 then
    redis.call('DEL', KEYS[1])
    highest = 0
  end
end
local virtual = tonumber(redis.call('HGET', KEYS[1], 'virtual') or '0')
local head = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
local now = virtual
if #head > 0 then
  virtual = math.max(virtual, math.floor(tonumber(head[2]) / 4294967296) - 1)
  now = virtual
else
  now = math.max(virtual, highest)
end
local field = 't:' .. ARGV[1]
local last = tonumber(redis.call('HGET', KEYS[1], field) or '0')
local priority = math.min(math.max(now, last) + 1, tonumber(ARGV[3]))
redis.call('HSET', KEYS[1], 'virtual', virtual, 'highest', math.max(highest, priority), field, priority)
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[5]))
return priority
`)

export interface FairnessKeys {
  readonly fairness: string
  readonly kinds: string
  readonly prioritized: string
  readonly delayed: string
  readonly active: string
}

/** The BullMQ priority of a tenant's next job of one kind. */
export async function nextFairPriority(
  client: Redis,
  keys: FairnessKeys,
  tenant: string,
  kind: string,
): Promise<number> {
  const priority = await NEXT_PRIORITY.run(
    client,
    [keys.fairness, keys.kinds, keys.prioritized, keys.delayed, keys.active],
    [tenant, kind, MAX_PRIORITY, RESET_ABOVE, IDLE_EXPIRY_MS],
  )
  return Number(priority)
}
