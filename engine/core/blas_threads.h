#pragma once
/// OpenBLAS thread count, set and restored around regions that call BLAS from several threads at
/// once. OpenBLAS (Debian's pthread build) keeps its own pool beside torch's OpenMP pool: a GEMM
/// issued from inside an OpenMP worker would otherwise fan out again (threads × threads on the
/// machine's cores) and every small GEMM would pay a pool hand-off. No-op when the process has no
/// OpenBLAS. Engine thread only (the setting is process-wide).

namespace easel::core {

/// Current OpenBLAS thread count, or 0 without OpenBLAS.
int blasThreads();
/// Sets it (no-op without OpenBLAS).
void setBlasThreads(int threads);

class BlasThreadsGuard {
public:
    explicit BlasThreadsGuard(int threads);
    ~BlasThreadsGuard();
    BlasThreadsGuard(const BlasThreadsGuard&) = delete;
    BlasThreadsGuard& operator=(const BlasThreadsGuard&) = delete;

private:
    int m_saved;
};

} // namespace easel::core
