#include "ui/canvas/canvas_panel.h"

#include <QActionGroup>
#include <QApplication>
#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QToolBar>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

#include <cmath>

#include "app/image_convert.h"
#include "engine/api/error.h"
#include "ui/canvas/canvas_widget.h"
#include "ui/canvas/inpaint_options_panel.h"

namespace easel::ui {

namespace {

/// Writes `image` as `<dir>/easel-canvas-<pid>-<revision>-<role>.png` unless that file exists (the
/// revision names the pixels, so an existing file already holds them). Returns the path.
} // namespace

CanvasPanel::CanvasPanel(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("CanvasPanel"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);

    m_canvas = new CanvasWidget(this);
    m_options = new InpaintOptionsPanel(this);
    buildToolBar();
    layout->addWidget(m_toolBar);

    auto* extendRow = new QWidget(this);
    auto* extendLayout = new QHBoxLayout(extendRow);
    extendLayout->setContentsMargins(4, 0, 4, 0);
    m_extendLabel = new QLabel(extendRow);
    m_extendEdge = new QComboBox(extendRow);
    m_extendEdge->setObjectName(QStringLiteral("ExtendEdge"));
    for (Qt::Edge edge : {Qt::LeftEdge, Qt::RightEdge, Qt::TopEdge, Qt::BottomEdge})
        m_extendEdge->addItem(QString(), static_cast<int>(edge));
    m_extendPixels = new QSpinBox(extendRow);
    m_extendPixels->setObjectName(QStringLiteral("ExtendPixels"));
    // Multiples of 8 keep the latent grid aligned (the VAE works on 8x8 pixel blocks).
    m_extendPixels->setRange(8, 2048);
    m_extendPixels->setSingleStep(8);
    m_extendPixels->setValue(128);
    m_extendPixels->setSuffix(QStringLiteral(" px"));
    m_extendFill = new QComboBox(extendRow);
    m_extendFill->setObjectName(QStringLiteral("ExtendFill"));
    m_extendFill->addItem(QString(), static_cast<int>(ExtendFill::EdgeStretch));
    m_extendFill->addItem(QString(), static_cast<int>(ExtendFill::Neutral));
    m_extend = new QToolButton(extendRow);
    m_extend->setObjectName(QStringLiteral("ExtendButton"));
    connect(m_extend, &QToolButton::clicked, this, [this] {
        m_canvas->extendCanvas(static_cast<Qt::Edge>(m_extendEdge->currentData().toInt()), m_extendPixels->value(),
                               static_cast<ExtendFill>(m_extendFill->currentData().toInt()));
        // Outpainting means inpainting the new strip.
        m_options->setMode(CanvasMode::Inpaint);
    });
    m_info = new QLabel(extendRow);
    m_info->setObjectName(QStringLiteral("CanvasInfo"));
    extendLayout->addWidget(m_extendLabel);
    extendLayout->addWidget(m_extendEdge);
    extendLayout->addWidget(m_extendPixels);
    extendLayout->addWidget(m_extendFill);
    extendLayout->addWidget(m_extend);
    extendLayout->addStretch(1);
    extendLayout->addWidget(m_info);

    auto* optionsScroll = new QScrollArea(this);
    optionsScroll->setWidgetResizable(true);
    optionsScroll->setWidget(m_options);
    optionsScroll->setFrameShape(QFrame::NoFrame);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_canvas);
    splitter->addWidget(optionsScroll);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 0);
    splitter->setChildrenCollapsible(true);
    layout->addWidget(splitter, 1);
    layout->addWidget(extendRow);

    connect(m_canvas, &CanvasWidget::loadFailed, this, &CanvasPanel::notice);
    connect(m_canvas, &CanvasWidget::brushChanged, this, &CanvasPanel::syncBrushControls);
    connect(m_canvas, &CanvasWidget::zoomChanged, this, &CanvasPanel::updateInfo);
    connect(m_canvas, &CanvasWidget::strokeFinished, this, [this] {
        // A painted mask is a request to inpaint.
        if (m_canvas->tool() == MaskTool::Brush)
            m_options->setMode(CanvasMode::Inpaint);
    });
    connect(m_canvas->document(), &CanvasDocument::imageReplaced, this, [this] {
        updateInfo();
        Q_EMIT imageSizeChanged(m_canvas->document()->size());
    });

    retranslate();
    syncBrushControls();
    updateInfo();
}

