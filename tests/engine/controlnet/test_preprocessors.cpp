// Each ControlNet preprocessor on a synthetic picture whose answer is known: where the edges are,
// which strokes become lines, what a blur or shuffle keeps. Also pixel-perfect resolution and the
// refusals (unknown name, neural module without its ONNX file).

#include <QtTest>

#include <algorithm>
#include <cmath>

#include "engine/api/error.h"
#include "engine/controlnet/neural_preprocessors.h"
#include "engine/controlnet/preprocessors.h"

using namespace easel;

namespace {

api::Image blank(int w, int h, std::uint8_t value)
{
    api::Image img;
    img.width = w;
    img.height = h;
    img.channels = 3;
    img.pixels.assign(static_cast<size_t>(w) * h * 3, value);
    return img;
}

void setPixel(api::Image& img, int x, int y, std::uint8_t v)
{
    for (int c = 0; c < img.channels; ++c)
        img.pixels[(static_cast<size_t>(y) * img.width + x) * img.channels + c] = v;
}

int at(const api::Image& img, int x, int y) { return img.pixels[(static_cast<size_t>(y) * img.width + x) * img.channels]; }

/// Left half black, right half white: one vertical edge between x = 31 and x = 32.
api::Image stepImage(int size = 64)
{
    api::Image img = blank(size, size, 0);
    for (int y = 0; y < size; ++y)
        for (int x = size / 2; x < size; ++x)
            setPixel(img, x, y, 255);
    return img;
}

/// A dark 2-pixel horizontal stroke at rows 31..32 on light paper.
api::Image strokeImage(int size = 64)
{
    api::Image img = blank(size, size, 230);
    for (int x = 8; x < size - 8; ++x) {
        setPixel(img, x, 31, 20);
        setPixel(img, x, 32, 20);
    }
    return img;
}

int countAbove(const api::Image& img, int threshold, int x0, int x1, int y0, int y1)
{
    int n = 0;
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x)
            n += at(img, x, y) > threshold;
    return n;
}

double variance(const api::Image& img)
{
    double sum = 0, sq = 0;
    for (auto p : img.pixels) {
        sum += p;
        sq += double(p) * p;
    }
    const double n = double(img.pixels.size());
    return sq / n - (sum / n) * (sum / n);
}

} // namespace

