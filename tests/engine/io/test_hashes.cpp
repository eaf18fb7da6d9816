// sha256 (FIPS 180-2 test vectors), the A1111/civitai short hashes, and the fast identity hash.

#include <QtTest>

#include <fstream>

#include "engine/api/error.h"
#include "engine/io/hashes.h"
#include "engine/io/safetensors.h"
#include "engine/io/safetensors_writer.h"
#include "tests/support/golden.h"

using namespace easel::io;

class TestHashes : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string write(const char* name, const std::string& bytes)
    {
        const std::string p = (m_dir.path() + "/" + name).toStdString();
        std::ofstream(p, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        return p;
    }
    static std::string pattern(size_t n)
    {
        std::string s(n, '\0');
        uint32_t x = 12345;
        for (auto& c : s) {
            x = x * 1664525u + 1013904223u;
            c = static_cast<char>(x >> 24);
        }
        return s;
    }

private Q_SLOTS:
    void sha256Vectors()
    {
        QCOMPARE(sha256Bytes("abc"), std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        QCOMPARE(sha256File(write("abc.bin", "abc")), sha256Bytes("abc"));
        // Larger than one read block, so the streaming path is exercised.
        const std::string big = pattern((8u << 20) + 12345);
        QCOMPARE(sha256File(write("big.bin", big)), sha256Bytes(big));
        QCOMPARE(autoV2(sha256File(write("big2.bin", big))), sha256Bytes(big).substr(0, 10));
    }

    void autoV1IsRangeAtOneMiB()
    {
        const std::string data = pattern(3u << 20);
        const std::string p = write("v1.bin", data);
        QCOMPARE(autoV1(p), sha256Bytes(data.substr(0x100000, 0x10000)).substr(0, 8));
        // Shorter than 1 MiB: A1111 hashes the (empty) read.
        QCOMPARE(autoV1(write("small.bin", "xyz")), sha256Bytes("").substr(0, 8));
    }

    void autoV3SkipsHeaderOrUsesMetadata()
    {
        const std::string lora = easel::test::goldenPath("models/lora_sd1_tiny.safetensors");
        const SafetensorsFile f = SafetensorsFile::openHeaderOnly(lora);
        std::ifstream in(lora, std::ios::binary);
        std::string all((std::istreambuf_iterator<char>(in)), {});
        QCOMPARE(autoV3(lora), sha256Bytes(all.substr(f.dataOffset())).substr(0, 12));

        const float w[2] = {1, 2};
        const std::string withMeta = (m_dir.path() + "/m.safetensors").toStdString();
        writeSafetensors(withMeta, {{"w", DType::F32, {2}, w}}, {{"sshs_model_hash", "0123456789abcdef0123"}});
        QCOMPARE(autoV3(withMeta), std::string("0123456789ab"));
        QCOMPARE(autoV3(write("x.pt", "abc")), sha256Bytes("abc").substr(0, 12));
    }

    void identityHashSeesContentNotName()
    {
        const std::string data = pattern(5u << 20);
        const std::string a = write("a.bin", data);
        const std::string b = write("b.bin", data);
        QCOMPARE(fastIdentityHash(a), fastIdentityHash(b));
        QCOMPARE(fastIdentityHash(a).size(), size_t(16));
        std::string changed = data;
        changed[100] ^= 1; // inside the first MiB (the header region)
        QVERIFY(fastIdentityHash(write("c.bin", changed)) != fastIdentityHash(a));
        QVERIFY(fastIdentityHash(write("d.bin", data + "x")) != fastIdentityHash(a));
    }

    void cancelAndErrors()
    {
        const std::string p = write("big3.bin", pattern(20u << 20));
        try {
            sha256File(p, [](uint64_t, uint64_t) { return false; });
            QFAIL("not cancelled");
        } catch (const easel::api::Error& e) {
            QCOMPARE(e.code(), easel::api::ErrorCode::Cancelled);
        }
        try {
            sha256File((m_dir.path() + "/missing").toStdString());
            QFAIL("no error");
        } catch (const easel::api::Error& e) {
            QCOMPARE(e.code(), easel::api::ErrorCode::FileNotFound);
        }
    }
};

QTEST_GUILESS_MAIN(TestHashes)
#include "test_hashes.moc"