void CanvasPanel::buildToolBar()
{
    m_toolBar = new QToolBar(this);
    m_toolBar->setObjectName(QStringLiteral("CanvasToolBar"));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextOnly);

    m_open = m_toolBar->addAction(QString(), this, &CanvasPanel::chooseImage);
    m_open->setObjectName(QStringLiteral("CanvasOpen"));
    m_close = m_toolBar->addAction(QString(), m_canvas, &CanvasWidget::closeImage);
    m_close->setObjectName(QStringLiteral("CanvasClose"));
    m_toolBar->addSeparator();

    auto* tools = new QActionGroup(this);
    m_brush = m_toolBar->addAction(QString(), this, [this] { m_canvas->setTool(MaskTool::Brush); });
    m_brush->setObjectName(QStringLiteral("BrushTool"));
    m_eraser = m_toolBar->addAction(QString(), this, [this] { m_canvas->setTool(MaskTool::Eraser); });
    m_eraser->setObjectName(QStringLiteral("EraserTool"));
    for (QAction* action : {m_brush, m_eraser}) {
        action->setCheckable(true);
        tools->addAction(action);
    }
    m_brush->setChecked(true);
    connect(m_canvas, &CanvasWidget::toolChanged, this, [this](MaskTool tool) {
        (tool == MaskTool::Brush ? m_brush : m_eraser)->setChecked(true);
    });

    m_sizeLabel = new QLabel(m_toolBar);
    m_size = new QSpinBox(m_toolBar);
    m_size->setObjectName(QStringLiteral("BrushSize"));
    m_size->setRange(static_cast<int>(BrushTip::kMinSize), static_cast<int>(BrushTip::kMaxSize));
    m_size->setSuffix(QStringLiteral(" px"));
    connect(m_size, &QSpinBox::valueChanged, this, [this](int value) { m_canvas->setBrushSize(value); });
    m_hardnessLabel = new QLabel(m_toolBar);
    m_hardness = new QSpinBox(m_toolBar);
    m_hardness->setObjectName(QStringLiteral("BrushHardness"));
    m_hardness->setRange(0, 100);
    m_hardness->setSingleStep(10);
    m_hardness->setSuffix(QStringLiteral(" %"));
    connect(m_hardness, &QSpinBox::valueChanged, this,
            [this](int value) { m_canvas->setBrushHardness(value / 100.0); });
    m_opacityLabel = new QLabel(m_toolBar);
    m_opacity = new QSlider(Qt::Horizontal, m_toolBar);
    m_opacity->setObjectName(QStringLiteral("MaskOpacity"));
    m_opacity->setRange(0, 100);
    m_opacity->setValue(static_cast<int>(std::lround(m_canvas->maskOpacity() * 100)));
    m_opacity->setMaximumWidth(100);
    connect(m_opacity, &QSlider::valueChanged, this, [this](int value) { m_canvas->setMaskOpacity(value / 100.0); });
    for (QWidget* widget : std::initializer_list<QWidget*>{m_sizeLabel, m_size, m_hardnessLabel, m_hardness,
                                                           m_opacityLabel, m_opacity})
        m_toolBar->addWidget(widget);
    m_toolBar->addSeparator();

    m_invert = m_toolBar->addAction(QString(), m_canvas, &CanvasWidget::invertMask);
    m_invert->setObjectName(QStringLiteral("InvertMask"));
    m_clear = m_toolBar->addAction(QString(), m_canvas, &CanvasWidget::clearMask);
    m_clear->setObjectName(QStringLiteral("ClearMask"));
    m_toolBar->addSeparator();
    QUndoStack* stack = m_canvas->undoStack();
    m_undo = m_toolBar->addAction(QString(), stack, &QUndoStack::undo);
    m_undo->setObjectName(QStringLiteral("CanvasUndo"));
    m_undo->setEnabled(false);
    connect(stack, &QUndoStack::canUndoChanged, m_undo, &QAction::setEnabled);
    m_redo = m_toolBar->addAction(QString(), stack, &QUndoStack::redo);
    m_redo->setObjectName(QStringLiteral("CanvasRedo"));
    m_redo->setEnabled(false);
    connect(stack, &QUndoStack::canRedoChanged, m_redo, &QAction::setEnabled);
    m_fit = m_toolBar->addAction(QString(), m_canvas, &CanvasWidget::fitToView);
    m_fit->setObjectName(QStringLiteral("FitToView"));
}

bool CanvasPanel::hasImage() const { return m_canvas->hasImage(); }

bool CanvasPanel::openImage(const QString& path) { return m_canvas->openImage(path); }

