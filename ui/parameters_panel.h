#pragma once
/// The generation parameters: checkpoint and VAE, sampler and schedule, steps, CFG, seed (dice,
/// reuse last, variation), size (multiples of 8, swap, per-family aspect presets), batch, clip skip,
/// RNG source and the hires fix group. Reads and writes an api::GenerationRequest. GUI thread.

#include <QStringList>
#include <QWidget>

#include <cstdint>

#include "engine/api/request.h"

class QAbstractItemModel;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QToolButton;

namespace easel::ui {

class ParametersPanel : public QWidget {
    Q_OBJECT
public:
    explicit ParametersPanel(QWidget* parent = nullptr);

    /// A1111 labels, in A1111's menu order.
    static QStringList samplerNames();
    static QStringList scheduleNames();
    static QStringList hiresUpscalerNames();

    /// Pickers' sources (rows: app::ModelListModel roles, or any model whose display text is the name).
    void setCheckpointModel(QAbstractItemModel* model);
    void setVaeModel(QAbstractItemModel* model);

    /// Everything but the prompts (left empty).
    api::GenerationRequest toRequest() const;
    /// Shows `request`; returns the checkpoint / VAE names it asks for that the pickers lack
    /// (the current choice is kept for those).
    QStringList setFromRequest(const api::GenerationRequest& request);

    /// The seed the last generation used, for the reuse button.
    void setLastSeed(std::int64_t seed);
    std::int64_t lastSeed() const { return m_lastSeed; }
    /// Family of the chosen checkpoint ("SD1", "SDXL", …; "" when unknown).
    QString currentFamily() const;

Q_SIGNALS:
    void changed();
    void stepsChanged(int steps);

protected:
    void changeEvent(QEvent* event) override;

private:
    void build();
    void retranslate();
    void rebuildVaeItems();
    void selectPendingCheckpoint();
    void rebuildAspectMenu();
    void swapSize();

    QAbstractItemModel* m_checkpointModel = nullptr;
    QAbstractItemModel* m_vaeModel = nullptr;
    QString m_pendingCheckpoint;   ///< asked for before the list had it
    QString m_pendingVae;
    std::int64_t m_lastSeed = -1;

    QFormLayout* m_form = nullptr;
    QComboBox* m_checkpoint = nullptr;
    QComboBox* m_vae = nullptr;
    QComboBox* m_sampler = nullptr;
    QComboBox* m_schedule = nullptr;
    QSpinBox* m_steps = nullptr;
    QDoubleSpinBox* m_cfg = nullptr;
    QLineEdit* m_seed = nullptr;
    QToolButton* m_seedRandom = nullptr;
    QToolButton* m_seedReuse = nullptr;
    QGroupBox* m_variation = nullptr;
    QFormLayout* m_variationForm = nullptr;
    QLineEdit* m_subseed = nullptr;
    QToolButton* m_subseedRandom = nullptr;
    QDoubleSpinBox* m_subseedStrength = nullptr;
    QSpinBox* m_width = nullptr;
    QSpinBox* m_height = nullptr;
    QToolButton* m_swap = nullptr;
    QToolButton* m_aspect = nullptr;
    QFormLayout* m_lowerForm = nullptr;
    QSpinBox* m_batchCount = nullptr;
    QSpinBox* m_batchSize = nullptr;
    QSpinBox* m_clipSkip = nullptr;
    QComboBox* m_rng = nullptr;
    QCheckBox* m_tiling = nullptr;
    QGroupBox* m_hires = nullptr;
    QFormLayout* m_hiresForm = nullptr;
    QComboBox* m_hiresUpscaler = nullptr;
    QDoubleSpinBox* m_hiresScale = nullptr;
    QSpinBox* m_hiresSteps = nullptr;
    QDoubleSpinBox* m_hiresDenoise = nullptr;
    QSpinBox* m_hiresWidth = nullptr;
    QSpinBox* m_hiresHeight = nullptr;
};

} // namespace easel::ui
