// ControlNet units in A1111 infotext: the extension's value format, parsing it back (also from
// real-world strings with extra fields), and whole-infotext round trips through requestFromInfotext.

#include <QtTest>

#include "engine/api/error.h"
#include "engine/controlnet/unit_infotext.h"
#include "engine/pipeline/infotext.h"
#include "engine/pipeline/infotext_request.h"

using namespace easel;

class TestUnitInfotext : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void formatsLikeTheExtension()
    {
        api::ControlUnit u;
        u.preprocessor = "canny";
        u.thresholdA = 100;
        u.thresholdB = 200;
        QCOMPARE(controlnet::formatUnitInfotext(u, "control_v11p_sd15_canny [d14c016b]"),
                 std::string("Module: canny, Model: control_v11p_sd15_canny [d14c016b], Weight: 1.0, Resize Mode: Crop "
                             "and Resize, Processor Res: 512, Threshold A: 100.0, Threshold B: 200.0, Guidance Start: "
                             "0.0, Guidance End: 1.0, Pixel Perfect: False, Control Mode: Balanced"));
        u.thresholdA = u.thresholdB = -1; // hidden sliders are left out
        u.weight = 0.65;
        u.guidanceEnd = 0.7;
        u.pixelPerfect = true;
        u.controlMode = "controlnet";
        u.resizeMode = api::ResizeMode::ResizeAndFill;
        const std::string text = controlnet::formatUnitInfotext(u, "m");
        QVERIFY(text.find("Threshold") == std::string::npos);
        QVERIFY(text.find("Weight: 0.65") != std::string::npos);
        QVERIFY(text.find("Resize Mode: Resize and Fill") != std::string::npos);
        QVERIFY(text.find("Pixel Perfect: True, Control Mode: ControlNet is more important") != std::string::npos);
    }

    void parsesRealWorldValues()
    {
        const auto u = controlnet::parseUnitInfotext(
            "Module: depth_midas, Model: control_v11f1p_sd15_depth [cfd03158], Weight: 0.8, Resize Mode: Just Resize, "
            "Low Vram: False, Processor Res: 384, Guidance Start: 0.1, Guidance End: 0.9, Pixel Perfect: True, "
            "Control Mode: My prompt is more important, Hr Option: Both, Save Detected Map: True");
        QVERIFY(u.has_value());
        QCOMPARE(u->preprocessor, std::string("depth_midas"));
        QCOMPARE(u->model, std::string("control_v11f1p_sd15_depth"));
        QCOMPARE(u->weight, 0.8);
        QCOMPARE(u->resizeMode, api::ResizeMode::JustResize);
        QCOMPARE(u->processorResolution, 384);
        QCOMPARE(u->thresholdA, -1.0);
        QCOMPARE(u->guidanceStart, 0.1);
        QCOMPARE(u->guidanceEnd, 0.9);
        QVERIFY(u->pixelPerfect);
        QCOMPARE(u->controlMode, std::string("My prompt is more important"));
        QVERIFY(!controlnet::parseUnitInfotext("Weight: 1, Guidance End: 1").has_value());
    }

    // A whole A1111 infotext as the extension writes it (hand-written after its format), read back
    // into units and written again byte for byte.
    void parsesAnA1111Sample()
    {
        const std::string a1111 =
            "a red house\nNegative prompt: blurry\nSteps: 20, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, "
            "Seed: 42, Size: 512x512, Model hash: 6ce0161689, Model: v1-5-pruned-emaonly, "
            "ControlNet 0: \"Module: canny, Model: control_v11p_sd15_canny [d14c016b], Weight: 1.0, Resize Mode: Crop "
            "and Resize, Processor Res: 512, Threshold A: 100.0, Threshold B: 200.0, Guidance Start: 0.0, Guidance End: "
            "1.0, Pixel Perfect: False, Control Mode: Balanced\", "
            "ControlNet 1: \"Module: none, Model: control_v11p_sd15_scribble [d4ba51ff], Weight: 0.55, Resize Mode: "
            "Just Resize, Processor Res: 512, Guidance Start: 0.1, Guidance End: 0.75, Pixel Perfect: True, Control "
            "Mode: ControlNet is more important\", Version: v1.10.1";
        const api::GenerationRequest r = pipeline::requestFromInfotext(pipeline::parseInfotext(a1111));
        QCOMPARE(r.prompt, std::string("a red house"));
        QCOMPARE(r.controlNets.size(), size_t(2));
        const api::ControlUnit& c = r.controlNets[0];
        QCOMPARE(c.preprocessor, std::string("canny"));
        QCOMPARE(c.model, std::string("control_v11p_sd15_canny"));
        QCOMPARE(c.weight, 1.0);
        QCOMPARE(c.resizeMode, api::ResizeMode::CropAndResize);
        QCOMPARE(c.processorResolution, 512);
        QCOMPARE(c.thresholdA, 100.0);
        QCOMPARE(c.thresholdB, 200.0);
        QCOMPARE(c.guidanceStart, 0.0);
        QCOMPARE(c.guidanceEnd, 1.0);
        QVERIFY(!c.pixelPerfect);
        QCOMPARE(c.controlMode, std::string("Balanced"));
        QVERIFY(c.image.empty());
        const api::ControlUnit& s = r.controlNets[1];
        QCOMPARE(s.preprocessor, std::string("none"));
        QCOMPARE(s.weight, 0.55);
        QCOMPARE(s.resizeMode, api::ResizeMode::JustResize);
        QCOMPARE(s.thresholdA, -1.0);
        QCOMPARE(s.guidanceStart, 0.1);
        QCOMPARE(s.guidanceEnd, 0.75);
        QVERIFY(s.pixelPerfect);
        QCOMPARE(s.controlMode, std::string("ControlNet is more important"));
        QCOMPARE(controlnet::formatUnitInfotext(c, "control_v11p_sd15_canny [d14c016b]"),
                 std::string("Module: canny, Model: control_v11p_sd15_canny [d14c016b], Weight: 1.0, Resize Mode: Crop "
                             "and Resize, Processor Res: 512, Threshold A: 100.0, Threshold B: 200.0, Guidance Start: "
                             "0.0, Guidance End: 1.0, Pixel Perfect: False, Control Mode: Balanced"));
        QCOMPARE(controlnet::formatUnitInfotext(s, "control_v11p_sd15_scribble [d4ba51ff]"),
                 std::string("Module: none, Model: control_v11p_sd15_scribble [d4ba51ff], Weight: 0.55, Resize Mode: "
                             "Just Resize, Processor Res: 512, Guidance Start: 0.1, Guidance End: 0.75, Pixel Perfect: "
                             "True, Control Mode: ControlNet is more important"));
    }

    void controlModes()
    {
        QCOMPARE(controlnet::parseControlMode("Balanced"), controlnet::ControlMode::Balanced);
        QCOMPARE(controlnet::parseControlMode("my prompt is more important"), controlnet::ControlMode::PromptMoreImportant);
        QCOMPARE(controlnet::parseControlMode("2"), controlnet::ControlMode::ControlNetMoreImportant);
        QVERIFY_THROWS_EXCEPTION(api::Error, controlnet::parseControlMode("Loud"));
    }

    void roundTripsThroughTheWholeInfotext()
    {
        api::GenerationRequest r;
        r.prompt = "a house";
        r.steps = 2;
        r.seed = 5;
        api::ControlUnit a;
        a.preprocessor = "canny";
        a.model = "ignored-path/control_sd15_canny.safetensors";
        a.thresholdA = 50;
        a.thresholdB = 150;
        a.weight = 0.7;
        a.guidanceEnd = 0.7;
        api::ControlUnit b;
        b.preprocessor = "scribble_threshold";
        b.controlMode = "My prompt is more important";
        b.resizeMode = api::ResizeMode::JustResize;
        b.processorResolution = 256;
        pipeline::ImageFacts facts;
        facts.seed = 5;
        facts.controlNetUnits = {controlnet::formatUnitInfotext(a, "control_sd15_canny [0123abcd]"),
                                 controlnet::formatUnitInfotext(b, "control_sd15_scribble")};
        const std::string text = pipeline::formatInfotext(pipeline::infotextFromRequest(r, facts));
        QVERIFY2(text.find("ControlNet 0: \"Module: canny, Model: control_sd15_canny [0123abcd], Weight: 0.7, Resize Mode: Crop and Resize, Processor Res: 512, Threshold A: 50.0, Threshold B: 150.0, Guidance Start: 0.0, Guidance End: 0.7,") !=
                     std::string::npos,
                 text.c_str());
        const api::GenerationRequest back = pipeline::requestFromInfotext(pipeline::parseInfotext(text));
        QCOMPARE(back.controlNets.size(), size_t(2));
        QCOMPARE(back.controlNets[0].model, std::string("control_sd15_canny"));
        QCOMPARE(back.controlNets[0].thresholdA, 50.0);
        QCOMPARE(back.controlNets[0].thresholdB, 150.0);
        QCOMPARE(back.controlNets[0].weight, 0.7);
        QCOMPARE(back.controlNets[0].guidanceEnd, 0.7);
        QCOMPARE(back.controlNets[1].preprocessor, std::string("scribble_threshold"));
        QCOMPARE(back.controlNets[1].controlMode, std::string("My prompt is more important"));
        QCOMPARE(back.controlNets[1].resizeMode, api::ResizeMode::JustResize);
        QCOMPARE(back.controlNets[1].processorResolution, 256);
        QVERIFY(back.controlNets[1].image.empty()); // the extension never records the picture
        // Formatting the parsed units again gives the same values.
        QCOMPARE(controlnet::formatUnitInfotext(back.controlNets[1], "control_sd15_scribble"), facts.controlNetUnits[1]);
    }
};

QTEST_GUILESS_MAIN(TestUnitInfotext)
#include "test_unit_infotext.moc"
