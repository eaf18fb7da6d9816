#include "app/fleet/fleet_protocol.h"

namespace easel::fleet {

// Keys are built inside the scripts from the fixed prefix: one Redis (or one Cluster hash slot per
// deployment via a {tag}) is assumed, as the KEDA scaler assumes one stream.

const char* const kSubmitScript = R"lua(
local id, model, payload, owner, ttl, created = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), ARGV[6]
local job = 'easel:job:' .. id
local state = redis.call('HGET', job, 'state')
if state then return {'exists', state} end
redis.call('HSET', job, 'state', 'queued', 'owner', owner, 'model', model, 'payload', payload,
           'attempts', 0, 'created', created)
redis.call('EXPIRE', job, ttl)
if owner ~= '' then
  redis.call('ZADD', 'easel:user:' .. owner, tonumber(created), id)
  redis.call('EXPIRE', 'easel:user:' .. owner, ttl)
  redis.call('SADD', 'easel:waiting:' .. owner, id)
  redis.call('EXPIRE', 'easel:waiting:' .. owner, ttl)
end
if model ~= '' then
  local w = redis.call('SPOP', 'easel:idle:' .. model)
  if w then
    redis.call('SREM', 'easel:idle', w)
    redis.call('XADD', 'easel:inbox:' .. w, '*', 'id', id)
    return {'routed', w}
  end
end
redis.call('XADD', 'easel:jobs', '*', 'id', id)
return {'queued', ''}
)lua";

const char* const kStartScript = R"lua(
local id, worker, maxAttempts = ARGV[1], ARGV[2], tonumber(ARGV[3])
local job = 'easel:job:' .. id
local state = redis.call('HGET', job, 'state')
if not state then return {'gone', 0, '', ''} end
local owner = redis.call('HGET', job, 'owner')
if owner and owner ~= '' then redis.call('SREM', 'easel:waiting:' .. owner, id) end
if state == 'done' or state == 'failed' or state == 'cancelled' then return {'finished', 0, '', ''} end
local lastError = redis.call('HGET', job, 'error') or ''
if redis.call('HGET', job, 'cancel') == '1' then return {'cancel', 0, '', lastError} end
local attempts = tonumber(redis.call('HGET', job, 'attempts') or '0')
if attempts >= maxAttempts then return {'dead', attempts, '', lastError} end
attempts = redis.call('HINCRBY', job, 'attempts', 1)
redis.call('HSET', job, 'state', 'running', 'worker', worker)
return {'run', attempts, redis.call('HGET', job, 'payload'), lastError}
)lua";

const char* const kFinishScript = R"lua(
local id, state, result, err, code, worker, ttl = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], tonumber(ARGV[7])
local job = 'easel:job:' .. id
local now = redis.call('HGET', job, 'state')
if not now or now == 'done' or now == 'failed' or now == 'cancelled' then return 0 end
local owner = redis.call('HGET', job, 'owner')
if owner and owner ~= '' then redis.call('SREM', 'easel:waiting:' .. owner, id) end
redis.call('HSET', job, 'state', state, 'result', result, 'error', err, 'code', code, 'worker', worker)
redis.call('HDEL', job, 'payload')
redis.call('EXPIRE', job, ttl)
local ev = 'easel:ev:' .. id
redis.call('XADD', ev, 'MAXLEN', '~', '1000', '*', 'type', state)
redis.call('EXPIRE', ev, ttl)
return 1
)lua";

} // namespace easel::fleet

namespace easel::fleet {

const char* const kCancelScript = R"lua(
local id, ttl = ARGV[1], tonumber(ARGV[2])
local job = 'easel:job:' .. id
local state = redis.call('HGET', job, 'state')
if not state then return 0 end
redis.call('HSET', job, 'cancel', '1')
if state ~= 'queued' then return 0 end
local owner = redis.call('HGET', job, 'owner')
if owner and owner ~= '' then redis.call('SREM', 'easel:waiting:' .. owner, id) end
redis.call('HSET', job, 'state', 'cancelled', 'error', 'cancelled before it started', 'code', '9')
redis.call('HDEL', job, 'payload')
redis.call('EXPIRE', job, ttl)
local ev = 'easel:ev:' .. id
redis.call('XADD', ev, 'MAXLEN', '~', '1000', '*', 'type', 'cancelled')
redis.call('EXPIRE', ev, ttl)
return 1
)lua";

} // namespace easel::fleet
