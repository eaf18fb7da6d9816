// The canvas document without a view: soft round stamps, strokes that look the same at any pointer
// speed, undo/redo that restores every pixel, invert/clear, and outpainting by extending the canvas.

#include <QtTest>
#include <QUndoStack>

#include "ui/canvas/canvas_commands.h"
#include "ui/canvas/canvas_document.h"
#include "ui/canvas/mask_stroke.h"

using namespace easel;

namespace {

/// A 64x48 image with a horizontal colour gradient, so edge-stretch and offsets are visible.
QImage gradientImage(int width = 64, int height = 48)
{
    QImage image(width, height, QImage::Format_RGB32);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            image.setPixel(x, y, qRgb(x * 4 % 256, y * 5 % 256, 100));
    return image;
}

int maskAt(const ui::CanvasDocument& document, int x, int y) { return document.mask().constScanLine(y)[x]; }

int countValue(const QImage& mask, int value)
{
    int count = 0;
    for (int y = 0; y < mask.height(); ++y)
        for (int x = 0; x < mask.width(); ++x)
            count += mask.constScanLine(y)[x] == value;
    return count;
}

int countSet(const QImage& mask) { return mask.width() * mask.height() - countValue(mask, 0); }

void paint(ui::CanvasDocument& document, ui::MaskTool tool, ui::BrushTip tip, const QList<QPointF>& points)
{
    ui::MaskStroke stroke(document.paintableMask(), tool, tip);
    for (const QPointF& point : points)
        document.notifyMaskPainted(stroke.lineTo(point));
    document.notifyMaskPainted(stroke.finish());
    document.pushStroke(stroke, QStringLiteral("stroke"));
}

} // namespace

