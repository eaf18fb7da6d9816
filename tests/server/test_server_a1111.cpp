// easel-server speaks AUTOMATIC1111's /sdapi/v1 API: the payloads A1111's own API tests send
// (test/test_txt2img.py, test_img2img.py, test_utils.py), answered with A1111's JSON shapes, over
// real HTTP against the real binary with the tiny SD1 checkpoint.

#include <QtTest>

#include "tests/server/server_harness.h"

using namespace easel;
using namespace easel::test;
using nlohmann::json;

class TestServerA1111 : public QObject {
    Q_OBJECT

    std::unique_ptr<ServerProcess> m_server;
    std::unique_ptr<httplib::Client> m_client;

    json txt2img(const json& payload, int expectStatus = 200)
    {
        const JsonAnswer a = postJson(*m_client, "/sdapi/v1/txt2img", payload);
        if (a.status != expectStatus)
            qWarning("txt2img answered %d: %s", a.status, a.raw.substr(0, 600).c_str());
        return a.status == expectStatus ? a.body : json(nullptr);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<ServerProcess>();
        QVERIFY2(m_server->ok(), m_server->output().c_str());
        m_client = m_server->client();
    }

    void listingsAnswerWithA1111Shapes()
    {
        const JsonAnswer models = getJson(*m_client, "/sdapi/v1/sd-models");
        QCOMPARE(models.status, 200);
        QCOMPARE(models.body.size(), size_t(1));
        QCOMPARE(models.body[0]["model_name"].get<std::string>(), std::string("sd1_tiny"));
        QVERIFY(models.body[0]["title"].get<std::string>().rfind("sd1_tiny.safetensors", 0) == 0);
        QVERIFY(models.body[0]["filename"].get<std::string>().find("/work") == std::string::npos); // no server paths

        const JsonAnswer samplers = getJson(*m_client, "/sdapi/v1/samplers");
        QCOMPARE(samplers.status, 200);
        bool eulerA = false;
        for (const auto& s : samplers.body)
            eulerA = eulerA || s["name"] == "Euler a";
        QVERIFY(eulerA);
        QVERIFY(samplers.body[0].contains("aliases") && samplers.body[0].contains("options"));

        const JsonAnswer loras = getJson(*m_client, "/sdapi/v1/loras");
        QCOMPARE(loras.body.size(), size_t(1));
        QCOMPARE(loras.body[0]["name"].get<std::string>(), std::string("lora_sd1_tiny"));
        QCOMPARE(getJson(*m_client, "/sdapi/v1/sd-vae").body[0]["model_name"].get<std::string>(),
                 std::string("vae_tiny_alt.safetensors"));
        QVERIFY(getJson(*m_client, "/sdapi/v1/embeddings").body["loaded"].contains("embedding_sd1_tiny"));
        QVERIFY(getJson(*m_client, "/sdapi/v1/schedulers").body[0].contains("label"));
        const JsonAnswer memory = getJson(*m_client, "/sdapi/v1/memory");
        QVERIFY(memory.body["ram"]["total"].get<long long>() > 0);
        QVERIFY(memory.body["easel_host_pool"]["budget"].get<long long>() > 0); // reused weight memory
        QCOMPARE(getJson(*m_client, "/controlnet/version").body["version"].get<int>(), 2);
        QCOMPARE(getJson(*m_client, "/controlnet/model_list").body["model_list"].size(), size_t(1));
        QVERIFY(getJson(*m_client, "/controlnet/module_list").body["module_list"].size() > 3);

        // test_utils.py: every one of these answers 200 (empty lists for what Easel has none of).
        for (const char* path : {"/sdapi/v1/cmd-flags", "/sdapi/v1/upscalers", "/sdapi/v1/hypernetworks",
                                 "/sdapi/v1/face-restorers", "/sdapi/v1/realesrgan-models", "/sdapi/v1/prompt-styles",
                                 "/sdapi/v1/latent-upscale-modes", "/sdapi/v1/extensions", "/sdapi/v1/scripts",
                                 "/sdapi/v1/script-info", "/sdapi/v1/sd-modules"}) {
            const JsonAnswer a = getJson(*m_client, path);
            QVERIFY2(a.status == 200 && !a.body.is_null(), path);
        }
        QCOMPARE(getJson(*m_client, "/sdapi/v1/hypernetworks").body, json::array());
    }

    void optionsWriteAndReadBack()
    {
        const bool before = getJson(*m_client, "/sdapi/v1/options").body["send_seed"].get<bool>();
        QCOMPARE(postJson(*m_client, "/sdapi/v1/options", {{"send_seed", !before}}).status, 200);
        QCOMPARE(getJson(*m_client, "/sdapi/v1/options").body["send_seed"].get<bool>(), !before);
        QCOMPARE(postJson(*m_client, "/sdapi/v1/options", {{"send_seed", before}}).status, 200);
        // A known option of the wrong type, and a checkpoint the server does not have: 422.
        QCOMPARE(postJson(*m_client, "/sdapi/v1/options", {{"send_seed", "yes"}}).status, 422);
        const JsonAnswer unknown = postJson(*m_client, "/sdapi/v1/options", {{"sd_model_checkpoint", "nope.safetensors"}});
        QCOMPARE(unknown.status, 422);
        QVERIFY(unknown.raw.find("sd-models") != std::string::npos);
        // Paths are not options a client can set.
        QCOMPARE(postJson(*m_client, "/sdapi/v1/options", {{"outdir_samples", "/etc"}}).status, 200);
        QVERIFY(!getJson(*m_client, "/sdapi/v1/options").body.contains("outdir_samples"));
    }