void CanvasPanel::chooseImage()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Image"), QString(),
                                                      tr("Images (*.png *.jpg *.jpeg *.webp *.bmp)"));
    if (!path.isEmpty())
        openImage(path);
}

void CanvasPanel::applyTo(api::GenerationRequest& r) const
{
    const CanvasDocument* document = m_canvas->document();
    if (!document->hasImage())
        return;
    r.initImage.clear();
    r.initPixels = app::toApiImage(document->image());
    r.denoisingStrength = m_options->denoisingStrength();
    r.resizeMode = m_options->resizeMode();
    if (m_options->mode() == CanvasMode::Inpaint && document->hasMask()) {
        api::InpaintOptions inpaint = m_options->inpaintOptions();
        inpaint.mask.clear();
        inpaint.maskPixels = app::toApiImage(document->mask());
        r.inpaint = inpaint;
    } else {
        r.inpaint.reset();
    }
}

void CanvasPanel::syncBrushControls()
{
    const BrushTip brush = m_canvas->brush();
    const QSignalBlocker sizeBlocker(m_size);
    const QSignalBlocker hardnessBlocker(m_hardness);
    m_size->setValue(static_cast<int>(std::lround(brush.size)));
    m_hardness->setValue(static_cast<int>(std::lround(brush.hardness * 100)));
}

void CanvasPanel::updateInfo()
{
    const bool image = m_canvas->hasImage();
    for (QAction* action : {m_close, m_invert, m_clear, m_fit})
        action->setEnabled(image);
    m_extend->setEnabled(image);
    if (!image) {
        m_info->clear();
        return;
    }
    const QSize size = m_canvas->document()->size();
    m_info->setText(tr("%1 × %2 px, %3 %").arg(size.width()).arg(size.height()).arg(std::lround(m_canvas->zoom() * m_canvas->devicePixelRatioF() * 100))); // of device pixels
}

void CanvasPanel::retranslate()
{
    // A dock around the panel takes this as its title (MainWindow::buildCanvasDock).
    setWindowTitle(tr("Canvas"));
    m_open->setText(tr("Open…"));
    m_open->setToolTip(tr("Open an image (or paste one with Ctrl+V, or drop one on the canvas)"));
    m_close->setText(tr("Close"));
    m_close->setToolTip(tr("Close the image: generations go back to txt2img"));
    m_brush->setText(tr("Brush"));
    m_brush->setToolTip(tr("Paint the mask: where to repaint (B)"));
    m_eraser->setText(tr("Eraser"));
    m_eraser->setToolTip(tr("Erase the mask (E)"));
    m_sizeLabel->setText(tr("Size"));
    m_size->setToolTip(tr("Brush diameter in image pixels ([ and ])"));
    m_hardnessLabel->setText(tr("Hardness"));
    m_hardness->setToolTip(tr("Brush edge, soft to hard (Shift+[ and Shift+])"));
    m_opacityLabel->setText(tr("Mask opacity"));
    m_opacity->setToolTip(tr("How strongly the mask is shown (the mask itself is unchanged)"));
    m_invert->setText(tr("Invert"));
    m_invert->setToolTip(tr("Invert the mask"));
    m_clear->setText(tr("Clear"));
    m_clear->setToolTip(tr("Clear the mask"));
    m_undo->setText(tr("Undo"));
    m_undo->setToolTip(tr("Undo (Ctrl+Z)"));
    m_redo->setText(tr("Redo"));
    m_redo->setToolTip(tr("Redo (Ctrl+Shift+Z or Ctrl+Y)"));
    m_fit->setText(tr("Fit"));
    m_fit->setToolTip(tr("Show the whole image (Ctrl+0); wheel zooms, space-drag or middle-drag pans"));
    m_extendLabel->setText(tr("Extend canvas"));
    m_extendEdge->setItemText(0, tr("Left"));
    m_extendEdge->setItemText(1, tr("Right"));
    m_extendEdge->setItemText(2, tr("Up"));
    m_extendEdge->setItemText(3, tr("Down"));
    m_extendFill->setItemText(0, tr("Stretch edge"));
    m_extendFill->setItemText(1, tr("Neutral grey"));
    m_extendFill->setToolTip(tr("What the new strip starts from; it is added to the mask for outpainting"));
    m_extend->setText(tr("Extend"));
    m_extend->setToolTip(tr("Add the strip to the image and the mask (undoable)"));
    updateInfo();
}

void CanvasPanel::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

} // namespace easel::ui
