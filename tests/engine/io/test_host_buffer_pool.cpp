// io::HostBufferPool: freed weight blocks come back for the same size, within a byte budget.
// The tests use the shared pool and leave it trimmed, with its default budget.

#include <QtTest>

#include "engine/io/host_buffer_pool.h"

using easel::io::HostBufferPool;

class TestHostBufferPool : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void aFreedBlockComesBackForTheSameSize()
    {
        HostBufferPool& pool = HostBufferPool::shared();
        pool.trim();
        pool.setBudget(64u << 20);
        const auto before = pool.stats();
        void* a = pool.acquire(3u << 20);
        QVERIFY(reinterpret_cast<uintptr_t>(a) % 64 == 0); // vector loads want 64-byte alignment
        pool.release(a, 3u << 20);
        QCOMPARE(pool.stats().freeBytes, std::uint64_t(3u << 20));
        void* b = pool.acquire(3u << 20);
        QCOMPARE(b, a);
        QCOMPARE(pool.stats().hits, before.hits + 1);
        void* other = pool.acquire(2u << 20); // another size: fresh memory
        QCOMPARE(pool.stats().misses, before.misses + 2);
        pool.release(b, 3u << 20);
        pool.release(other, 2u << 20);
        pool.trim();
        QCOMPARE(pool.stats().freeBytes, std::uint64_t(0));
    }

    void theBudgetBoundsWhatIsKeptOldestFirst()
    {
        HostBufferPool& pool = HostBufferPool::shared();
        pool.trim();
        pool.setBudget(5u << 20);
        void* first = pool.acquire(2u << 20);
        void* second = pool.acquire(2u << 20);
        void* third = pool.acquire(2u << 20);
        pool.release(first, 2u << 20);
        pool.release(second, 2u << 20);
        pool.release(third, 2u << 20); // 6 MiB > 5: the oldest (first) is freed
        QCOMPARE(pool.stats().freeBytes, std::uint64_t(4u << 20));
        void* again = pool.acquire(2u << 20);
        QVERIFY(again == second || again == third);
        pool.release(again, 2u << 20);
        pool.setBudget(0); // off: everything kept is freed, nothing more is kept
        QCOMPARE(pool.stats().freeBytes, std::uint64_t(0));
        void* dropped = pool.acquire(2u << 20);
        pool.release(dropped, 2u << 20);
        QCOMPARE(pool.stats().freeBytes, std::uint64_t(0));
        pool.setBudget(easel::io::defaultHostPoolBudget());
    }
};

QTEST_GUILESS_MAIN(TestHostBufferPool)
#include "test_host_buffer_pool.moc"
