"""The Redis store's scripts: each runs atomically in Redis, so a hold reads the log under the
lock it takes, and a commit checks the lock's token and the log's version (the fence: a worker
whose lock expired cannot append out of order), appends, publishes the events and lets go.

Keys of a cabin share the hash tag ``{id}``: ``meta`` (a hash: opening, summary, version,
active), ``log`` (a list of entries), ``lock`` (the holder's token, with an expiry) and the
``events`` channel. ``cabins`` (by creation time) and ``active`` (by last activity) are sorted
sets of every cabin's id.
"""

HOLD = """
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1} end
if not redis.call('SET', KEYS[3], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {0, redis.call('PTTL', KEYS[3])}
end
local watched = redis.call('PUBSUB', 'NUMSUB', KEYS[4])[2]
local version = tonumber(redis.call('HGET', KEYS[1], 'version'))
if ARGV[3] == '0' then
  return {1, watched, version, redis.call('HGET', KEYS[1], 'opening'),
          redis.call('LRANGE', KEYS[2], 0, -1)}
end
if version == tonumber(ARGV[4]) then return {1, watched, version, '', {}} end
return {1, watched, version, '', redis.call('LRANGE', KEYS[2], tonumber(ARGV[5]), -1)}
"""
"""KEYS meta, log, lock, events; ARGV token, ttl ms, has a copy (0/1), its version, the index
to read from. {-1}: no such cabin; {0, ms}: held by another; {1, watchers, version, opening or
'', entries}."""

COMMIT = """
local holder = redis.call('GET', KEYS[3])
if holder and holder ~= ARGV[1] then return -1 end
local version = tonumber(redis.call('HGET', KEYS[1], 'version'))
if version == nil then return -2 end
if version ~= tonumber(ARGV[2]) then return -3 end
if ARGV[5] ~= '' then redis.call('LSET', KEYS[2], -1, ARGV[5]) end
for i = 9, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
redis.call('HSET', KEYS[1], 'version', ARGV[3], 'summary', ARGV[6])
if ARGV[7] ~= '' then
  redis.call('HSET', KEYS[1], 'active', ARGV[7])
  redis.call('ZADD', KEYS[5], ARGV[7], ARGV[4])
end
if ARGV[8] ~= '' then redis.call('PUBLISH', KEYS[4], ARGV[8]) end
redis.call('DEL', KEYS[3])
return 1
"""
"""KEYS meta, log, lock, events, active; ARGV token, expected version, new version, id, the
last entry grown or '', summary, active time or '', events or '', entries to append…
1: stored; -1: another holds the lock; -2: no such cabin; -3: the log moved on. A lock of ours
that expired and that no one took since does not refuse the commit: the version still fences it
(anyone who held the cabin meanwhile and wrote moved the log on), so a worker whose event loop
fell behind its renewals on a busy machine loses no turn it could store in order."""

RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""

CREATE = """
if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[5]) then return -2 end
redis.call('HSET', KEYS[1], 'opening', ARGV[2], 'summary', ARGV[3], 'version', 0,
           'active', ARGV[4])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
return 1
"""
"""KEYS meta, cabins, active; ARGV id, opening, summary, created, limit. -1: exists; -2: full."""

DELETE = """
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if not redis.call('SET', KEYS[3], ARGV[2], 'NX', 'PX', 10000) then return 0 end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
redis.call('ZREM', KEYS[5], ARGV[1])
redis.call('ZREM', KEYS[6], ARGV[1])
redis.call('PUBLISH', KEYS[4], ARGV[3])
return 1
"""
"""KEYS meta, log, lock, events, cabins, active; ARGV id, token, the closing message.
1: deleted; 0: held by another (try again); -1: no such cabin."""
