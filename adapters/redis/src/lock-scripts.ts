import { LuaScript } from './lua-script.js'

/**
 * KEYS: lock, waiters (zset token -> arrival µs), heartbeats (hash token -> expiry ms).
 * ARGV: token, ttlMs, mode (`try` | `wait`), heartbeatMs.
 * Drops waiters at the head whose heartbeat ran out (their process died or gave up), then takes the
 * lock when it is free and nobody alive waits ahead of this token. Otherwise, in `wait` mode, joins
 * or refreshes its place in line. Returns -1 when acquired, else the lock's remaining ms (0: free
 * but another waiter is first).
 */
export const ACQUIRE = new LuaScript(`
local time = redis.call('TIME')
local now_us = tonumber(time[1]) * 1000000 + tonumber(time[2])
local now = math.floor(now_us / 1000)
local token = ARGV[1]
while true do
  local head = redis.call('ZRANGE', KEYS[2], 0, 0)
  if #head == 0 then break end
  local expires = tonumber(redis.call('HGET', KEYS[3], head[1]) or '0')
  if expires > now then break end
  redis.call('ZREM', KEYS[2], head[1])
  redis.call('HDEL', KEYS[3], head[1])
end
if redis.call('EXISTS', KEYS[1]) == 0 then
  local head = redis.call('ZRANGE', KEYS[2], 0, 0)
  if #head == 0 or head[1] == token then
    redis.call('SET', KEYS[1], token, 'PX', tonumber(ARGV[2]))
    redis.call('ZREM', KEYS[2], token)
    redis.call('HDEL', KEYS[3], token)
    return -1
  end
end
if ARGV[3] == 'wait' then
  local heartbeat = tonumber(ARGV[4])
  redis.call('ZADD', KEYS[2], 'NX', now_us, token)
  redis.call('HSET', KEYS[3], token, now + heartbeat)
  redis.call('PEXPIRE', KEYS[2], heartbeat * 2)
  redis.call('PEXPIRE', KEYS[3], heartbeat * 2)
end
return math.max(redis.call('PTTL', KEYS[1]), 0)
`)

/** KEYS: waiters, heartbeats. ARGV: token. Leaves the line (timeout, cancel). */
export const LEAVE = new LuaScript(`
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return 1
`)

/** KEYS: lock. ARGV: token. Deletes the lock only while this token holds it. */
export const RELEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`)

/** KEYS: lock. ARGV: token, ttlMs. Pushes expiry only while this token holds the lock. */
export const EXTEND = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
end
return 0
`)
