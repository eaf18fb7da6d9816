// The safetensors reader: round trip through the writer, strict validation of damaged files,
// and the golden fixtures' headers.

#include <QtTest>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <vector>

#include <unistd.h>

#include "engine/api/error.h"
#include "engine/io/safetensors.h"
#include "engine/io/safetensors_writer.h"
#include "tests/support/golden.h"

using namespace easel::io;
using easel::api::Error;
using easel::api::ErrorCode;

namespace {

std::string raw(const std::string& header, const std::string& data)
{
    std::string out(8, '\0');
    const uint64_t n = header.size();
    for (int i = 0; i < 8; ++i)
        out[i] = static_cast<char>((n >> (8 * i)) & 0xff);
    return out + header + data;
}

void writeBytes(const std::string& path, const std::string& bytes)
{
    std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

} // namespace

class TestSafetensors : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string file(const char* name) const { return (m_dir.path() + "/" + name).toStdString(); }

    void expectError(const std::string& bytes, ErrorCode code, const char* mentions)
    {
        const std::string path = file("bad.safetensors");
        writeBytes(path, bytes);
        try {
            SafetensorsFile::open(path);
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), code);
            QCOMPARE(e.path(), path);
            QVERIFY2(std::string(e.what()).find(mentions) != std::string::npos, e.what());
        }
    }

