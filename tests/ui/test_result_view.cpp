// The result view: the current image large with wheel zoom (anchored at the cursor) and drag pan,
// the batch as thumbnails, live previews, and the actions use seed / copy parameters / send to canvas.

#include <QtTest>
#include <QClipboard>
#include <QListWidget>
#include <QToolButton>
#include <QWheelEvent>

#include "ui/image_view.h"
#include "ui/result_view.h"

using namespace easel;

namespace {

QImage solid(QColor color, int w = 64, int h = 64)
{
    QImage image(w, h, QImage::Format_RGB32);
    image.fill(color);
    return image;
}

void wheel(QWidget* widget, QPointF at, int delta)
{
    QWheelEvent event(at, widget->mapToGlobal(at), QPoint(), QPoint(0, delta), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(widget, &event);
}

} // namespace

class TestResultView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void showsBatchAndSwitchesImages()
    {
        ui::ResultView view;
        view.resize(800, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QSignalSpy seeds(&view, &ui::ResultView::useSeedRequested);
        QSignalSpy canvas(&view, &ui::ResultView::sendToCanvasRequested);

        view.showResults({"/out/1.png", "/out/2.png", "/out/3.png"}, {solid(Qt::red), solid(Qt::green), solid(Qt::blue)},
                         {"a cat\nSteps: 2, Sampler: Euler, Seed: 11, Size: 64x64",
                          "a cat\nSteps: 2, Sampler: Euler, Seed: 12, Size: 64x64",
                          "a cat\nSteps: 2, Sampler: Euler, Seed: 13, Size: 64x64"});
        QCOMPARE(view.thumbnails()->count(), 3);
        QVERIFY(view.thumbnails()->isVisible());
        QCOMPARE(view.currentIndex(), 0);
        QCOMPARE(view.imageView()->image().pixelColor(0, 0), QColor(Qt::red));

        view.thumbnails()->setCurrentRow(2);
        QCOMPARE(view.currentIndex(), 2);
        QCOMPARE(view.imageView()->image().pixelColor(0, 0), QColor(Qt::blue));
        QCOMPARE(view.currentSeed().value_or(-1), qint64(13));

        view.findChild<QToolButton*>("UseSeedButton")->click();
        QCOMPARE(seeds.count(), 1);
        QCOMPARE(seeds.at(0).at(0).toLongLong(), qint64(13));
        view.findChild<QToolButton*>("CopyParametersButton")->click();
        QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("a cat\nSteps: 2, Sampler: Euler, Seed: 13, Size: 64x64"));
        view.findChild<QToolButton*>("SendToCanvasButton")->click();
        QCOMPARE(canvas.count(), 1);
        QCOMPARE(canvas.at(0).at(0).toString(), QStringLiteral("/out/3.png"));
    }

    void previewReplacesTheImageUntilResultsArrive()
    {
        ui::ResultView view;
        view.showResults({"/out/1.png"}, {solid(Qt::red)}, {"x\nSteps: 2, Sampler: Euler, Seed: 1"});
        QVERIFY(!view.thumbnails()->isVisible()); // one image: no strip
        view.showPreview(solid(Qt::gray, 8, 8));
        QVERIFY(view.isShowingPreview());
        QCOMPARE(view.imageView()->image().size(), QSize(8, 8));
        view.clearPreview(); // cancelled: back to the last result
        QVERIFY(!view.isShowingPreview());
        QCOMPARE(view.imageView()->image().pixelColor(0, 0), QColor(Qt::red));
    }

    void wheelZoomsAtTheCursorAndDragPans()
    {
        ui::ImageView view;
        view.resize(400, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setImage(solid(Qt::red, 100, 100));
        QVERIFY(view.isFitted());
        QCOMPARE(view.zoom(), 4.0); // small images are shown at most 4x when fitted

        // The image point under the cursor stays under it.
        const QPointF at(150, 170);
        const QPointF before = (at - view.offset()) / view.zoom();
        wheel(&view, at, -120);
        QVERIFY(!view.isFitted());
        QCOMPARE(view.zoom(), 4.0 / 1.25);
        const QPointF after = (at - view.offset()) / view.zoom();
        QVERIFY(qAbs(before.x() - after.x()) < 1e-6 && qAbs(before.y() - after.y()) < 1e-6);
        wheel(&view, at, 240);
        QCOMPARE(view.zoom(), 4.0 * 1.25);

        const QPointF offset = view.offset();
        QTest::mousePress(&view, Qt::LeftButton, Qt::NoModifier, QPoint(100, 100));
        QTest::mouseMove(&view, QPoint(130, 80));
        QTest::mouseRelease(&view, Qt::LeftButton, Qt::NoModifier, QPoint(130, 80));
        QCOMPARE(view.offset(), offset + QPointF(30, -20));

        QTest::mouseDClick(&view, Qt::LeftButton);
        QVERIFY(view.isFitted());
        QCOMPARE(view.zoom(), 4.0);
    }

    void ctrl1ShowsActualPixelsAndCtrl0FitsAgain()
    {
        ui::ImageView view;
        view.resize(400, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setImage(solid(Qt::red, 100, 100));
        view.setFocus();
        QTest::keyClick(&view, Qt::Key_1, Qt::ControlModifier);
        // 100 %: one image pixel per device pixel, centred.
        QVERIFY(!view.isFitted());
        QCOMPARE(view.zoom(), 1.0 / view.devicePixelRatioF());
        QCOMPARE(view.offset(), QPointF(200, 200) - QPointF(50, 50) * view.zoom());
        QTest::keyClick(&view, Qt::Key_0, Qt::ControlModifier);
        QVERIFY(view.isFitted());
        QCOMPARE(view.zoom(), 4.0);
    }
};

QTEST_MAIN(TestResultView)
#include "test_result_view.moc"