    void txt2imgAnswersImagesParametersAndInfo()
    {
        const json answer = txt2img(tinyTxt2img(3, 1234));
        QVERIFY(!answer.is_null());
        QCOMPARE(answer["images"].size(), size_t(1));
        int w = 0, h = 0;
        std::string parameters;
        QVERIFY(decodePngAnswer(answer["images"][0], w, h, parameters));
        QCOMPARE(w, 64);
        QCOMPARE(h, 64);
        QVERIFY(parameters.find("Seed: 1234") != std::string::npos);
        QVERIFY(parameters.find("Sampler: Euler a") != std::string::npos);
        QCOMPARE(answer["parameters"]["prompt"].get<std::string>(), std::string("example prompt"));
        const json info = json::parse(answer["info"].get<std::string>());
        QCOMPARE(info["seed"].get<long long>(), 1234LL);
        QCOMPARE(info["all_seeds"], json::array({1234}));
        QCOMPARE(info["infotexts"][0].get<std::string>(), parameters);
        QCOMPARE(info["sd_model_name"].get<std::string>(), std::string("sd1_tiny"));
        QCOMPARE(info["steps"].get<int>(), 3);
        QCOMPARE(info["width"].get<int>(), 64);
    }

    void txt2imgVariationsOfA1111Tests_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value"); // JSON
        QTest::addColumn<int>("images");
        QTest::newRow("negative prompt") << "negative_prompt" << "\"example negative prompt\"" << 1;
        QTest::newRow("complex prompt") << "prompt" << "\"((emphasis)), (emphasis1:1.1), [to:1], [from::2], [from:to:0.3], [alt|alt1]\"" << 1;
        QTest::newRow("not square") << "height" << "128" << 1;
        QTest::newRow("hires fix") << "enable_hr" << "true" << 1;
        QTest::newRow("tiling") << "tiling" << "true" << 1;
        QTest::newRow("restore faces") << "restore_faces" << "true" << 1;
        QTest::newRow("PLMS") << "sampler_index" << "\"PLMS\"" << 1;
        QTest::newRow("DDIM") << "sampler_index" << "\"DDIM\"" << 1;
        QTest::newRow("UniPC") << "sampler_index" << "\"UniPC\"" << 1;
        QTest::newRow("sampler_name wins") << "sampler_name" << "\"DPM++ 2M\"" << 1;
        QTest::newRow("scheduler") << "scheduler" << "\"karras\"" << 1;
        QTest::newRow("n_iter 2") << "n_iter" << "2" << 2;
        QTest::newRow("batch_size 2") << "batch_size" << "2" << 2;
    }

    void txt2imgVariationsOfA1111Tests()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(int, images);
        json payload = tinyTxt2img(3, 5);
        payload[field.toStdString()] = json::parse(value.toStdString());
        const json answer = txt2img(payload);
        QVERIFY(!answer.is_null());
        QCOMPARE(int(answer["images"].size()), images);
        const json info = json::parse(answer["info"].get<std::string>());
        if (field == "restore_faces")
            QVERIFY2(!info["notes"].empty(), "what was not done is said in info");
        if (field == "tiling")
            QVERIFY(info["infotexts"][0].get<std::string>().find("Tiling: True") != std::string::npos);
        if (field == "enable_hr") {
            int w = 0, h = 0;
            std::string p;
            QVERIFY(decodePngAnswer(answer["images"][0], w, h, p));
            QCOMPARE(w, 128); // hr_scale defaults to 2
            QVERIFY(p.find("Hires upscale: 2") != std::string::npos);
        }
        if (field == "sampler_name")
            QCOMPARE(info["sampler_name"].get<std::string>(), std::string("DPM++ 2M"));
        if (field == "n_iter" || field == "batch_size")
            QCOMPARE(info["all_seeds"], json::array({5, 6}));
    }

    void sendImagesFalseAnswersNoImages()
    {
        json payload = tinyTxt2img(2);
        payload["send_images"] = false;
        QCOMPARE(txt2img(payload)["images"].size(), size_t(0));
    }

    void overrideSettingsPickCheckpointAndClipSkip()
    {
        json payload = tinyTxt2img(2, 9);
        payload["override_settings"] = {{"sd_model_checkpoint", "sd1_tiny"}, {"CLIP_stop_at_last_layers", 2}};
        const json answer = txt2img(payload);
        QVERIFY(!answer.is_null());
        QVERIFY(json::parse(answer["info"].get<std::string>())["infotexts"][0].get<std::string>().find("Clip skip: 2")
                != std::string::npos);
    }

    void img2imgAndInpaintOfA1111Tests_data()
    {
        QTest::addColumn<QString>("variant");
        QTest::newRow("img2img") << "plain";
        QTest::newRow("inpaint masked") << "mask";
        QTest::newRow("inpaint inverted") << "invert";
        QTest::newRow("bare base64, not a data URL") << "bare";
        QTest::newRow("sd upscale script") << "sd upscale";
    }

    void img2imgAndInpaintOfA1111Tests()
    {
        QFETCH(QString, variant);
        json payload = tinyTxt2img(3, 3);
        std::string init = pngDataUrl(96, 80);
        if (variant == "bare")
            init = init.substr(init.find(',') + 1);
        payload["init_images"] = {init};
        payload["denoising_strength"] = 0.75;
        payload["resize_mode"] = 0;
        payload["mask_blur"] = 4;
        payload["inpainting_fill"] = 0;
        payload["inpaint_full_res"] = false;
        payload["include_init_images"] = false;
        payload["mask"] = nullptr;
        if (variant == "mask" || variant == "invert")
            payload["mask"] = pngDataUrl(96, 80, true);
        if (variant == "invert")
            payload["inpainting_mask_invert"] = 1;
        if (variant == "sd upscale") {
            payload["script_name"] = "sd upscale";
            payload["script_args"] = {"", 8, "Lanczos", 2.0};
        }
        const JsonAnswer a = postJson(*m_client, "/sdapi/v1/img2img", payload);
        QVERIFY2(a.status == 200, a.raw.substr(0, 400).c_str());
        QCOMPARE(a.body["images"].size(), size_t(1));
        int w = 0, h = 0;
        std::string parameters;
        QVERIFY(decodePngAnswer(a.body["images"][0], w, h, parameters));
        QCOMPARE(w, variant == "sd upscale" ? 192 : 64);
        QVERIFY(parameters.find("Denoising strength: 0.75") != std::string::npos);
        if (variant == "mask" || variant == "invert")
            QVERIFY(parameters.find("Mask blur: 4") != std::string::npos);
        QVERIFY(a.body["parameters"]["init_images"].is_null()); // not echoed unless include_init_images
    }

    void controlNetUnitsOfTheExtension()
    {
        json payload = tinyTxt2img(2, 4);
        payload["alwayson_scripts"] = {
            {"controlnet", {{"args", {{{"enabled", true}, {"image", pngDataUrl(64, 64)}, {"module", "none"},
                                       {"model", "controlnet_sd1_tiny"}, {"weight", 0.8}, {"guidance_start", 0.0},
                                       {"guidance_end", 1.0}, {"control_mode", 0}, {"resize_mode", 1},
                                       {"pixel_perfect", false}, {"processor_res", 512}},
                                      {{"enabled", false}, {"model", "None"}}}}}}};
        const json answer = txt2img(payload);
        QVERIFY(!answer.is_null());
        const std::string infotext = json::parse(answer["info"].get<std::string>())["infotexts"][0];
        QVERIFY2(infotext.find("ControlNet 0") != std::string::npos, infotext.c_str());
        QVERIFY(answer["parameters"]["alwayson_scripts"]["controlnet"]["args"][0]["image"].is_null());

        const JsonAnswer detect = postJson(*m_client, "/controlnet/detect",
                                           {{"controlnet_module", "canny"}, {"controlnet_input_images", {pngDataUrl(64, 64)}},
                                            {"controlnet_processor_res", 64}});
        QCOMPARE(detect.status, 200);
        QCOMPARE(detect.body["images"].size(), size_t(1));
    }

    void pngInfoReadsParametersBack()
    {
        const json answer = txt2img(tinyTxt2img(2, 77));
        const JsonAnswer info = postJson(*m_client, "/sdapi/v1/png-info", {{"image", answer["images"][0]}});
        QCOMPARE(info.status, 200);
        QVERIFY(info.body["info"].get<std::string>().find("Seed: 77") != std::string::npos);
        QCOMPARE(info.body["parameters"]["Seed"].get<std::string>(), std::string("77"));
        QCOMPARE(info.body["parameters"]["Prompt"].get<std::string>(), std::string("example prompt"));
    }

    void whatEaselCannotServeIs501WithAReason()
    {
        const JsonAnswer a = postJson(*m_client, "/sdapi/v1/interrogate", {{"image", pngDataUrl(8, 8)}});
        QCOMPARE(a.status, 501);
        QVERIFY(a.body["detail"].get<std::string>().find("interrogate") != std::string::npos);
        QCOMPARE(getJson(*m_client, "/sdapi/v1/no-such-endpoint").status, 404);
    }

    void progressWhileIdle()
    {
        const JsonAnswer p = getJson(*m_client, "/sdapi/v1/progress?skip_current_image=true");
        QCOMPARE(p.status, 200);
        QCOMPARE(p.body["progress"].get<double>(), 0.0);
        QVERIFY(p.body["state"].contains("job_count") && p.body["state"].contains("sampling_steps"));
    }
};

QTEST_GUILESS_MAIN(TestServerA1111)
#include "test_server_a1111.moc"
