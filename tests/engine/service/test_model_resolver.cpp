// One model resolver for every front end: names, file names and A1111/ComfyUI folder layouts; a
// server's resolver refuses paths; a missing model says where it was looked for.

#include <QtTest>
#include <QTemporaryDir>

#include <fstream>

#include "engine/api/error.h"
#include "engine/catalog/database.h"
#include "engine/catalog/scanner.h"
#include "engine/service/model_resolver.h"
#include "tests/engine/io/checkpoint_builder.h"

using namespace easel;

namespace {

std::string touch(const QString& path)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    std::ofstream(path.toStdString()) << "not really a model";
    return path.toStdString();
}

} // namespace

class TestModelResolver : public QObject {
    Q_OBJECT
    QTemporaryDir m_a1111, m_comfy;
    std::string m_checkpoint, m_lora, m_comfyCheckpoint, m_vae;

    service::ModelResolver resolver(bool allowPaths = true) const
    {
        service::ResolverOptions o;
        o.modelRoots = {m_a1111.path().toStdString(), m_comfy.path().toStdString()};
        o.allowPaths = allowPaths;
        return service::ModelResolver(o);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_checkpoint = touch(m_a1111.filePath("Stable-diffusion/sd15/dreamy.safetensors"));
        m_lora = touch(m_a1111.filePath("Lora/styles/ink.safetensors"));
        m_vae = touch(m_a1111.filePath("VAE/kl-f8.pt"));
        m_comfyCheckpoint = touch(m_comfy.filePath("checkpoints/sdxl_base.safetensors"));
    }

    void findsByStemOrFileNameInEitherLayout()
    {
        const auto r = resolver();
        QCOMPARE(r.resolve("checkpoint", "dreamy"), m_checkpoint);
        QCOMPARE(r.resolve("checkpoint", "dreamy.safetensors"), m_checkpoint);
        QCOMPARE(r.resolve("checkpoint", "DREAMY [abcdef1234]"), m_checkpoint); // A1111's "name [hash]"
        QCOMPARE(r.resolve("checkpoint", "sdxl_base"), m_comfyCheckpoint);
        QCOMPARE(r.resolve("lora", "ink"), m_lora);
        QCOMPARE(r.resolve("checkpoint", "ink"), std::string()); // a LoRA is not a checkpoint
        QCOMPARE(r.resolve("checkpoint", "nothing"), std::string());
    }

    void aCatalogEntryThatIsNotAModelIsRefusedWithItsReason()
    {
        QTemporaryDir webui;
        const std::string bomb = webui.filePath("models/Stable-diffusion/bomb.ckpt").toStdString();
        QDir().mkpath(webui.filePath("models/Stable-diffusion"));
        {
            const std::string bytes = test::memoBombCheckpoint(40, 10);
            std::ofstream(bomb, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
        }
        const std::string catalogPath = webui.filePath("catalog.sqlite").toStdString();
        {
            catalog::Database db(catalogPath);
            catalog::Scanner(db, {}).scan(catalog::a1111Roots(webui.path().toStdString()));
        }
        service::ResolverOptions o;
        o.catalogPath = catalogPath;
        o.allowPaths = false; // as a server names models
        const service::ModelResolver r(o);
        try {
            r.resolve("checkpoint", "bomb");
            QFAIL("a file without tensors was resolved as a checkpoint");
        } catch (const api::Error& e) {
            QCOMPARE(e.code(), api::ErrorCode::InvalidRequest);
            QVERIFY2(e.message().find("bomb.ckpt") != std::string::npos, e.what());
            QVERIFY2(e.message().find("no tensors") != std::string::npos, e.what());
            QVERIFY2(e.message().find(webui.path().toStdString()) == std::string::npos, e.what()); // no server path
        }
        // Replaced since the scan: the old verdict no longer applies, the loader will judge the file.
        std::ofstream(bomb, std::ios::binary | std::ios::app) << "more";
        QCOMPARE(r.resolve("checkpoint", "bomb"), bomb);
    }

    void aServerResolverRefusesPaths()
    {
        const auto r = resolver(false);
        for (const char* bad : {"../../etc/passwd", "/etc/passwd", "Stable-diffusion/sd15/dreamy", "C:evil"}) {
            try {
                r.resolve("checkpoint", bad);
                QFAIL(bad);
            } catch (const api::Error& e) {
                QCOMPARE(e.code(), api::ErrorCode::InvalidRequest);
            }
        }
        QCOMPARE(r.resolve("checkpoint", "dreamy"), m_checkpoint);
        // The CLI takes an existing path as it is.
        QCOMPARE(resolver(true).resolve("checkpoint", m_checkpoint), m_checkpoint);
    }

    void resolvesARequestsModels()
    {
        api::GenerationRequest request;
        request.model = "dreamy";
        request.vae = "kl-f8";
        const auto resolved = resolver().resolveRequest(request);
        QCOMPARE(resolved.model, m_checkpoint);
        QCOMPARE(resolved.vae, m_vae);
        request.vae = "Automatic";
        QVERIFY(resolver().resolveRequest(request).vae.empty());
    }

    void aMissingCheckpointNamesWhereItWasLookedFor()
    {
        api::GenerationRequest request;
        request.model = "lost_model";
        try {
            resolver().resolveRequest(request, "0123456789");
            QFAIL("resolved a missing model");
        } catch (const api::Error& e) {
            QCOMPARE(e.code(), api::ErrorCode::FileNotFound);
            const QString message = QString::fromStdString(e.message());
            QVERIFY2(message.contains("lost_model") && message.contains(m_a1111.path()), e.what());
        }
    }

    void theNameLookupServesLoraTags()
    {
        const api::ModelNameLookup lookup = resolver(false).nameLookup();
        QCOMPARE(lookup("lora", "ink"), m_lora);
        QCOMPARE(lookup("lora", "../secret"), std::string()); // refused quietly: the tag is just unknown
    }
};

QTEST_GUILESS_MAIN(TestModelResolver)
#include "test_model_resolver.moc"
