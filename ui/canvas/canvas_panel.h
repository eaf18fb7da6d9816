#pragma once
/// CanvasPanel: the img2img / inpainting workspace — a tool bar (open, close, brush, eraser, size,
/// hardness, mask opacity, invert, clear, undo, redo, fit), the canvas, "extend canvas" for
/// outpainting and the inpaint options. applyTo() turns what it shows into the img2img / inpaint
/// part of a GenerationRequest. GUI thread.

#include <QWidget>

#include "engine/api/request.h"

class QAction;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSlider;
class QSpinBox;
class QToolBar;
class QToolButton;

namespace easel::ui {

class CanvasWidget;
class InpaintOptionsPanel;

class CanvasPanel : public QWidget {
    Q_OBJECT
public:
    explicit CanvasPanel(QWidget* parent = nullptr);

    CanvasWidget* canvas() const { return m_canvas; }
    InpaintOptionsPanel* options() const { return m_options; }
    bool hasImage() const;

    /// When the canvas holds an image: puts its pixels (and, in inpaint mode with at least one mask
    /// pixel set, the mask's: white = repaint) into the request — r.initPixels, r.inpaint->maskPixels,
    /// no files — with r.denoisingStrength, r.resizeMode and r.inpaint (reset when there is no mask to
    /// use). The request owns copies, so later strokes never change a queued job. Without an image,
    /// `r` is left as it is (txt2img).
    void applyTo(api::GenerationRequest& r) const;

public Q_SLOTS:
    /// Opens an image file on the canvas (e.g. "send to img2img / inpaint" from a result).
    bool openImage(const QString& path);
    /// Asks for a file to open.
    void chooseImage();

Q_SIGNALS:
    /// Something the user should read (a file that would not open); non-modal.
    void notice(const QString& text);
    /// The canvas image was opened, closed or extended; `size` is empty when closed.
    void imageSizeChanged(const QSize& size);

protected:
    void changeEvent(QEvent* event) override;

private:
    void buildToolBar();
    void retranslate();
    void syncBrushControls();
    void updateInfo();

    CanvasWidget* m_canvas = nullptr;
    InpaintOptionsPanel* m_options = nullptr;
    QToolBar* m_toolBar = nullptr;
    QAction* m_open = nullptr;
    QAction* m_close = nullptr;
    QAction* m_brush = nullptr;
    QAction* m_eraser = nullptr;
    QAction* m_invert = nullptr;
    QAction* m_clear = nullptr;
    QAction* m_undo = nullptr;
    QAction* m_redo = nullptr;
    QAction* m_fit = nullptr;
    QLabel* m_sizeLabel = nullptr;
    QSpinBox* m_size = nullptr;
    QLabel* m_hardnessLabel = nullptr;
    QSpinBox* m_hardness = nullptr;
    QLabel* m_opacityLabel = nullptr;
    QSlider* m_opacity = nullptr;
    QLabel* m_extendLabel = nullptr;
    QComboBox* m_extendEdge = nullptr;
    QSpinBox* m_extendPixels = nullptr;
    QComboBox* m_extendFill = nullptr;
    QToolButton* m_extend = nullptr;
    QLabel* m_info = nullptr;
};

} // namespace easel::ui
