// The canvas panel feeds a generation: applyTo puts the canvas image and the painted mask (white =
// repaint) into the request as pixels — no files — and fills its img2img / inpaint fields; tool bar,
// extend-canvas row and the inpaint options drive the canvas.

#include <QtTest>
#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QSpinBox>
#include <QToolButton>
#include <QUndoStack>

#include "app/image_convert.h"
#include "app/translations.h"
#include "engine/api/error.h"
#include "ui/canvas/canvas_panel.h"
#include "ui/canvas/canvas_widget.h"
#include "ui/canvas/inpaint_options_panel.h"

using namespace easel;

namespace {

QImage gradientImage(int width = 96, int height = 64)
{
    QImage image(width, height, QImage::Format_RGB32);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            image.setPixel(x, y, qRgb(x * 2, y * 3, 77));
    return image;
}

void paintStroke(ui::CanvasWidget* canvas, QPointF from, QPointF to)
{
    QTest::mousePress(canvas, Qt::LeftButton, Qt::NoModifier, canvas->mapFromImage(from).toPoint());
    for (int i = 1; i <= 8; ++i)
        QTest::mouseMove(canvas, canvas->mapFromImage(from + (to - from) * i / 8).toPoint());
    QTest::mouseRelease(canvas, Qt::LeftButton, Qt::NoModifier, canvas->mapFromImage(to).toPoint());
}

QImage pixels(const api::Image& image) { return app::toQImage(image); }

} // namespace

class TestCanvasPanel : public QObject {
    Q_OBJECT
private:
    static std::unique_ptr<ui::CanvasPanel> makePanel()
    {
        auto panel = std::make_unique<ui::CanvasPanel>();
        panel->resize(900, 600);
        panel->show();
        if (!QTest::qWaitForWindowExposed(panel.get()))
            return nullptr;
        panel->canvas()->setImage(gradientImage());
        panel->canvas()->setBrushSize(8);
        panel->canvas()->setBrushHardness(1.0);
        return panel;
    }

private Q_SLOTS:
    void withoutAnImageTheRequestStaysTxt2Img()
    {
        ui::CanvasPanel panel;
        api::GenerationRequest request;
        panel.applyTo(request);
        QVERIFY(request.initImage.empty());
        QVERIFY(!request.inpaint);
        QVERIFY(request.initPixels.empty());
    }

    void img2imgWritesTheImageOnly()
    {
        auto panel = makePanel();
        QVERIFY(panel);
        panel->findChild<QDoubleSpinBox*>("DenoisingStrength")->setValue(0.4);
        panel->findChild<QComboBox*>("ResizeMode")->setCurrentIndex(1);
        api::GenerationRequest request;
        request.inpaint = api::InpaintOptions{};   // left over from an earlier request: must go
        panel->applyTo(request);
        QVERIFY(!request.initPixels.empty());
        QCOMPARE(pixels(request.initPixels).convertToFormat(QImage::Format_RGB32), gradientImage());
        QCOMPARE(request.denoisingStrength, 0.4);
        QCOMPARE(request.resizeMode, api::ResizeMode::CropAndResize);
        QVERIFY(!request.inpaint);
    }