class TestPreprocessors : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cannyFindsTheStepEdgeOnly()
    {
        const api::Image edges = controlnet::canny(stepImage(), 100, 200);
        QCOMPARE(edges.channels, 3);
        QCOMPARE(edges.width, 64);
        QVERIFY(countAbove(edges, 0, 30, 34, 2, 62) >= 56); // the edge column(s), whole height
        QCOMPARE(countAbove(edges, 0, 0, 29, 0, 64), 0);    // nothing in flat areas
        QCOMPARE(countAbove(edges, 0, 35, 64, 0, 64), 0);
        // Thresholds above the gradient find nothing.
        api::Image soft = blank(64, 64, 100);
        for (int y = 0; y < 64; ++y)
            for (int x = 32; x < 64; ++x)
                setPixel(soft, x, y, 104);
        QCOMPARE(countAbove(controlnet::canny(soft, 200, 250), 0, 0, 64, 0, 64), 0);
    }

    void scribbleTurnsDarkStrokesIntoWhiteLines()
    {
        const api::Image lines = controlnet::scribble(strokeImage(), 127, true);
        QCOMPARE(at(lines, 20, 31), 255);
        QCOMPARE(at(lines, 20, 10), 0);
        QCOMPARE(countAbove(lines, 0, 0, 64, 0, 64), 2 * 48);
        // invert = false: bright strokes on black stay white lines.
        const api::Image plain = controlnet::scribble(stepImage(), 127, false);
        QCOMPARE(at(plain, 40, 5), 255);
        QCOMPARE(at(plain, 10, 5), 0);
    }

    void lineartMarksStrokesNotFlatPaper()
    {
        const api::Image lines = controlnet::lineartDog(strokeImage(), 6.0, 2.0);
        QVERIFY(at(lines, 32, 31) > 100);
        QVERIFY(at(lines, 32, 32) > 100);
        QCOMPARE(countAbove(lines, 0, 0, 64, 0, 24), 0); // paper far from the stroke stays black
        QCOMPARE(countAbove(lines, 0, 0, 64, 40, 64), 0);
    }

    void softEdgePeaksAtTheEdge()
    {
        const api::Image soft = controlnet::softEdgeSobel(stepImage(), 1.5);
        QCOMPARE(at(soft, 31, 32), 255);
        QVERIFY(at(soft, 29, 32) > 0);                    // graded, not a thin line
        QCOMPARE(countAbove(soft, 0, 0, 24, 0, 64), 0);   // flat: nothing
        QVERIFY(at(soft, 29, 32) < at(soft, 31, 32));
    }

    void tileResampleBlursByTheRate()
    {
        api::Image checker = blank(64, 64, 0);
        for (int y = 0; y < 64; ++y)
            for (int x = 0; x < 64; ++x)
                setPixel(checker, x, y, (x + y) % 2 ? 255 : 0);
        const api::Image same = controlnet::tileResample(checker, 1.0);
        QCOMPARE(same.pixels, checker.pixels);
        const api::Image blurred = controlnet::tileResample(checker, 4.0);
        QCOMPARE(blurred.width, 64);
        QVERIFY(variance(blurred) < 0.05 * variance(checker));
    }

    void shuffleIsDeterministicInItsSeed()
    {
        api::Image gradient = blank(96, 64, 0);
        for (int y = 0; y < 64; ++y)
            for (int x = 0; x < 96; ++x)
                setPixel(gradient, x, y, static_cast<std::uint8_t>(x * 255 / 95));
        const api::Image a = controlnet::colorShuffle(gradient, 7, 32);
        const api::Image b = controlnet::colorShuffle(gradient, 7, 32);
        const api::Image c = controlnet::colorShuffle(gradient, 8, 32);
        QCOMPARE(a.pixels, b.pixels);
        QVERIFY(a.pixels != c.pixels);
        QVERIFY(a.pixels != gradient.pixels);
        // The flow spans the whole picture (normalised to [0, W−1]): both ends of the gradient appear.
        const auto [lo, hi] = std::minmax_element(a.pixels.begin(), a.pixels.end());
        QVERIFY(*lo <= 5);
        QVERIFY(*hi >= 250);
    }

    void invertAndNone()
    {
        const api::Image inv = controlnet::invert(stepImage());
        QCOMPARE(at(inv, 0, 0), 255);
        QCOMPARE(at(inv, 63, 0), 0);
        controlnet::PreprocessOptions o;
        o.resolution = 512;
        const api::Image none = controlnet::runPreprocessor("none", stepImage(), o);
        QCOMPARE(none.pixels, stepImage().pixels); // "none" uses the picture as given
    }

    void runPreprocessorResizesAndUsesDefaults()
    {
        controlnet::PreprocessOptions o;
        o.resolution = 128;
        api::Image wide = stepImage(64);
        wide = controlnet::resizeShortSide(wide, 64); // unchanged
        const api::Image edges = controlnet::runPreprocessor("canny", wide, o);
        QCOMPARE(edges.width, 128);
        QCOMPARE(edges.height, 128);
        QVERIFY(countAbove(edges, 0, 60, 68, 0, 128) > 100);
        // Aliases resolve to the canonical module.
        QCOMPARE(controlnet::findPreprocessor("scribble")->name, std::string("scribble_threshold"));
        QCOMPARE(controlnet::findPreprocessor("depth")->name, std::string("depth_midas"));
        QVERIFY(controlnet::findPreprocessor("no such thing") == nullptr);
    }

    void pixelPerfectFollowsTheExtension()
    {
        // 1024×768 picture for 512×512: crop keeps the larger factor (512/768), fill the smaller (1/2).
        QCOMPARE(controlnet::pixelPerfectResolution(1024, 768, 512, 512, api::ResizeMode::CropAndResize), 512);
        QCOMPARE(controlnet::pixelPerfectResolution(1024, 768, 512, 512, api::ResizeMode::JustResize), 512);
        QCOMPARE(controlnet::pixelPerfectResolution(1024, 768, 512, 512, api::ResizeMode::ResizeAndFill), 384);
        QCOMPARE(controlnet::pixelPerfectResolution(512, 512, 768, 512, api::ResizeMode::CropAndResize), 768);
    }

    void refusals()
    {
        controlnet::PreprocessOptions o;
        try {
            controlnet::runPreprocessor("sobel-magic", stepImage(), o);
            QFAIL("unknown preprocessor accepted");
        } catch (const api::Error& e) {
            QCOMPARE(e.code(), api::ErrorCode::InvalidRequest);
            QVERIFY(e.message().find("canny") != std::string::npos); // lists what exists
        }
        o.onnxSearchDirs = {QDir::tempPath().toStdString() + "/easel-no-annotators-here"};
        for (const char* module : {"depth_midas", "normal_bae", "openpose"}) {
            try {
                controlnet::runPreprocessor(module, stepImage(), o);
                QFAIL("neural preprocessor ran without a model");
            } catch (const api::Error& e) {
                const auto expected = controlnet::neuralPreprocessorsAvailable() ? api::ErrorCode::FileNotFound
                                                                                 : api::ErrorCode::UnsupportedFormat;
                QCOMPARE(e.code(), expected);
                QVERIFY(e.message().find("ONNX") != std::string::npos);
            }
        }
        try {
            controlnet::runPreprocessor("segmentation", stepImage(), o);
            QFAIL("segmentation produced something without a palette");
        } catch (const api::Error& e) {
            QCOMPARE(e.code(), api::ErrorCode::UnsupportedFormat);
        }
        QVERIFY_THROWS_EXCEPTION(api::Error, controlnet::canny(api::Image{}, 1, 2));
    }
};

QTEST_GUILESS_MAIN(TestPreprocessors)
#include "test_preprocessors.moc"
