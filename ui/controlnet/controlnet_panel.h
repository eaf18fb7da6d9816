#pragma once
/// The studio's ControlNet panel: one tab per unit (three to start, as A1111; add and remove), the
/// model list filtered by the current checkpoint's family, and the step that turns the units into
/// the request's api::ControlUnit list when a generation is queued. GUI thread.

#include <QImage>
#include <QString>
#include <QWidget>

#include <functional>

#include "engine/api/request.h"

class QAbstractItemModel;
class QTabWidget;
class QToolButton;

namespace easel::app {
class ModelListModel;
} // namespace easel::app

namespace easel::ui {

class ControlUnitWidget;
class FamilyFilterModel;
class ParametersPanel;

class ControlNetPanel : public QWidget {
    Q_OBJECT
public:
    explicit ControlNetPanel(QWidget* parent = nullptr);

    /// The ControlNet models (catalog kind "controlnet"); not owned.
    void setControlNetModels(app::ModelListModel* models);
    /// The filtered list the unit pickers show.
    FamilyFilterModel* filteredModels() const { return m_filtered; }
    /// Keeps the family filter and the pixel-perfect target size in step with the parameters panel
    /// and its checkpoint list.
    void followParameters(ParametersPanel* parameters, app::ModelListModel* checkpoints);
    /// "SD1", "SDXL", … ("" = unknown: every model is offered).
    void setCheckpointFamily(const QString& family);
    void setTargetSize(const QSize& size);
    void setCanvasSource(std::function<QImage()> source);
    void setLastResultSource(std::function<QString()> source);

    int unitCount() const;
    ControlUnitWidget* unit(int index) const;
    /// Adds a unit tab and returns it.
    ControlUnitWidget* addUnit();
    /// Removes unit `index` (the last unit stays: there is always one to edit).
    void removeUnit(int index);

    /// Sets r.controlNets from the enabled units. A picture opened from a file that is still there
    /// goes by its path; any other (pasted, dropped, from the canvas) as pixels in the request, no
    /// temp file. Throws api::Error(InvalidRequest) for an enabled unit without picture or model
    /// (the message names the unit).
    void applyTo(api::GenerationRequest& r) const;
    /// Shows units read from parameters (PNG infotext): settings only, pictures stay as they are
    /// (infotext never holds them). Adds tabs as needed; units beyond them are disabled. Returns the
    /// model names the list lacks.
    QStringList setFromRequest(const api::GenerationRequest& r);

Q_SIGNALS:
    void notice(const QString& text);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void updateTabTitles();

    FamilyFilterModel* m_filtered = nullptr;
    QTabWidget* m_tabs = nullptr;
    QToolButton* m_add = nullptr;
    QToolButton* m_remove = nullptr;
    std::function<QImage()> m_canvasSource;
    std::function<QString()> m_lastResultSource;
    QSize m_targetSize{512, 512};
};

} // namespace easel::ui
