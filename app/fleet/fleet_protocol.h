#pragma once
// How easel-server's API instances and GPU workers meet in Redis: key names, the consumer group,
// and the Lua scripts that make each multi-key step atomic. Everything one deployment shares lives
// under the "easel:" prefix of one Redis database. Plain C++.
//
//   easel:jobs              stream: jobs for any free worker (entry: id)
//   easel:inbox:<worker>    stream: jobs routed to the worker that holds their checkpoint
//   easel:inboxes           set: every inbox stream (claimed by others when its worker dies)
//   easel:dead              stream: jobs that failed on --max-attempts workers (id, error)
//   easel:job:<id>          hash: state, owner, model, payload (request JSON), attempts, worker,
//                           progress, result, error, code, cancel; expires after --result-ttl-s
//   easel:ev:<id>           stream: progress / done / failed / cancelled of one job (any API
//                           instance follows it; expires with the job)
//   easel:idle              set: workers waiting for work
//   easel:idle:<model>      set: waiting workers that hold <model> (routing is one SPOP, not a scan)
//   easel:worker:<worker>   hash: model held, jobs run, switches; easel:hb:<worker> heart-beat key
//   easel:idem:<owner>:<k>  string: job id of an Idempotency-Key
//   easel:user:<owner>      sorted set: the owner's job ids by creation time
//   easel:waiting:<owner>   set: the owner's jobs not yet started (the fleet-wide --per-key-queue)
//   easel:next-id           counter of job ids (ids are unique across API instances)

#include <string>

namespace easel::fleet {

inline const std::string kJobStream = "easel:jobs";
inline const std::string kGroup = "easel-workers";
inline const std::string kDeadStream = "easel:dead";
inline const std::string kInboxes = "easel:inboxes";
inline const std::string kIdle = "easel:idle";
inline const std::string kNextId = "easel:next-id";

inline std::string jobKey(const std::string& id) { return "easel:job:" + id; }
inline std::string eventsKey(const std::string& id) { return "easel:ev:" + id; }
inline std::string inboxKey(const std::string& worker) { return "easel:inbox:" + worker; }
inline std::string idleKey(const std::string& model) { return "easel:idle:" + model; }
inline std::string workerKey(const std::string& worker) { return "easel:worker:" + worker; }
inline std::string heartbeatKey(const std::string& worker) { return "easel:hb:" + worker; }
inline std::string idempotencyKey(const std::string& owner, const std::string& key)
{
    return "easel:idem:" + owner + ":" + key;
}
inline std::string userJobsKey(const std::string& owner) { return "easel:user:" + owner; }
inline std::string waitingKey(const std::string& owner) { return "easel:waiting:" + owner; }

/// Submit: ARGV id, model, payload, owner, ttl seconds, created (unix ms). Creates the job hash
/// (unless it exists: a re-submit after Redis lost it, or a repeated call), then routes: a waiting
/// worker holding the model gets it in its inbox, else it goes on the shared stream.
/// Returns {"routed", worker} | {"queued", ""} | {"exists", state}.
extern const char* const kSubmitScript;

/// Start of an attempt: ARGV id, worker, max attempts. Returns {verdict, attempts, payload,
/// last error} where verdict is "run", "finished" (already has a result: ack and skip), "cancel"
/// (cancelled before it ran), "dead" (attempts used up) or "gone" (expired / unknown).
extern const char* const kStartScript;

/// Result, once: ARGV id, state (done|failed|cancelled), result JSON, error, code, worker, ttl.
/// Returns 1 when this call published it, 0 when the job already had a result (a re-run after a
/// claim race) or is gone.
extern const char* const kFinishScript;

} // namespace easel::fleet

namespace easel::fleet {
/// Cancel request: ARGV id, ttl. Sets the cancel flag the running worker polls; a job no worker
/// has started yet is finished as cancelled at once (with no worker up, nobody else would).
/// Returns 1 when it finished the job, 0 when a worker will.
extern const char* const kCancelScript;
} // namespace easel::fleet