    void inpaintWritesTheMaskWhiteWherePainted()
    {
        auto panel = makePanel();
        QVERIFY(panel);
        auto* options = panel->options();
        QCOMPARE(options->mode(), ui::CanvasMode::Img2Img);
        api::GenerationRequest request;
        panel->applyTo(request);
        QVERIFY(!request.inpaint);   // nothing painted yet

        panel->findChild<QSpinBox*>("MaskBlur")->setValue(9);
        panel->findChild<QComboBox*>("MaskedContent")->setCurrentIndex(int(api::MaskedContent::LatentNoise));
        panel->findChild<QComboBox*>("InpaintArea")->setCurrentIndex(int(api::InpaintArea::OnlyMasked));
        panel->findChild<QSpinBox*>("OnlyMaskedPadding")->setValue(48);
        panel->findChild<QComboBox*>("MaskMode")->setCurrentIndex(int(api::MaskMode::InpaintNotMasked));
        paintStroke(panel->canvas(), QPointF(20, 32), QPointF(76, 32));
        // Painting switches to inpainting.
        QCOMPARE(options->mode(), ui::CanvasMode::Inpaint);

        panel->applyTo(request);
        QVERIFY(request.inpaint);
        QCOMPARE(request.inpaint->maskBlur, 9);
        QCOMPARE(request.inpaint->maskedContent, api::MaskedContent::LatentNoise);
        QCOMPARE(request.inpaint->area, api::InpaintArea::OnlyMasked);
        QCOMPARE(request.inpaint->onlyMaskedPadding, 48);
        QCOMPARE(request.inpaint->maskMode, api::MaskMode::InpaintNotMasked);
        const QImage mask = pixels(request.inpaint->maskPixels).convertToFormat(QImage::Format_Grayscale8);
        QCOMPARE(mask.size(), QSize(96, 64));
        QCOMPARE(mask, panel->canvas()->document()->mask());
        for (int x = 22; x <= 74; x += 4)
            QCOMPARE(qGray(mask.pixel(x, 32)), 255);
        QCOMPARE(qGray(mask.pixel(48, 10)), 0);
        QCOMPARE(qGray(mask.pixel(5, 32)), 0);
        QCOMPARE(pixels(request.initPixels).convertToFormat(QImage::Format_RGB32), gradientImage());

        // A new stroke changes the next request, never one made before (a queued job's pixels).
        api::GenerationRequest again;
        paintStroke(panel->canvas(), QPointF(48, 5), QPointF(48, 60));
        panel->applyTo(again);
        QCOMPARE(pixels(again.initPixels), pixels(request.initPixels));
        QCOMPARE(qGray(pixels(again.inpaint->maskPixels).pixel(48, 10)), 255);
        QCOMPARE(qGray(pixels(request.inpaint->maskPixels).pixel(48, 10)), 0);   // the earlier request is untouched

        // In img2img mode the mask is ignored.
        options->setMode(ui::CanvasMode::Img2Img);
        panel->applyTo(again);
        QVERIFY(!again.inpaint);
        // Clearing the mask leaves nothing to inpaint.
        options->setMode(ui::CanvasMode::Inpaint);
        panel->findChild<QAction*>("ClearMask")->trigger();
        panel->applyTo(again);
        QVERIFY(!again.inpaint);
    }

    void extendCanvasOutpaints()
    {
        auto panel = makePanel();
        QVERIFY(panel);
        QSignalSpy sized(panel.get(), &ui::CanvasPanel::imageSizeChanged);
        panel->findChild<QComboBox*>("ExtendEdge")->setCurrentIndex(1);   // right
        panel->findChild<QSpinBox*>("ExtendPixels")->setValue(32);
        panel->findChild<QToolButton*>("ExtendButton")->click();
        QCOMPARE(sized.count(), 1);
        QCOMPARE(sized.first().first().toSize(), QSize(128, 64));
        QCOMPARE(panel->options()->mode(), ui::CanvasMode::Inpaint);

        api::GenerationRequest request;
        panel->applyTo(request);
        QVERIFY(request.inpaint);
        const QImage mask = pixels(request.inpaint->maskPixels);
        QCOMPARE(mask.size(), QSize(128, 64));
        QCOMPARE(qGray(mask.pixel(100, 30)), 255);
        QCOMPARE(qGray(mask.pixel(90, 30)), 0);
        QCOMPARE(pixels(request.initPixels).pixel(120, 30), gradientImage().pixel(95, 30));

        panel->findChild<QAction*>("CanvasUndo")->trigger();
        QCOMPARE(panel->canvas()->document()->size(), QSize(96, 64));
        QCOMPARE(sized.count(), 2);
        panel->applyTo(request);
        QVERIFY(!request.inpaint);
    }

    void toolBarFollowsTheCanvas()
    {
        auto panel = makePanel();
        QVERIFY(panel);
        auto* size = panel->findChild<QSpinBox*>("BrushSize");
        auto* hardness = panel->findChild<QSpinBox*>("BrushHardness");
        QCOMPARE(size->value(), 8);
        panel->canvas()->setFocus();
        QTest::keyClick(panel->canvas(), Qt::Key_BracketRight);
        QCOMPARE(size->value(), 9);
        size->setValue(30);
        QCOMPARE(panel->canvas()->brush().size, 30.0);
        hardness->setValue(20);
        QCOMPARE(panel->canvas()->brush().hardness, 0.2);

        auto* undo = panel->findChild<QAction*>("CanvasUndo");
        auto* redo = panel->findChild<QAction*>("CanvasRedo");
        QVERIFY(!undo->isEnabled());
        paintStroke(panel->canvas(), QPointF(30, 30), QPointF(60, 30));
        QVERIFY(undo->isEnabled());
        undo->trigger();
        QVERIFY(!panel->canvas()->document()->hasMask());
        QVERIFY(redo->isEnabled());
        redo->trigger();
        QVERIFY(panel->canvas()->document()->hasMask());

        panel->findChild<QAction*>("InvertMask")->trigger();
        QCOMPARE(panel->canvas()->document()->mask().constScanLine(5)[5], uchar(255));
        panel->findChild<QAction*>("EraserTool")->trigger();
        QCOMPARE(panel->canvas()->tool(), ui::MaskTool::Eraser);
        QTest::keyClick(panel->canvas(), Qt::Key_B);
        QVERIFY(panel->findChild<QAction*>("BrushTool")->isChecked());

        panel->findChild<QAction*>("CanvasClose")->trigger();
        QVERIFY(!panel->hasImage());
        QVERIFY(!panel->findChild<QAction*>("InvertMask")->isEnabled());
    }

