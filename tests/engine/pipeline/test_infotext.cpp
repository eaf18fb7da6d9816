// A1111 "parameters" text: the strings below are written by hand in A1111 v1.10's format (and one in
// the pre-1.9 format), the way they appear in PNGs from A1111 and on civitai.

#include <QtTest>

#include "engine/pipeline/infotext.h"
#include "engine/pipeline/infotext_request.h"

using namespace easel;
using pipeline::Infotext;

class TestInfotext : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesA1111Text()
    {
        const std::string text =
            "masterpiece, a castle on a hill, (golden hour:1.2)\n"
            "<lora:castleStyle:0.8>\n"
            "Negative prompt: blurry, lowres\n"
            "watermark\n"
            "Steps: 30, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, Seed: 1234567890, "
            "Size: 512x768, Model hash: 6ce0161689, Model: v1-5-pruned-emaonly, Denoising strength: 0.45, "
            "Clip skip: 2, Hires upscale: 2, Hires steps: 15, Hires upscaler: Latent, "
            "Lora hashes: \"castleStyle: 0123456789ab\", Version: v1.10.1";
        const Infotext t = pipeline::parseInfotext(text);
        QCOMPARE(t.prompt, std::string("masterpiece, a castle on a hill, (golden hour:1.2)\n<lora:castleStyle:0.8>"));
        QCOMPARE(t.negativePrompt, std::string("blurry, lowres\nwatermark"));
        QCOMPARE(*t.get("Steps"), std::string("30"));
        QCOMPARE(*t.get("Size-1"), std::string("512"));
        QCOMPARE(*t.get("Size-2"), std::string("768"));
        QCOMPARE(*t.get("Lora hashes"), std::string("castleStyle: 0123456789ab"));
        QCOMPARE(*t.get("Version"), std::string("v1.10.1"));

        const api::GenerationRequest r = pipeline::requestFromInfotext(t);
        QCOMPARE(r.steps, 30);
        QCOMPARE(r.sampler, std::string("DPM++ 2M"));
        QCOMPARE(r.scheduler, std::string("Karras"));
        QCOMPARE(r.seed, std::int64_t(1234567890));
        QCOMPARE(r.width, 512);
        QCOMPARE(r.height, 768);
        QCOMPARE(r.clipSkip, 2);
        QCOMPARE(r.model, std::string("v1-5-pruned-emaonly"));
        QVERIFY(r.hires.enabled);
        QCOMPARE(r.hires.scale, 2.0);
        QCOMPARE(r.hires.steps, 15);
        QCOMPARE(r.hires.denoisingStrength, 0.45);
        QCOMPARE(r.rng, api::RngSource::Gpu); // missing RNG means GPU (A1111 default)
    }

    void splitsPre19SamplerNames()
    {
        Infotext t = pipeline::parseInfotext(
            "a cat\nSteps: 20, Sampler: DPM++ 2M Karras, CFG scale: 7.5, Seed: 1, Size: 512x512, RNG: CPU");
        const api::GenerationRequest r = pipeline::requestFromInfotext(t);
        QCOMPARE(r.sampler, std::string("DPM++ 2M"));
        QCOMPARE(r.scheduler, std::string("Karras"));
        QCOMPARE(r.cfgScale, 7.5);
        QCOMPARE(r.rng, api::RngSource::Cpu);
        QCOMPARE(r.clipSkip, 1);
    }

    void lastLineNeedsThreeParams()
    {
        // "Steps: 20, Seed: 5" has only two matches: it is part of the prompt (A1111 rule).
        const Infotext t = pipeline::parseInfotext("a cat\nSteps: 20, Seed: 5");
        QCOMPARE(t.prompt, std::string("a cat\nSteps: 20, Seed: 5"));
        QVERIFY(t.params.empty());
    }

    void quotesOnlyWhenNeeded()
    {
        QCOMPARE(pipeline::quoteValue("Euler a"), std::string("Euler a"));
        QCOMPARE(pipeline::quoteValue("a: 1, b: 2"), std::string("\"a: 1, b: 2\""));
        QCOMPARE(pipeline::quoteValue("猫, \"x\""), std::string("\"猫, \\\"x\\\"\""));
        QCOMPARE(pipeline::unquoteValue("\"猫, \\\"x\\\"\""), std::string("猫, \"x\""));
        QCOMPARE(pipeline::formatNumber(7.0), std::string("7"));
        QCOMPARE(pipeline::formatNumber(0.45), std::string("0.45"));
    }

    void requestRoundTrip()
    {
        api::GenerationRequest r;
        r.prompt = "a lighthouse, (storm:1.3)\nsecond line";
        r.negativePrompt = "blurry";
        r.sampler = "Euler a";
        r.scheduler = "Automatic";
        r.steps = 25;
        r.cfgScale = 6.5;
        r.width = 640;
        r.height = 448;
        r.clipSkip = 2;
        r.rng = api::RngSource::Cpu;
        r.subseedStrength = 0.3;
        r.initImage = "/tmp/in.png";
        r.denoisingStrength = 0.6;
        r.inpaint = api::InpaintOptions{};
        r.inpaint->maskBlur = 8;
        r.inpaint->area = api::InpaintArea::OnlyMasked;
        r.inpaint->onlyMaskedPadding = 48;
        pipeline::ImageFacts facts;
        facts.seed = 42;
        facts.subseed = 99;
        facts.modelName = "tiny";
        facts.modelHash = "abcdef0123";
        // A1111 strips ":" and "," from aliases in "Lora hashes".
        facts.loraHashes = {{"style:v2", "0123456789ab"}, {"b", "ba9876543210"}};
        const std::string text = pipeline::formatInfotext(pipeline::infotextFromRequest(r, facts));
        QVERIFY2(text.find("Steps: 25, Sampler: Euler a, Schedule type: Automatic, CFG scale: 6.5, Seed: 42, "
                           "Size: 640x448, Model hash: abcdef0123, Model: tiny, Variation seed: 99, "
                           "Variation seed strength: 0.3, Denoising strength: 0.6, Clip skip: 2, RNG: CPU, "
                           "Lora hashes: \"stylev2: 0123456789ab, b: ba9876543210\", Mask blur: 8")
                     != std::string::npos,
                 text.c_str());

        api::GenerationRequest back = pipeline::requestFromInfotext(pipeline::parseInfotext(text));
        QCOMPARE(back.prompt, r.prompt);
        QCOMPARE(back.negativePrompt, r.negativePrompt);
        QCOMPARE(back.seed, std::int64_t(42));
        QCOMPARE(back.subseed, std::int64_t(99));
        QCOMPARE(back.subseedStrength, 0.3);
        QCOMPARE(back.cfgScale, 6.5);
        QCOMPARE(back.width, 640);
        QCOMPARE(back.rng, api::RngSource::Cpu);
        QVERIFY(back.inpaint);
        QCOMPARE(back.inpaint->maskBlur, 8);
        QCOMPARE(back.inpaint->area, api::InpaintArea::OnlyMasked);
        QCOMPARE(back.inpaint->onlyMaskedPadding, 48);
    }

    void tilingRoundTrip()
    {
        // Ref: A1111 processing.py create_infotext: "Tiling": "True" only when on, right after RNG.
        api::GenerationRequest r;
        r.prompt = "a brick wall";
        r.rng = api::RngSource::Cpu;
        r.tiling = true;
        pipeline::ImageFacts facts;
        facts.seed = 7;
        const std::string text = pipeline::formatInfotext(pipeline::infotextFromRequest(r, facts));
        QVERIFY2(text.find("RNG: CPU, Tiling: True, Version: ") != std::string::npos, text.c_str());
        QVERIFY(pipeline::requestFromInfotext(pipeline::parseInfotext(text)).tiling);

        r.tiling = false;
        const std::string plain = pipeline::formatInfotext(pipeline::infotextFromRequest(r, facts));
        QVERIFY2(plain.find("Tiling") == std::string::npos, plain.c_str());
        // Missing means off even over a base that had it on (a plain image applied after a tiled one).
        api::GenerationRequest base;
        base.tiling = true;
        QVERIFY(!pipeline::requestFromInfotext(pipeline::parseInfotext(plain), base).tiling);
        // A1111's checkbox paste: bool(value), except "False".
        QVERIFY(!pipeline::requestFromInfotext(pipeline::parseInfotext("x\nSteps: 20, Seed: 1, Tiling: False")).tiling);
        QVERIFY(pipeline::requestFromInfotext(pipeline::parseInfotext("x\nSteps: 20, Seed: 1, Tiling: true")).tiling);
    }

    void requestJsonRoundTrip()
    {
        api::GenerationRequest r;
        r.prompt = "猫";
        r.loras.push_back({"detail", 0.5, 1.0, true});
        r.hires.enabled = true;
        const api::GenerationRequest back = api::requestFromJson(api::toJson(r));
        QCOMPARE(back.prompt, r.prompt);
        QCOMPARE(back.loras.size(), size_t(1));
        QCOMPARE(back.loras[0].unetMultiplier, 0.5);
        QVERIFY(back.hires.enabled);
        QVERIFY(!back.inpaint);
        QVERIFY(!back.tiling);
        r.tiling = true;
        const std::string json = api::toJson(r);
        QVERIFY2(json.find("\"tiling\":true") != std::string::npos, json.c_str());
        QVERIFY(api::requestFromJson(json).tiling);
        QVERIFY(!api::requestFromJson("{\"prompt\": \"x\"}").tiling); // missing key: off
        QVERIFY(api::requestFromJson("{\"tiling\": true}").tiling);     // the A1111 API field name
        QVERIFY_THROWS_EXCEPTION(std::exception, api::requestFromJson("{not json"));
    }
};

QTEST_GUILESS_MAIN(TestInfotext)
#include "test_infotext.moc"
