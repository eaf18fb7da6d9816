#pragma once
/// One ControlNet unit in the studio's ControlNet panel: enable, picture (file, clipboard, canvas,
/// last result), preprocessor with its parameters and a live preview, model (filtered by the
/// checkpoint's family), weight, guidance start/end, control mode, resize mode and pixel perfect.
/// It edits an api::ControlUnit; the picture itself becomes a file only when a generation is
/// queued (ControlNetPanel::applyTo). GUI thread.

#include <QImage>
#include <QSize>
#include <QString>
#include <QWidget>

#include <functional>

#include "engine/api/request.h"

class QAbstractItemModel;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;

namespace easel::ui {

class PreprocessPreview;

class ControlUnitWidget : public QWidget {
    Q_OBJECT
public:
    explicit ControlUnitWidget(QWidget* parent = nullptr);

    /// The ControlNet models to offer (the panel's family-filtered list; not owned).
    void setModelList(QAbstractItemModel* models);
    /// Sources for "From canvas" and "Last result" (empty image / path = nothing there).
    void setCanvasSource(std::function<QImage()> source) { m_canvasSource = std::move(source); }
    void setLastResultSource(std::function<QString()> source) { m_lastResultSource = std::move(source); }
    /// Generation size, for pixel-perfect processor resolution in the preview.
    void setTargetSize(const QSize& size);

    bool isUnitEnabled() const;
    void setUnitEnabled(bool on);

    bool hasImage() const { return !m_image.isNull(); }
    QImage image() const { return m_image; }
    /// The file the picture came from, when it is unchanged from it ("" for pasted/canvas images).
    QString imageFile() const { return m_imageFile; }
    void setImage(const QImage& image, const QString& file = {});
    /// Loads a picture file; false (and notice) when it cannot be read.
    bool loadImageFile(const QString& path);
    /// Takes the clipboard's image (Ctrl+V in the unit); false when it holds none.
    bool pasteImage();

    /// The unit as the widgets stand; `image` is left empty (see ControlNetPanel::applyTo).
    api::ControlUnit toUnit() const;
    /// Shows a unit's settings (picture unchanged; an unknown model is left unselected).
    void setFromUnit(const api::ControlUnit& unit);
    /// Selects the model with this path or name; false when the list lacks it.
    bool selectModel(const QString& pathOrName);

    /// The last preview result and error (for tests and the status line).
    QImage previewImage() const { return m_preview; }
    QString previewError() const { return m_previewError; }
    bool isPreviewBusy() const;
    /// The note under the preprocessor ("needs the model file …"; "" when none).
    QString preprocessorNote() const;

Q_SIGNALS:
    /// A preview finished (or failed).
    void previewUpdated();
    /// Something the user should read (a file that would not open); non-modal.
    void notice(const QString& text);
    void enabledToggled(bool on);

protected:
    void changeEvent(QEvent* event) override;

private:
    void build();
    void retranslate();
    void chooseImageFile();
    void onPreprocessorChanged();
    void updateSlots();
    void updatePreprocessorNote();
    void refreshPreview();
    QStringList onnxSearchDirs() const;
    QString engineText(const std::string& text) const;
    QString currentPreprocessor() const;

    std::function<QImage()> m_canvasSource;
    std::function<QString()> m_lastResultSource;
    QImage m_image;
    QString m_imageFile;
    QImage m_preview;
    QString m_previewError;
    QSize m_targetSize{512, 512};
    PreprocessPreview* m_previewer = nullptr;

    QCheckBox* m_enable = nullptr;
    QLabel* m_imageLabel = nullptr;
    QLabel* m_previewLabel = nullptr;
    QPushButton* m_open = nullptr;
    QPushButton* m_paste = nullptr;
    QPushButton* m_fromCanvas = nullptr;
    QPushButton* m_fromResult = nullptr;
    QPushButton* m_clear = nullptr;
    QLabel* m_preprocessorLabel = nullptr;
    QComboBox* m_preprocessor = nullptr;
    QLabel* m_note = nullptr;
    QLabel* m_aLabel = nullptr;
    QDoubleSpinBox* m_a = nullptr;
    QLabel* m_bLabel = nullptr;
    QDoubleSpinBox* m_b = nullptr;
    QLabel* m_resolutionLabel = nullptr;
    QSpinBox* m_resolution = nullptr;
    QCheckBox* m_pixelPerfect = nullptr;
    QLabel* m_modelLabel = nullptr;
    QComboBox* m_model = nullptr;
    QLabel* m_weightLabel = nullptr;
    QDoubleSpinBox* m_weight = nullptr;
    QSlider* m_weightSlider = nullptr;
    QLabel* m_startLabel = nullptr;
    QDoubleSpinBox* m_start = nullptr;
    QSlider* m_startSlider = nullptr;
    QLabel* m_endLabel = nullptr;
    QDoubleSpinBox* m_end = nullptr;
    QSlider* m_endSlider = nullptr;
    QLabel* m_controlModeLabel = nullptr;
    QComboBox* m_controlMode = nullptr;
    QLabel* m_resizeModeLabel = nullptr;
    QComboBox* m_resizeMode = nullptr;
};

} // namespace easel::ui
