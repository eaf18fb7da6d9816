// .ckpt/.pt loading through the restricted unpickler: tensors and wrappers load; code-running
// pickles, bombs and damaged archives are refused with typed errors, and nothing is executed.

#include <QtTest>

#include <filesystem>
#include <fstream>

#include <torch/torch.h>

#include "engine/api/error.h"
#include "engine/io/checkpoint_file.h"
#include "engine/io/model_check.h"
#include "engine/io/model_detect.h"
#include "engine/io/model_inventory.h"
#include "engine/io/state_dict.h"
#include "tests/engine/io/checkpoint_builder.h"

using namespace easel::io;
using easel::api::Error;
using easel::api::ErrorCode;
using easel::test::PickleBuilder;

class TestCheckpoint : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string write(const std::string& name, const std::string& bytes)
    {
        const std::string p = (m_dir.path() + "/").toStdString() + name;
        std::ofstream(p, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        return p;
    }
    static std::string floats(const std::vector<float>& v) { return std::string(reinterpret_cast<const char*>(v.data()), v.size() * 4); }
    std::string ckpt(const std::string& name, const std::string& pickle, const std::vector<std::pair<std::string, std::string>>& storages = {})
    {
        std::vector<std::pair<std::string, std::string>> entries{{"archive/data.pkl", pickle}};
        for (const auto& [k, v] : storages)
            entries.push_back({"archive/data/" + k, v});
        entries.push_back({"archive/version", "3\n"});
        return write(name, easel::test::makeZip(entries));
    }
    void expectError(const std::string& path, ErrorCode code, const std::string& mentions)
    {
        try {
            loadStateDict(path);
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), code);
            QCOMPARE(e.path(), path);
            QVERIFY2(std::string(e.what()).find(mentions) != std::string::npos, e.what());
        }
    }
    std::string marker() const { return (m_dir.path() + "/PWNED").toStdString(); }