    void noFileIsWritten()
    {
        auto panel = makePanel();
        QVERIFY(panel);
        paintStroke(panel->canvas(), QPointF(20, 32), QPointF(76, 32));
        api::GenerationRequest request;
        panel->applyTo(request);
        QVERIFY(request.initImage.empty());
        QVERIFY(request.inpaint && request.inpaint->mask.empty());
        QCOMPARE(request.initPixels.width, 96);
        QCOMPARE(request.inpaint->maskPixels.channels, 1);
        // The request serialises with its pixels (PNG base64), so a queued job can travel as JSON.
        const api::GenerationRequest back = api::requestFromJson(api::toJson(request));
        QCOMPARE(pixels(back.initPixels), pixels(request.initPixels));
        QCOMPARE(pixels(back.inpaint->maskPixels), pixels(request.inpaint->maskPixels));
    }

    void switchesLanguage()
    {
        ui::CanvasPanel panel;
        panel.show();
        QVERIFY(app::Translations::apply("zh_CN"));
        QTRY_COMPARE(panel.windowTitle(), QStringLiteral("画布"));
        QCOMPARE(panel.findChild<QAction*>("BrushTool")->text(), QStringLiteral("画笔"));
        QCOMPARE(panel.findChild<QComboBox*>("CanvasMode")->itemText(1), QStringLiteral("局部重绘"));
        QCOMPARE(panel.findChild<QComboBox*>("MaskedContent")->itemText(2), QStringLiteral("潜空间噪声"));
        QVERIFY(app::Translations::apply("en"));
        QTRY_COMPARE(panel.windowTitle(), QStringLiteral("Canvas"));
        QCOMPARE(panel.findChild<QAction*>("BrushTool")->text(), QStringLiteral("Brush"));
        QCOMPARE(panel.findChild<QComboBox*>("CanvasMode")->itemText(1), QStringLiteral("Inpaint"));
    }

    void optionsRoundTripARequest()
    {
        ui::InpaintOptionsPanel options;
        api::GenerationRequest request;
        request.denoisingStrength = 0.55;
        request.resizeMode = api::ResizeMode::ResizeAndFill;
        request.inpaint = api::InpaintOptions{};
        request.inpaint->maskBlur = 12;
        request.inpaint->maskedContent = api::MaskedContent::Fill;
        request.inpaint->area = api::InpaintArea::OnlyMasked;
        request.inpaint->onlyMaskedPadding = 64;
        options.setFromRequest(request);
        QCOMPARE(options.mode(), ui::CanvasMode::Inpaint);
        QCOMPARE(options.denoisingStrength(), 0.55);
        QCOMPARE(options.resizeMode(), api::ResizeMode::ResizeAndFill);
        QCOMPARE(options.inpaintOptions().maskBlur, 12);
        QCOMPARE(options.inpaintOptions().maskedContent, api::MaskedContent::Fill);
        QCOMPARE(options.inpaintOptions().area, api::InpaintArea::OnlyMasked);
        QCOMPARE(options.inpaintOptions().onlyMaskedPadding, 64);
        QVERIFY(options.findChild<QSpinBox*>("OnlyMaskedPadding")->isEnabled());
        options.setMode(ui::CanvasMode::Img2Img);
        QVERIFY(!options.findChild<QSpinBox*>("MaskBlur")->isEnabled());
        QVERIFY(!options.findChild<QSpinBox*>("OnlyMaskedPadding")->isEnabled());
        QVERIFY(options.findChild<QDoubleSpinBox*>("DenoisingStrength")->isEnabled());
    }
};

QTEST_MAIN(TestCanvasPanel)
#include "test_canvas_panel.moc"
