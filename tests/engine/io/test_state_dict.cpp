// Loading safetensors into torch tensors: dtypes kept or converted, zero-copy views, prefixes,
// fp8 widening, and saving back.

#include <QtTest>

#include <torch/torch.h>

#include "engine/api/error.h"
#include "engine/io/safetensors_writer.h"
#include "engine/io/state_dict.h"
#include "tests/support/golden.h"

using namespace easel::io;

class TestStateDict : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string file(const char* name) const { return (m_dir.path() + "/" + name).toStdString(); }

private Q_SLOTS:
    void saveLoadRoundTrip()
    {
        torch::manual_seed(1);
        StateDict sd;
        sd["model.a.weight"] = torch::randn({3, 5});
        sd["model.b"] = torch::randn({4}).to(torch::kHalf);
        sd["model.c"] = torch::randn({2, 2}).to(torch::kBFloat16);
        sd["ids"] = torch::arange(77, torch::kLong).unsqueeze(0);
        sd["mask"] = torch::tensor({true, false});
        sd["t"] = torch::randn({4, 6}).t(); // non-contiguous input
        const std::string path = file("rt.safetensors");
        saveSafetensors(path, sd, {{"k", "v"}});
        const StateDict back = loadStateDict(path);
        QCOMPARE(back.size(), sd.size());
        for (const auto& [k, v] : sd) {
            QCOMPARE(back.at(k).scalar_type(), v.scalar_type());
            QVERIFY2(torch::equal(back.at(k), v), k.c_str());
        }
        QCOMPARE(SafetensorsFile::open(path).metadata().at("k"), std::string("v"));
    }

    void dtypeAndPrefix()
    {
        StateDict sd;
        sd["model.w"] = torch::randn({8}).to(torch::kHalf);
        sd["model.ids"] = torch::arange(4, torch::kLong);
        sd["other.w"] = torch::ones({2});
        const std::string path = file("p.safetensors");
        saveSafetensors(path, sd);
        LoadOptions o;
        o.prefix = "model.";
        o.dtype = torch::kFloat;
        const StateDict back = loadStateDict(path, o);
        QCOMPARE(back.size(), size_t(2));
        QCOMPARE(back.at("w").scalar_type(), torch::kFloat);
        QCOMPARE(back.at("ids").scalar_type(), torch::kLong); // integers keep their type
        QVERIFY(torch::equal(back.at("w"), sd["model.w"].to(torch::kFloat)));
    }

    void zeroCopyOutlivesFileObject()
    {
        StateDict sd;
        sd["w"] = torch::arange(1024, torch::kFloat);
        const std::string path = file("zc.safetensors");
        saveSafetensors(path, sd);
        torch::Tensor view;
        {
            const SafetensorsFile f = SafetensorsFile::open(path);
            view = loadTensor(f, *f.find("w"));
            QCOMPARE(view.data_ptr(), static_cast<void*>(const_cast<std::byte*>(f.data(*f.find("w")))));
        }
        view.add_(1); // copy-on-write: the file is untouched
        QCOMPARE(view[5].item<float>(), 6.0f);
        QCOMPARE(loadStateDict(path).at("w")[5].item<float>(), 5.0f);
        LoadOptions copy;
        copy.zeroCopy = false;
        const SafetensorsFile f = SafetensorsFile::open(path);
        QVERIFY(loadTensor(f, *f.find("w"), copy).data_ptr() != static_cast<const void*>(f.data(*f.find("w"))));
    }

    void fp8Widened()
    {
        // E4M3: 0x38 = 1.0, 0x40 = 2.0, 0xC8 = -4.0, 0x01 = 2^-9 (smallest subnormal), 0x7E = 448 (max).
        // E5M2: top byte of fp16: 0x3C = 1.0, 0xC0 = -2.0, 0x01 = 2^-16.
        const uint8_t e4[] = {0x38, 0x40, 0xC8, 0x01, 0x7E};
        const uint8_t e5[] = {0x3C, 0xC0, 0x01};
        const std::string path = file("fp8.safetensors");
        writeSafetensors(path, {{"a", DType::F8_E4M3, {5}, e4}, {"b", DType::F8_E5M2, {3}, e5}});
        const StateDict sd = loadStateDict(path);
        QCOMPARE(sd.at("a").scalar_type(), torch::kHalf);
        const torch::Tensor a = sd.at("a").to(torch::kFloat);
        QVERIFY(torch::equal(a, torch::tensor({1.0f, 2.0f, -4.0f, std::ldexp(1.0f, -9), 448.0f})));
        QVERIFY(torch::equal(sd.at("b").to(torch::kFloat), torch::tensor({1.0f, -2.0f, std::ldexp(1.0f, -16)})));
        LoadOptions o;
        o.dtype = torch::kFloat;
        QCOMPARE(loadStateDict(path, o).at("a").scalar_type(), torch::kFloat);
    }

    void misalignedDataIsCopied()
    {
        // Header of odd length: data section starts unaligned; values must still be right.
        const std::string header = R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
        QVERIFY(header.size() % 4 != 0);
        std::string bytes(8, '\0');
        bytes[0] = static_cast<char>(header.size());
        const float v[2] = {1.5f, -2.5f};
        bytes += header + std::string(reinterpret_cast<const char*>(v), 8);
        const std::string path = file("odd.safetensors");
        QFile qf(QString::fromStdString(path));
        QVERIFY(qf.open(QIODevice::WriteOnly));
        qf.write(bytes.data(), static_cast<qint64>(bytes.size()));
        qf.close();
        QVERIFY(torch::equal(loadStateDict(path).at("w"), torch::tensor({1.5f, -2.5f})));
    }

    void goldenSd1()
    {
        LoadOptions o;
        o.prefix = "first_stage_model.";
        const StateDict vae = loadStateDict(easel::test::goldenPath("models/sd1_tiny.safetensors"), o);
        QVERIFY(vae.count("decoder.mid.attn_1.q.weight"));
        QCOMPARE(vae.at("decoder.mid.attn_1.q.weight").dim(), int64_t(4));
        const StateDict all = loadStateDict(easel::test::goldenPath("models/sd1_tiny.safetensors"));
        const int64_t stated = easel::test::manifestTensorCount("models/sd1_tiny.safetensors");
        QVERIFY(stated > 0);
        QCOMPARE(int64_t(all.size()), stated); // every tensor, position_ids (int64) included
    }
};

QTEST_GUILESS_MAIN(TestStateDict)
#include "test_state_dict.moc"
