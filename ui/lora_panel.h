#pragma once
/// The LoRA dock: a virtualised card grid over app::ModelLibraryModel (preview, name, family badge,
/// trigger words) with instant search and a "this checkpoint's family only" filter (otherwise
/// incompatible cards are greyed with the reason as tooltip); clicking a card adds the LoRA to the
/// mix below (LoRAMixWidget). The same browser lists embeddings: clicking one inserts its trigger
/// word (its name) into the prompt. GUI thread.

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListView;

namespace easel::app {
class LoRAMix;
class ModelLibraryModel;
} // namespace easel::app

namespace easel::ui {

class LoRAMixWidget;

class LoRAPanel : public QWidget {
    Q_OBJECT
public:
    LoRAPanel(app::ModelLibraryModel* model, app::LoRAMix* mix, QWidget* parent = nullptr);

    QListView* view() const { return m_view; }
    QLineEdit* searchBox() const { return m_search; }
    QCheckBox* familyFilterBox() const { return m_familyFilter; }
    QComboBox* kindBox() const { return m_kind; }
    LoRAMixWidget* mixWidget() const { return m_mixWidget; }
    app::ModelLibraryModel* model() const { return m_model; }

    /// The chosen checkpoint's family ("SD1", "SDXL", "" = unknown).
    void setCheckpointFamily(const QString& family);
    /// What a click on `row` does: a LoRA joins the mix (with its preferred weight), an embedding's
    /// name goes into the prompt. Greyed (incompatible) or not yet loaded rows do nothing.
    /// Returns whether something happened.
    bool activateRow(int row);

Q_SIGNALS:
    /// Text for the prompt (trigger words, an embedding name).
    void insertTextRequested(const QString& text);
    void failed(const QString& message);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void updateCount();

    app::ModelLibraryModel* m_model;
    app::LoRAMix* m_mix;
    QComboBox* m_kind = nullptr;
    QLineEdit* m_search = nullptr;
    QCheckBox* m_familyFilter = nullptr;
    QLabel* m_count = nullptr;
    QListView* m_view = nullptr;
    LoRAMixWidget* m_mixWidget = nullptr;
};

} // namespace easel::ui