class TestCanvasMask : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void brushTipFallsOffSmoothly()
    {
        ui::BrushTip hard{20.0, 1.0};
        QCOMPARE(hard.coverage(0.0), 1.0);
        QCOMPARE(hard.coverage(9.5), 1.0);
        QCOMPARE(hard.coverage(10.5), 0.0);
        QVERIFY(hard.coverage(10.0) > 0.4 && hard.coverage(10.0) < 0.6);   // antialiased rim

        ui::BrushTip soft{20.0, 0.0};
        QCOMPARE(soft.coverage(0.0), 1.0);
        QCOMPARE(soft.coverage(10.0), 0.0);
        double previous = 1.0;
        for (double d = 0.5; d <= 10.0; d += 0.5) {
            QVERIFY2(soft.coverage(d) <= previous, qPrintable(QString::number(d)));
            previous = soft.coverage(d);
        }
        ui::BrushTip half{20.0, 0.5};
        QCOMPARE(half.coverage(5.0), 1.0);
        QVERIFY(half.coverage(7.5) > 0.0 && half.coverage(7.5) < 1.0);
        QVERIFY(half.stampRect(QPointF(30, 30)).contains(QRect(20, 20, 20, 20)));
    }

    void strokeCoversItsPathOnly()
    {
        ui::CanvasDocument document;
        document.setImage(gradientImage());
        QVERIFY(!document.hasMask());
        QSignalSpy changed(&document, &ui::CanvasDocument::maskChanged);
        paint(document, ui::MaskTool::Brush, {6.0, 1.0}, {QPointF(10.5, 20.5), QPointF(50.5, 20.5)});
        QVERIFY(document.hasMask());
        QVERIFY(changed.count() >= 2);
        for (int x = 10; x <= 50; ++x)
            QCOMPARE(maskAt(document, x, 20), 255);
        QCOMPARE(maskAt(document, 30, 10), 0);
        QCOMPARE(maskAt(document, 5, 20), 0);
        QCOMPARE(maskAt(document, 56, 20), 0);
        QCOMPARE(document.undoStack()->count(), 1);
    }

    void strokeDoesNotDependOnPointerSpeed()
    {
        // Many small moves and one long move along the same line give the same soft stroke.
        ui::BrushTip tip{12.0, 0.3};
        ui::CanvasDocument fast, slow;
        fast.setImage(gradientImage());
        slow.setImage(gradientImage());
        paint(fast, ui::MaskTool::Brush, tip, {QPointF(10, 24), QPointF(54, 24)});
        QList<QPointF> points;
        for (double x = 10; x <= 54.0; x += 0.25)
            points << QPointF(x, 24);
        paint(slow, ui::MaskTool::Brush, tip, points);
        for (int x = 16; x < 48; ++x)
            for (int y = 16; y < 32; ++y)
                QVERIFY2(std::abs(maskAt(fast, x, y) - maskAt(slow, x, y)) <= 3, qPrintable(QStringLiteral("%1,%2").arg(x).arg(y)));
        // A soft edge stays partly painted.
        QVERIFY(maskAt(fast, 30, 24) == 255);
        QVERIFY(maskAt(fast, 30, 29) > 0 && maskAt(fast, 30, 29) < 255);
    }

    void eraserRemovesWhatTheBrushPainted()
    {
        ui::CanvasDocument document;
        document.setImage(gradientImage());
        paint(document, ui::MaskTool::Brush, {20.0, 1.0}, {QPointF(32, 24)});
        QCOMPARE(maskAt(document, 32, 24), 255);
        paint(document, ui::MaskTool::Eraser, {8.0, 1.0}, {QPointF(32.5, 24.5)});
        QCOMPARE(maskAt(document, 32, 24), 0);
        QCOMPARE(maskAt(document, 25, 24), 255);
    }

    void undoRedoRestoresExactly()
    {
        ui::CanvasDocument document;
        document.setImage(gradientImage());
        paint(document, ui::MaskTool::Brush, {10.0, 0.5}, {QPointF(5, 5), QPointF(40, 30)});
        const QImage afterFirst = document.mask().copy();
        paint(document, ui::MaskTool::Brush, {16.0, 0.0}, {QPointF(40, 5), QPointF(10, 40)});
        paint(document, ui::MaskTool::Eraser, {6.0, 0.8}, {QPointF(0, 24), QPointF(64, 24)});
        const QImage afterAll = document.mask().copy();
        QCOMPARE(document.undoStack()->count(), 3);

        document.undoStack()->undo();
        document.undoStack()->undo();
        QCOMPARE(document.mask(), afterFirst);
        document.undoStack()->undo();
        QCOMPARE(countSet(document.mask()), 0);
        QVERIFY(!document.hasMask());
        document.undoStack()->redo();
        QCOMPARE(document.mask(), afterFirst);
        document.undoStack()->redo();
        document.undoStack()->redo();
        QCOMPARE(document.mask(), afterAll);

        // Each stroke stores only the rectangle it touched.
        const auto* command = static_cast<const ui::MaskPatchCommand*>(document.undoStack()->command(2));
        QVERIFY(command->byteSize() < 2 * 64 * 48);
    }

    void invertAndClearAreUndoable()
    {
        ui::CanvasDocument document;
        document.setImage(gradientImage());
        paint(document, ui::MaskTool::Brush, {10.0, 1.0}, {QPointF(20, 20)});
        const QImage painted = document.mask().copy();
        const int set = countSet(painted);
        QVERIFY(set > 50);
        QVERIFY(countValue(painted, 255) < set);   // the antialiased rim is partly set

        document.invertMask();
        QCOMPARE(maskAt(document, 20, 20), 0);
        QCOMPARE(maskAt(document, 60, 40), 255);
        QCOMPARE(countValue(document.mask(), 255), 64 * 48 - set);
        QCOMPARE(countValue(document.mask(), 0), countValue(painted, 255));
        document.undoStack()->undo();
        QCOMPARE(document.mask(), painted);

        document.clearMask();
        QVERIFY(!document.hasMask());
        QCOMPARE(countSet(document.mask()), 0);
        document.undoStack()->undo();
        QCOMPARE(document.mask(), painted);
        document.undoStack()->redo();
        QVERIFY(!document.hasMask());
        // Clearing an empty mask is not a step.
        const int steps = document.undoStack()->count();
        document.clearMask();
        QCOMPARE(document.undoStack()->count(), steps);
    }

    void extendCanvas_data()
    {
        QTest::addColumn<int>("edge");
        QTest::addColumn<QSize>("size");
        QTest::addColumn<QPoint>("offset");   // where the old image lands
        QTest::addColumn<QRect>("strip");
        QTest::newRow("left") << int(Qt::LeftEdge) << QSize(80, 48) << QPoint(16, 0) << QRect(0, 0, 16, 48);
        QTest::newRow("right") << int(Qt::RightEdge) << QSize(80, 48) << QPoint(0, 0) << QRect(64, 0, 16, 48);
        QTest::newRow("up") << int(Qt::TopEdge) << QSize(64, 64) << QPoint(0, 16) << QRect(0, 0, 64, 16);
        QTest::newRow("down") << int(Qt::BottomEdge) << QSize(64, 64) << QPoint(0, 0) << QRect(0, 48, 64, 16);
    }

    void extendCanvas()
    {
        QFETCH(int, edge);
        QFETCH(QSize, size);
        QFETCH(QPoint, offset);
        QFETCH(QRect, strip);
        const QImage original = gradientImage();
        ui::CanvasDocument document;
        document.setImage(original);
        paint(document, ui::MaskTool::Brush, {4.0, 1.0}, {QPointF(30, 30)});
        const QImage mask = document.mask().copy();
        QSignalSpy replaced(&document, &ui::CanvasDocument::imageReplaced);

        document.extend(Qt::Edge(edge), 16, ui::ExtendFill::EdgeStretch);
        QCOMPARE(replaced.count(), 1);
        QCOMPARE(document.image().size(), size);
        QCOMPARE(document.mask().size(), size);
        QCOMPARE(document.image().copy(QRect(offset, original.size())), original);
        QCOMPARE(document.mask().copy(QRect(offset, original.size())), mask);
        for (int y = strip.top(); y <= strip.bottom(); ++y)
            for (int x = strip.left(); x <= strip.right(); ++x) {
                QCOMPARE(maskAt(document, x, y), 255);
                // Edge-stretch repeats the nearest edge pixel of the old image.
                const QPoint nearest(std::clamp(x - offset.x(), 0, 63), std::clamp(y - offset.y(), 0, 47));
                QCOMPARE(document.image().pixel(x, y), original.pixel(nearest));
            }

        document.undoStack()->undo();
        QCOMPARE(document.image(), original);
        QCOMPARE(document.mask(), mask);
        document.undoStack()->redo();
        QCOMPARE(document.image().size(), size);

        ui::CanvasDocument neutral;
        neutral.setImage(original);
        neutral.extend(Qt::Edge(edge), 16, ui::ExtendFill::Neutral);
        QCOMPARE(neutral.image().pixel(strip.center()), qRgb(128, 128, 128));
    }

    void newImageDropsHistoryAndFlattensAlpha()
    {
        ui::CanvasDocument document;
        document.setImage(gradientImage());
        paint(document, ui::MaskTool::Brush, {4.0, 1.0}, {QPointF(30, 30)});
        QImage transparent(8, 8, QImage::Format_ARGB32);
        transparent.fill(Qt::transparent);
        document.setImage(transparent);
        QCOMPARE(document.undoStack()->count(), 0);
        QVERIFY(!document.hasMask());
        QCOMPARE(document.image().pixel(3, 3), qRgb(255, 255, 255));
        document.setImage(QImage());
        QVERIFY(!document.hasImage());
    }

    void loadReportsUnreadableFiles()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("broken.png"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("not a png");
        file.close();
        ui::CanvasDocument document;
        const QString error = document.load(path);
        QVERIFY(error.contains(QStringLiteral("broken.png")));
        QVERIFY(!document.hasImage());
        const QString good = dir.filePath(QStringLiteral("good.png"));
        QVERIFY(gradientImage().save(good));
        QCOMPARE(document.load(good), QString());
        QCOMPARE(document.image(), gradientImage());
    }
};

QTEST_MAIN(TestCanvasMask)
#include "test_canvas_mask.moc"
