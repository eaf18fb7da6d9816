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
                 std::string("Module: canny, Model: control_v11p_sd15_canny [d14c016b], Weight: 1, Resize Mode: Crop "
                             "and Resize, Processor Res: 512, Threshold A: 100, Threshold B: 200, Guidance Start: 0, "
                             "Guidance End: 1, Pixel Perfect: False, Control Mode: Balanced"));
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
        QVERIFY2(text.find("ControlNet 0: \"Module: canny, Model: control_sd15_canny [0123abcd], Weight: 0.7") !=
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