private Q_SLOTS:
    void lightningStateDict()
    {
        // {"epoch": 3, "state_dict": {"model.w": T[2,3], "model.t": T[3,2] (transposed view of the same storage)}}
        PickleBuilder p;
        p.proto().op('}').mark().str("epoch").integer(3).str("state_dict").op('}').mark();
        p.str("model.w").tensor("FloatStorage", "0", 6, 0, {2, 3}, {3, 1});
        p.str("model.t").tensor("FloatStorage", "0", 6, 0, {3, 2}, {1, 3});
        p.op('u').op('u').op('.');
        const std::vector<float> data = {1, 2, 3, 4, 5, 6};
        const std::string path = ckpt("model.ckpt", p.bytes(), {{"0", floats(data)}});
        const StateDict sd = loadStateDict(path);
        QCOMPARE(sd.size(), size_t(2));
        const torch::Tensor w = torch::tensor({1.f, 2.f, 3.f, 4.f, 5.f, 6.f}).reshape({2, 3});
        QVERIFY(torch::equal(sd.at("model.w"), w));
        QVERIFY(torch::equal(sd.at("model.t"), w.t()));
        LoadOptions half;
        half.dtype = torch::kHalf;
        half.prefix = "model.";
        QCOMPARE(loadStateDict(path, half).at("w").scalar_type(), torch::kHalf);
    }

    void embeddingPt()
    {
        // A1111 embedding: {"string_to_param": {"*": T[2,768]}, "name": "x"}
        PickleBuilder p;
        p.proto().op('}').mark().str("name").str("x").str("string_to_param").op('}').mark().str("*");
        p.tensor("FloatStorage", "0", 2 * 768, 0, {2, 768}, {768, 1}).op('u').op('u').op('.');
        const std::string path = ckpt("emb.pt", p.bytes(), {{"0", std::string(2 * 768 * 4, '\0')}});
        const DetectedModel m = detectModelFile(path);
        QCOMPARE(m.kind, ModelKind::Embedding);
        QCOMPARE(m.family, ModelFamily::SD1);
        QCOMPARE(m.embeddingVectors, 2);
    }

    void codeExecutionRefused_data()
    {
        QTest::addColumn<QString>("module");
        QTest::addColumn<QString>("name");
        QTest::newRow("os.system") << "os" << "system";
        QTest::newRow("posix.system") << "posix" << "system";
        QTest::newRow("builtins.eval") << "builtins" << "eval";
        QTest::newRow("builtins.exec") << "builtins" << "exec";
        QTest::newRow("subprocess.Popen") << "subprocess" << "Popen";
        QTest::newRow("torch.load") << "torch" << "load";
    }
    void codeExecutionRefused()
    {
        QFETCH(QString, module);
        QFETCH(QString, name);
        const std::string command = "touch " + marker();
        PickleBuilder p;
        p.proto().global(module.toStdString(), name.toStdString()).mark().str(command).op('t').op('R').op('.');
        const std::string path = ckpt("evil.ckpt", p.bytes());
        expectError(path, ErrorCode::UnsafeFile, module.toStdString() + "." + name.toStdString());
        QVERIFY(!std::filesystem::exists(marker()));
        // STACK_GLOBAL spelling, and inside a valid-looking state dict.
        PickleBuilder q;
        q.proto().op('}').mark().str("a").str(module.toStdString()).str(name.toStdString()).op('\x93').str(command).op('\x85').op('R').op('u').op('.');
        expectError(ckpt("evil2.ckpt", q.bytes()), ErrorCode::UnsafeFile, name.toStdString());
        QVERIFY(!std::filesystem::exists(marker()));
    }

    void instOpcodeRefused()
    {
        PickleBuilder p;
        p.proto().mark().str("touch " + marker()).raw("ios\nsystem\n").op('.');
        expectError(ckpt("inst.ckpt", p.bytes()), ErrorCode::UnsafeFile, "INST");
        QVERIFY(!std::filesystem::exists(marker()));
    }

    void pickleBombs()
    {
        // Deep nesting: 100k nested lists.
        PickleBuilder deep;
        deep.proto();
        for (int i = 0; i < 100000; ++i)
            deep.op(']');
        for (int i = 0; i < 99999; ++i)
            deep.op('a');
        deep.op('.');
        expectError(ckpt("deep.ckpt", deep.bytes()), ErrorCode::CorruptFile, "nesting");
        // Huge memo index.
        PickleBuilder memo;
        memo.proto().op(']').op('r').u32(0xfffffff0u).op('.');
        expectError(ckpt("memo.ckpt", memo.bytes()), ErrorCode::CorruptFile, "memo");
        // Stack growth without allocation: DUP forever.
        PickleBuilder dup;
        dup.proto().op(']');
        dup.raw(std::string(5u << 20, '2'));
        dup.op('.');
        expectError(ckpt("dup.ckpt", dup.bytes()), ErrorCode::CorruptFile, "");
        // Truncated pickle.
        expectError(ckpt("trunc.ckpt", PickleBuilder().proto().op('}').mark().str("a").bytes()), ErrorCode::CorruptFile, "end of data");
    }

    void memoBombIsReadSafelyAndIsNotAModel()
    {
        // 40 levels of 10 shared references: 10^40 leaves if expanded, 40 lists as read here.
        const std::string path = write("bomb.ckpt", easel::test::memoBombCheckpoint(40, 10));
        const CheckpointFile file = CheckpointFile::open(path);
        QCOMPARE(file.tensors().size(), size_t(0));
        const DetectedModel m = detectModelFile(path);
        QCOMPARE(m.kind, ModelKind::Unknown);
        QCOMPARE(inventoryOf(path).tensorCount, uint64_t(0));
        QVERIFY(notAModelReason(m, 0).find("no tensors") != std::string::npos);
        try {
            requireModel(m, path);
            QFAIL("a file without tensors passed as a model");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::CorruptFile);
            QCOMPARE(e.path(), path);
        }
    }

    void memoBombAroundOneTensorYieldsItOnce()
    {
        // The shared lists are walked once, so the one tensor at the bottom is found once (under
        // its first path), and it matches no model layout.
        const std::string path = write("bomb1.ckpt", easel::test::memoBombCheckpoint(30, 8, true));
        const CheckpointFile file = CheckpointFile::open(path);
        QCOMPARE(file.tensors().size(), size_t(1));
        QCOMPARE(file.tensors()[0].shape, std::vector<int64_t>{4});
        const DetectedModel m = detectModelFile(path);
        QCOMPARE(m.kind, ModelKind::Unknown);
        try {
            requireModel(m, path);
            QFAIL("an unknown tensor passed as a model");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::UnsupportedFormat);
            QVERIFY2(e.message().find("matching no checkpoint") != std::string::npos, e.what());
        }
    }

    void recognisedFilesPassRequireModel()
    {
        PickleBuilder p;
        p.proto().op('}').mark().str("string_to_param").op('}').mark().str("*");
        p.tensor("FloatStorage", "0", 768, 0, {1, 768}, {768, 1}).op('u').op('u').op('.');
        const std::string path = ckpt("emb1.pt", p.bytes(), {{"0", std::string(768 * 4, '\0')}});
        const DetectedModel m = detectModelFile(path);
        QCOMPARE(m.kind, ModelKind::Embedding);
        QCOMPARE(notAModelReason(m, 1), std::string());
        requireModel(m, path); // no throw
    }

    void damagedArchives()
    {
        PickleBuilder p;
        p.proto().op('}').mark().str("w").tensor("FloatStorage", "0", 6, 0, {2, 3}, {3, 1}).op('u').op('.');
        // Storage too small for the view.
        expectError(ckpt("short.ckpt", p.bytes(), {{"0", std::string(8, '\0')}}), ErrorCode::CorruptFile, "beyond its storage");
        // Missing storage entry.
        expectError(ckpt("missing.ckpt", p.bytes()), ErrorCode::CorruptFile, "missing storage");
        // Truncated zip.
        const std::string whole = easel::test::makeZip({{"archive/data.pkl", p.bytes()}, {"archive/data/0", std::string(24, '\0')}});
        expectError(write("cut.ckpt", whole.substr(0, whole.size() / 2)), ErrorCode::CorruptFile, "zip");
        // Legacy (pre-1.6) torch.save: a bare pickle.
        expectError(write("legacy.pt", p.bytes()), ErrorCode::UnsupportedFormat, "legacy");
        expectError(write("empty.ckpt", ""), ErrorCode::CorruptFile, "empty");
    }
};

QTEST_GUILESS_MAIN(TestCheckpoint)
#include "test_checkpoint.moc"
