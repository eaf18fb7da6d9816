#pragma once
/// InpaintOptionsPanel: how the canvas feeds a generation — img2img or inpaint, denoising strength,
/// resize mode, and the inpaint options A1111 offers (mask blur, masked / not masked, masked
/// content, whole picture / only masked + padding). The inpaint rows are disabled in img2img mode.
/// GUI thread.

#include <QWidget>

#include "engine/api/request.h"

class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QSpinBox;

namespace easel::ui {

enum class CanvasMode { Img2Img, Inpaint };

class InpaintOptionsPanel : public QWidget {
    Q_OBJECT
public:
    explicit InpaintOptionsPanel(QWidget* parent = nullptr);

    CanvasMode mode() const;
    void setMode(CanvasMode mode);
    double denoisingStrength() const;
    api::ResizeMode resizeMode() const;
    /// Everything but the mask path.
    api::InpaintOptions inpaintOptions() const;

    /// Shows the img2img / inpaint values of `request` (mode follows whether it has inpaint options).
    void setFromRequest(const api::GenerationRequest& request);

Q_SIGNALS:
    void changed();
    void modeChanged(CanvasMode mode);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void updateEnabled();

    QFormLayout* m_form = nullptr;
    QComboBox* m_mode = nullptr;
    QDoubleSpinBox* m_denoising = nullptr;
    QComboBox* m_resizeMode = nullptr;
    QSpinBox* m_maskBlur = nullptr;
    QComboBox* m_maskMode = nullptr;
    QComboBox* m_maskedContent = nullptr;
    QComboBox* m_area = nullptr;
    QSpinBox* m_padding = nullptr;
};

} // namespace easel::ui
