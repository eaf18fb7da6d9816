#include "engine/core/blas_threads.h"

#include <dlfcn.h>

namespace easel::core {

namespace {

using SetThreads = void (*)(int);
using GetThreads = int (*)();

// Looked up once: dlsym is not free, and the guard sits on the attention hot path.
SetThreads setter()
{
    static const auto fn = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    return fn;
}

GetThreads getter()
{
    static const auto fn = reinterpret_cast<GetThreads>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
    return fn;
}

} // namespace

int blasThreads() { return getter() ? getter()() : 0; }

void setBlasThreads(int threads)
{
    if (setter() && threads > 0)
        setter()(threads);
}

BlasThreadsGuard::BlasThreadsGuard(int threads) : m_saved(blasThreads())
{
    if (m_saved != threads)
        setBlasThreads(threads);
}

BlasThreadsGuard::~BlasThreadsGuard()
{
    if (m_saved > 0 && blasThreads() != m_saved)
        setBlasThreads(m_saved);
}

} // namespace easel::core
