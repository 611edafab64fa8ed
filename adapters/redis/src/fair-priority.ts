import type { Redis } from 'ioredis'
import { LuaScript } from './lua-script.js'

/** BullMQ's largest priority (its sorted-set score packs priority * 2^32 + a counter into a double). */
export const MAX_PRIORITY = 2_097_151

/**
 * Start-time fair queuing on BullMQ priorities (see docs/decisions/2026-11-25-job-fairness.md).
 * Each tenant's next job gets `max(virtual, last[tenant]) + 1`, where `virtual` is the round the
 * queue has reached (the lowest waiting priority minus one; when nothing waits, the highest
 * priority handed out). Jobs start lowest priority first, FIFO within a priority, so tenants take
 * turns: a tenant with 500 jobs queued holds rounds 1..500, a newcomer joins the current round.
 * Within a tenant priorities only grow, so its jobs start in enqueue order.
 * When no job waits, is delayed or runs, the state resets so numbers stay small.
 *
 * KEYS: fairness hash, kinds set, BullMQ prioritized zset, delayed zset, active list.
 * ARGV: tenant, kind, max priority. Returns the priority.
 */
const NEXT_PRIORITY = new LuaScript(`
redis.call('SADD', KEYS[2], ARGV[2])
local busy = redis.call('ZCARD', KEYS[3]) + redis.call('ZCARD', KEYS[4]) + redis.call('LLEN', KEYS[5])
if busy == 0 then redis.call('DEL', KEYS[1]) end
local virtual = tonumber(redis.call('HGET', KEYS[1], 'virtual') or '0')
local highest = tonumber(redis.call('HGET', KEYS[1], 'highest') or '0')
local head = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
if #head > 0 then
  virtual = math.max(virtual, math.floor(tonumber(head[2]) / 4294967296) - 1)
else
  virtual = math.max(virtual, highest)
end
local field = 't:' .. ARGV[1]
local last = tonumber(redis.call('HGET', KEYS[1], field) or '0')
local priority = math.min(math.max(virtual, last) + 1, tonumber(ARGV[3]))
redis.call('HSET', KEYS[1], 'virtual', virtual, 'highest', math.max(highest, priority), field, priority)
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
    [tenant, kind, MAX_PRIORITY],
  )
  return Number(priority)
}
