// The scanner's fast header pass agrees with the strict safetensors reader on every golden model
// file, decodes JSON escapes, and refuses what it does not understand (the strict reader then
// reports why).

#include <QtTest>

#include <fstream>

#include "engine/catalog/header_digest.h"
#include "engine/core/utf8.h"
#include "engine/io/safetensors.h"
#include "tests/support/golden.h"

using namespace easel;

namespace {

std::string headerJson(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    unsigned char b[8] = {};
    in.read(reinterpret_cast<char*>(b), 8);
    uint64_t n = 0;
    for (int i = 7; i >= 0; --i)
        n = (n << 8) | b[i];
    std::string json(static_cast<size_t>(n), '\0');
    in.read(json.data(), static_cast<std::streamsize>(n));
    return json;
}

} // namespace

class TestCatalogHeaderDigest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void agreesWithStrictReaderOnGoldenFiles()
    {
        const auto files = test::goldenFiles("models", ".safetensors");
        QVERIFY(!files.empty());
        for (const auto& path : files) {
            const auto strict = io::SafetensorsFile::openHeaderOnly(path);
            catalog::HeaderDigest d;
            QVERIFY2(catalog::digestSafetensorsHeader(headerJson(path), d), path.c_str());
            QCOMPARE(d.tensorCount, strict.tensors().size());
            std::map<std::string, std::string> metadata(d.metadata.begin(), d.metadata.end());
            QCOMPARE(metadata, strict.metadata());
        }
    }

    void metadataDoesNotChangeTheTensorPartHash()
    {
        const std::string tensors = R"("w":{"dtype":"F16","shape":[2,2],"data_offsets":[0,8]})";
        catalog::HeaderDigest a, b, c;
        QVERIFY(catalog::digestSafetensorsHeader(R"({"__metadata__":{"x":"1"},)" + tensors + "}", a));
        QVERIFY(catalog::digestSafetensorsHeader(R"({"__metadata__":{"x":"22","y":"3"},)" + tensors + "}   ", b));
        QVERIFY(catalog::digestSafetensorsHeader(R"({"__metadata__":{"x":"1"},)" + tensors + R"(,"v":{"dtype":"F16","shape":[1],"data_offsets":[8,10]}})", c));
        QCOMPARE(a.tensorPartHash, b.tensorPartHash);
        QVERIFY(a.tensorPartHash != c.tensorPartHash);
        QCOMPARE(c.tensorCount, size_t(2));
        QCOMPARE(b.metadata.size(), size_t(2));
    }

    void escapesAreDecoded()
    {
        catalog::HeaderDigest d;
        QVERIFY(catalog::digestSafetensorsHeader(
            "{\"__metadata__\":{\"ss_tag_frequency\":\"{\\\"a\\\\\\\\b\\\": 1}\\n\\t\",\"name\":\"\\u732b\\u8033 \\ud83d\\ude00\"}}", d));
        QCOMPARE(d.metadata.size(), size_t(2));
        QCOMPARE(d.metadata[0].second, std::string("{\"a\\\\b\": 1}\n\t"));
        QCOMPARE(d.metadata[1].second, std::string("猫耳 \xF0\x9F\x98\x80"));
        std::string out;
        QVERIFY(!core::unescapeJsonString("\\ud83d", out)); // lone surrogate
        QVERIFY(!core::unescapeJsonString("\\x", out));
    }

    void malformedHeadersAreRefused()
    {
        catalog::HeaderDigest d;
        for (const char* bad : {"", "[]", "{", R"({"a":1})", R"({"__metadata__":{"x":1}})",
                                R"({"__metadata__":{},"__metadata__":{}})", R"({"w":{"dtype":"F16"})",
                                R"({"w":{"dtype":"F16"}} trailing)", "{\"a\x01\":{}}"})
            QVERIFY2(!catalog::digestSafetensorsHeader(bad, d), bad);
        QVERIFY(catalog::digestSafetensorsHeader("{}", d));
        QCOMPARE(d.tensorCount, size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestCatalogHeaderDigest)
#include "test_catalog_header_digest.moc"