private Q_SLOTS:
    void roundTrip()
    {
        const std::vector<float> a = {1, 2, 3, 4, 5, 6};
        const std::vector<uint16_t> b = {0x3c00, 0xc000};
        const std::vector<int64_t> c = {7};
        const std::string path = file("rt.safetensors");
        writeSafetensors(path,
                         {{"z.weight", DType::F32, {2, 3}, a.data()}, {"a.half", DType::F16, {2}, b.data()},
                          {"ids", DType::I64, {1}, c.data()}, {"empty", DType::F32, {0, 4}, nullptr}},
                         {{"ss_network_dim", "4"}});
        const SafetensorsFile f = SafetensorsFile::open(path);
        QCOMPARE(f.tensors().size(), size_t(4));
        QCOMPARE(f.tensors()[0].name, std::string("z.weight")); // file order, not sorted
        QCOMPARE(f.metadata().at("ss_network_dim"), std::string("4"));
        QCOMPARE(f.dataOffset() % 8, uint64_t(0));
        const TensorInfo* z = f.find("z.weight");
        QVERIFY(z && z->dtype == DType::F32 && z->shape == std::vector<int64_t>({2, 3}));
        QCOMPARE(std::memcmp(f.data(*z), a.data(), 24), 0);
        const TensorInfo* h = f.find("a.half");
        QCOMPARE(std::memcmp(f.data(*h), b.data(), 4), 0);
        QCOMPARE(f.find("empty")->byteSize(), uint64_t(0));
        QVERIFY(f.find("missing") == nullptr);

        SafetensorsFile moved = std::move(const_cast<SafetensorsFile&>(f));
        QCOMPARE(moved.tensors().size(), size_t(4));
        const SafetensorsFile headerOnly = SafetensorsFile::openHeaderOnly(path);
        QCOMPARE(headerOnly.tensors().size(), size_t(4));
        QCOMPARE(headerOnly.fileSize(), moved.fileSize());
    }

    void allDTypes()
    {
        const std::string names[] = {"F64", "F32", "F16", "BF16", "I64", "I32", "I16", "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2"};
        const size_t sizes[] = {8, 4, 2, 2, 8, 4, 2, 1, 1, 1, 1, 1};
        for (size_t i = 0; i < 12; ++i) {
            DType d;
            QVERIFY(parseDType(names[i], d));
            QCOMPARE(std::string(dtypeName(d)), names[i]);
            QCOMPARE(dtypeSize(d), sizes[i]);
        }
        DType d;
        QVERIFY(!parseDType("F4", d));
    }

    void truncatedFile() { expectError("\x10\0\0", ErrorCode::CorruptFile, "shorter"); }
    void headerBeyondEof() { expectError(raw(std::string(100, ' '), "").substr(0, 8) + "{}", ErrorCode::CorruptFile, "beyond the end"); }
    void absurdHeader()
    {
        std::string b(8, '\xff');
        expectError(b + "{}", ErrorCode::CorruptFile, "absurdly large");
    }
    void garbageJson() { expectError(raw("{\"a\": {\"dtype\": \"F32\", \"shape\": [1, 2", "xxxx"), ErrorCode::CorruptFile, "not valid JSON"); }
    void jsonDetails()
    {
        // Escapes (incl. a surrogate pair), unknown fields and metadata with a non-string value.
        // JSON text: {"__metadata__":{"k":"caf\u00e9 \ud83d\ude00","n":3},"a\"b":{...,"x":[1,{"y":null}]}}
        const std::string header = std::string("{\"__metadata__\":{\"k\":\"caf\\u00e9 \\ud83d\\ude00\",\"n\":3},") +
                                   "\"a\\\"b\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2],\"x\":[1,{\"y\":null}]}}";
        const std::string path = file("esc.safetensors");
        writeBytes(path, raw(header, "xy"));
        const SafetensorsFile f = SafetensorsFile::open(path);
        QCOMPARE(f.metadata().at("k"), std::string("caf\xc3\xa9 \xf0\x9f\x98\x80"));
        QCOMPARE(f.metadata().at("n"), std::string("3"));
        QVERIFY(f.find("a\"b") != nullptr);
        expectError(raw("{\"a\xff\":{}}", ""), ErrorCode::CorruptFile, "UTF-8");
        expectError(raw("{} x", ""), ErrorCode::CorruptFile, "trailing");
    }
    void notAnObject() { expectError(raw("[1, 2, 3]", ""), ErrorCode::CorruptFile, "not an object"); }
    void deepNesting()
    {
        expectError(raw("{\"a\":{\"x\":" + std::string(5000, '[') + std::string(5000, ']') + "}}", ""), ErrorCode::CorruptFile,
                    "nested too deeply");
    }
    void outOfRange()
    {
        expectError(raw(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", "1234"), ErrorCode::CorruptFile,
                    "beyond the end");
    }
    void overlapping()
    {
        expectError(raw(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                        std::string(12, '\0')),
                    ErrorCode::CorruptFile, "overlap");
    }
    void wrongByteCount()
    {
        expectError(raw(R"({"a":{"dtype":"F16","shape":[3],"data_offsets":[0,8]}})", std::string(8, '\0')),
                    ErrorCode::CorruptFile, "need 6");
    }
    void reversedOffsets()
    {
        expectError(raw(R"({"a":{"dtype":"U8","shape":[0],"data_offsets":[8,0]}})", std::string(8, '\0')),
                    ErrorCode::CorruptFile, "invalid data_offsets");
    }
    void negativeShape()
    {
        expectError(raw(R"({"a":{"dtype":"U8","shape":[-1],"data_offsets":[0,0]}})", ""), ErrorCode::CorruptFile,
                    "invalid shape");
    }
    void overflowingShape()
    {
        expectError(raw(R"({"a":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,0]}})", ""),
                    ErrorCode::CorruptFile, "absurdly large shape");
    }
    void duplicateNames()
    {
        expectError(raw(R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}})",
                        "xy"),
                    ErrorCode::CorruptFile, "appears twice");
    }
    void unknownDType()
    {
        expectError(raw(R"({"a":{"dtype":"F4","shape":[1],"data_offsets":[0,1]}})", "x"), ErrorCode::UnsupportedFormat, "F4");
    }
    void missingFields()
    {
        expectError(raw(R"({"a":{"dtype":"U8","shape":[1]}})", "x"), ErrorCode::CorruptFile, "lacks");
    }
    void emptyFile() { expectError("", ErrorCode::CorruptFile, "empty"); }
    void missingFile()
    {
        try {
            SafetensorsFile::open(file("nope.safetensors"));
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::FileNotFound);
        }
    }
    void directory()
    {
        QVERIFY(QDir(m_dir.path()).mkpath("dir.safetensors"));
        try {
            SafetensorsFile::open(file("dir.safetensors"));
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::FileUnreadable);
            QVERIFY(std::string(e.what()).find("directory") != std::string::npos);
        }
    }

    void unreadablePermissions()
    {
        const std::string path = file("locked.safetensors");
        const float w = 1;
        writeSafetensors(path, {{"w", DType::F32, {1}, &w}});
        const QString qpath = QString::fromStdString(path);
        const auto restore = QFile::permissions(qpath);
        QFile::setPermissions(qpath, QFileDevice::Permissions());
        ErrorCode code = ErrorCode::Ok;
        std::string what;
        try {
            SafetensorsFile::open(path);
        } catch (const Error& e) {
            code = e.code();
            what = e.what();
        }
        QFile::setPermissions(qpath, restore);
        if (::geteuid() == 0)
            QSKIP("running as root: permissions do not stop reads");
        QCOMPARE(code, ErrorCode::FileUnreadable);
        QVERIFY(what.find("Permission denied") != std::string::npos);
    }

    void unusualFileNames()
    {
        // CJK (UTF-8) and bytes that are not UTF-8 at all: Linux file names are byte strings.
        const float w[2] = {3, 4};
        for (const std::string name : {std::string("模型_テスト_모델.safetensors"), std::string("bad\xff\xfe\x80name.safetensors")}) {
            const std::string path = (m_dir.path().toStdString() + "/") + name;
            writeSafetensors(path, {{"w", DType::F32, {2}, w}});
            const SafetensorsFile f = SafetensorsFile::open(path);
            QCOMPARE(f.path(), path);
            QCOMPARE(std::memcmp(f.data(*f.find("w")), w, 8), 0);
            // Errors name such files too.
            const std::string broken = path + ".broken.safetensors";
            writeBytes(broken, raw("{\"a\":1}", ""));
            try {
                SafetensorsFile::open(broken);
                QFAIL("no error");
            } catch (const Error& e) {
                QCOMPARE(e.path(), broken);
                QVERIFY(std::string(e.what()).find(broken) == 0);
            }
            // QTemporaryDir cannot delete names that are not valid UTF-8.
            std::remove(broken.c_str());
            std::remove(path.c_str());
        }
    }

    void goldenHeaders()
    {
        // Every fixture opens with the tensor count its manifest states; sd1_tiny's README facts hold.
        for (const std::string& path : easel::test::goldenFiles("models", ".safetensors")) {
            const SafetensorsFile f = SafetensorsFile::open(path);
            QVERIFY2(!f.tensors().empty(), path.c_str());
            const std::string relative = "models/" + path.substr(path.rfind('/') + 1);
            if (const int64_t n = easel::test::manifestTensorCount(relative); n >= 0)
                QCOMPARE(int64_t(f.tensors().size()), n);
        }
        // position_ids: int64 [1, positions] holding 0 .. positions-1 (as many as position embeddings).
        const SafetensorsFile sd1 = SafetensorsFile::open(easel::test::goldenPath("models/sd1_tiny.safetensors"));
        const TensorInfo* ids = sd1.find("cond_stage_model.transformer.text_model.embeddings.position_ids");
        const TensorInfo* positions = sd1.find("cond_stage_model.transformer.text_model.embeddings.position_embedding.weight");
        QVERIFY(ids && positions && ids->dtype == DType::I64 && ids->shape.size() == 2 && ids->shape[0] == 1);
        QCOMPARE(ids->shape[1], positions->shape.at(0));
        std::vector<int64_t> v(static_cast<size_t>(ids->shape[1]));
        std::memcpy(v.data(), sd1.data(*ids), v.size() * sizeof(int64_t));
        for (size_t i = 0; i < v.size(); ++i)
            QCOMPARE(v[i], int64_t(i));
        const SafetensorsFile lora = SafetensorsFile::open(easel::test::goldenPath("models/lora_sd1_tiny.safetensors"));
        QVERIFY(!lora.metadata().empty());
    }
};

QTEST_GUILESS_MAIN(TestSafetensors)
#include "test_safetensors.moc"
